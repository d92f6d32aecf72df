import { Command, CommanderError } from 'commander';
import { registerAgent } from './agent';
import { registerStatus } from './status';
import { registerEval } from './eval';
import { registerAudit } from './audit';

/**
 * The `cadence` command. Each subcommand lives in its own module and registers
 * itself here; this file only assembles them and turns parse errors into a
 * clear message and exit code 2.
 */
export function buildProgram(): Command {
  const program = new Command('cadence')
    .description('Cadence: behavioural authentication agent. Learns how you type and move the mouse, never what you type.')
    .version(require('../../../../package.json').version as string)
    .showHelpAfterError('(run `cadence --help` or `cadence <command> --help` for usage)')
    .exitOverride();
  registerAgent(program);
  registerStatus(program);
  registerEval(program);
  registerAudit(program);
  return program;
}

/** Entry point for bin/cadence.js; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    throw err;
  }
}
