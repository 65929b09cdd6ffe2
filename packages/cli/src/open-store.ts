import { existsSync } from 'node:fs';
import type {
  AdministeredStateConnector,
  StateConnectorEvent,
  StateConnectorLogger,
} from '@state-connector/core';
import { CliError, UsageError } from './cli-errors.js';
import { type Backend, backendOf, checkServerUrl, redactUrl, sqliteFilePath } from './store-url.js';

/** An open connector and how to describe its store without secrets. */
export interface Store {
  connector: AdministeredStateConnector;
  backend: Backend;
  /** The store URL with its credentials replaced by `***`. */
  shownUrl: string;
}

/** Options of {@link openStore} besides the URL. */
export interface OpenStoreOptions {
  /** Receives the connector's events (migrations, retries, backend errors). */
  logger?: StateConnectorLogger;
  /**
   * Rejects a `file:` URL whose file does not exist, instead of creating an empty store.
   * Commands that only read set it, so that a typo in the path creates nothing.
   */
  mustExist?: boolean;
}

type Factory = (options: Record<string, unknown>) => AdministeredStateConnector;

interface AdapterModule {
  /** Package that exports the factory. */
  specifier: string;
  exportName: string;
  /** Builds the factory's options from the URL; the adapters name the option differently. */
  options: (url: string) => Record<string, unknown>;
}

const adapters: Record<Backend, AdapterModule> = {
  sqlite: {
    specifier: '@state-connector/adapter-sqlite',
    exportName: 'createSqliteStateConnector',
    options: (url) => ({ url }),
  },
  postgres: {
    specifier: '@state-connector/adapter-postgres',
    exportName: 'createPostgresStateConnector',
    options: (url) => ({ connectionString: url }),
  },
  mongo: {
    specifier: '@state-connector/adapter-mongo',
    exportName: 'createMongoStateConnector',
    options: (url) => ({ url }),
  },
};

// Each adapter is imported only when a URL needs it, so the command keeps working on SQLite
// when another adapter, or its driver, fails to load. The specifier is a variable so that the
// CLI compiles without the other adapters' type declarations.
async function loadFactory(backend: Backend): Promise<Factory> {
  const adapter = adapters[backend];
  let loaded: Record<string, unknown>;
  try {
    loaded = (await import(adapter.specifier)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      'ADAPTER_UNAVAILABLE',
      `The ${backend} adapter ${adapter.specifier} failed to load (${reason}); ` +
        'reinstall the package or use another store URL.',
    );
  }

  const factory = loaded[adapter.exportName];
  if (typeof factory !== 'function') {
    throw new CliError(
      'ADAPTER_UNAVAILABLE',
      `The ${backend} adapter ${adapter.specifier} does not export ${adapter.exportName}; ` +
        'install a matching version of the package.',
    );
  }
  return factory as Factory;
}

function checkStoreExists(url: string): void {
  const path = sqliteFilePath(url);
  if (path === undefined || existsSync(path)) return;
  throw new CliError(
    'STORE_NOT_FOUND',
    `No store at ${path}: the file does not exist. Check the path in the store URL; ` +
      'set, create, object-id, migrate and import create a new store.',
  );
}

/**
 * Opens a connector on the store at `url`, choosing the adapter by the URL's scheme. The
 * connection is made lazily by the first call, so opening a store does no I/O besides the
 * check of `mustExist`.
 *
 * @throws UsageError - the URL's scheme is not supported, or the adapter rejected the URL
 *   of a server (an invalid port, an unknown MongoDB option).
 * @throws CliError - the adapter for the scheme failed to load, or code `STORE_NOT_FOUND`
 *   when `mustExist` is set and the file of a `file:` URL does not exist.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const backend = backendOf(url);
  if (backend !== 'sqlite') checkServerUrl(url);
  if (options.mustExist === true) checkStoreExists(url);
  const factory = await loadFactory(backend);
  const factoryOptions = adapters[backend].options(url);
  if (options.logger !== undefined) factoryOptions['logger'] = options.logger;

  let connector: AdministeredStateConnector;
  try {
    connector = factory(factoryOptions);
  } catch (error) {
    // The server adapters connect on the first call, so an error here comes from parsing
    // the URL. The SQLite adapter opens its file here, which can fail for other reasons.
    if (backend === 'sqlite') throw error;
    // The driver's message, kept as cause, names the problem without the adapter's advice.
    const reported = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const reason = reported instanceof Error ? reported.message : String(reported);
    throw new UsageError(
      `Invalid store URL ${JSON.stringify(redactUrl(url))}: the ${backend} adapter rejected ` +
        `it (${reason}).`,
      'INVALID_URL',
    );
  }
  return { connector, backend, shownUrl: redactUrl(url) };
}

/**
 * Formats a connector event as one line for `--verbose`. Driver errors are left out, because
 * their messages may contain SQL or connection details.
 */
export function formatEvent(event: StateConnectorEvent): string {
  switch (event.type) {
    case 'migrated':
      return `${event.backend}: schema ready in ${event.durationMs.toFixed(0)} ms`;
    case 'retry':
      return (
        `${event.backend}: ${event.operation} retry ${event.attempt} ` +
        `in ${event.delayMs.toFixed(0)} ms`
      );
    case 'backend-error':
      return (
        `${event.backend}: ${event.operation} failed` +
        (event.retryable ? ' (retryable)' : ' (not retryable)')
      );
    case 'pool-error':
      return `${event.backend}: an idle connection failed`;
  }
}
