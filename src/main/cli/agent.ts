import type { Command } from 'commander';

/** PLACEHOLDER: replaced by the module that implements `cadence agent`. */
export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('(not built yet)')
    .action(() => {
      process.stderr.write('cadence agent: not built yet in this checkout.\n');
      process.exitCode = 1;
    });
}
