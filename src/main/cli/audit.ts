import type { Command } from 'commander';

/** PLACEHOLDER: replaced by the module that implements `cadence audit`. */
export function registerAudit(program: Command): void {
  program
    .command('audit')
    .description('(not built yet)')
    .action(() => {
      process.stderr.write('cadence audit: not built yet in this checkout.\n');
      process.exitCode = 1;
    });
}
