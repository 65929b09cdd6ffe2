import type { Command } from 'commander';
import { formatEvent, type OpenStoreOptions, openStore, type Store } from './open-store.js';
import { DEFAULT_STORE_URL } from './store-url.js';

/** Options that every command accepts. */
export interface GlobalOptions {
  url: string;
  json: boolean;
  verbose: boolean;
}

/** Reads the program-level options as seen from `command`. */
export function globalOptions(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<Partial<GlobalOptions>>();
  return {
    url: options.url ?? DEFAULT_STORE_URL,
    json: options.json === true,
    verbose: options.verbose === true,
  };
}

/** Writes a line to stdout. */
export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Writes a value to stdout as one line of JSON. */
export function printJson(value: unknown): void {
  printLine(JSON.stringify(value));
}

/** Writes a line to stderr, for summaries and progress that must stay out of piped data. */
export function printNote(text: string): void {
  process.stderr.write(`${text}\n`);
}

/**
 * Opens the store named by the global options, runs `action` on it, and closes the
 * connector afterwards, also when `action` fails.
 */
export async function withStore<T>(
  command: Command,
  action: (store: Store, options: GlobalOptions) => Promise<T>,
  openOptions: Pick<OpenStoreOptions, 'mustExist'> = {},
): Promise<T> {
  const options = globalOptions(command);
  const storeOptions: OpenStoreOptions = { ...openOptions };
  if (options.verbose) storeOptions.logger = (event) => printNote(formatEvent(event));
  const store = await openStore(options.url, storeOptions);
  try {
    return await action(store, options);
  } finally {
    await store.connector.close();
  }
}

/**
 * Runs `action` as {@link withStore} does, for commands that only read: a `file:` URL whose
 * file does not exist rejects with `STORE_NOT_FOUND` instead of creating an empty store.
 */
export function withExistingStore<T>(
  command: Command,
  action: (store: Store, options: GlobalOptions) => Promise<T>,
): Promise<T> {
  return withStore(command, action, { mustExist: true });
}
