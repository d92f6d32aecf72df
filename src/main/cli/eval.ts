import type { Command } from 'commander';

/** PLACEHOLDER: replaced by the module that implements `cadence eval`. */
export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('(not built yet)')
    .action(() => {
      process.stderr.write('cadence eval: not built yet in this checkout.\n');
      process.exitCode = 1;
    });
}
