import type { Command } from 'commander';
import { printJson, printLine, withStore } from '../context.js';

/** Registers `migrate`, which creates or upgrades the schema of the store. */
export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .summary('create or upgrade the schema of the store')
    .description(
      'Create the tables (or collections and indexes) of the store, or upgrade them to this ' +
        'version. It is safe to run while other processes use the store; every other command ' +
        'also does it on first use.',
    )
    .action(async (_options: unknown, command: Command) => {
      await withStore(command, async ({ connector, backend, shownUrl }, { json }) => {
        const started = performance.now();
        await connector.migrate();
        const durationMs = Math.round(performance.now() - started);

        if (json) printJson({ backend, url: shownUrl, migrated: true, durationMs });
        else
          printLine(`Schema of the ${backend} store ${shownUrl} is up to date (${durationMs} ms).`);
      });
    });
}
