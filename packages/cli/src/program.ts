import { Command, Option } from 'commander';
import { registerCreateCommand } from './commands/create.js';
import { registerDeleteCommand } from './commands/delete.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerExportCommand } from './commands/export.js';
import { registerGetCommand } from './commands/get.js';
import { registerImportCommand } from './commands/import.js';
import { registerListCommand } from './commands/list.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerObjectIdCommand } from './commands/object-id.js';
import { registerSetCommand } from './commands/set.js';
import { DEFAULT_STORE_URL, STORE_URL_VARIABLE } from './store-url.js';

/** Version printed by `--version`; it follows the package version. */
export const CLI_VERSION = '0.1.0';

/**
 * Builds the `state-connector` program. Commander throws instead of exiting, so that the
 * caller chooses the exit code.
 */
export function createProgram(): Command {
  const program = new Command('state-connector')
    .description(
      'Inspect, edit, migrate, export and import a state-connector store: the objects and ' +
        'object_state tables of Buildbot, in SQLite, PostgreSQL or MongoDB.',
    )
    .version(CLI_VERSION)
    .exitOverride()
    // Command names only, because the usage of each is in its own --help, which also lists
    // the global options.
    .configureHelp({ subcommandTerm: (command) => command.name(), showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .addOption(
      new Option(
        '--url <url>',
        'store URL: file:PATH, :memory:, libsql://, postgres:// or mongodb://',
      )
        .env(STORE_URL_VARIABLE)
        .default(DEFAULT_STORE_URL),
    )
    .option('--json', 'print results (and errors, on stderr) as JSON for machines')
    .option('--verbose', 'print the store events (schema ready, retries, failures) on stderr');

  registerObjectIdCommand(program);
  registerGetCommand(program);
  registerSetCommand(program);
  registerCreateCommand(program);
  registerDeleteCommand(program);
  registerListCommand(program);
  registerMigrateCommand(program);
  registerExportCommand(program);
  registerImportCommand(program);
  registerDemoCommand(program);
  return program;
}
