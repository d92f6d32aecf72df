import type { Command } from 'commander';

/** PLACEHOLDER: replaced by the module that implements `cadence status`. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('(not built yet)')
    .action(() => {
      process.stderr.write('cadence status: not built yet in this checkout.\n');
      process.exitCode = 1;
    });
}
