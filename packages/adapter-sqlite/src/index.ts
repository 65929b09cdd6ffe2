import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Client, createClient } from '@libsql/client';
import {
  type AdministeredStateConnector,
  BackendError,
  type ConnectorOptions,
  createStateConnector,
  type SyncTarget,
} from '@state-connector/core';
import { classifySqliteError } from './errors.js';
import { SqliteStorage } from './sqlite-storage.js';

export { objectState, objects } from './schema.js';

/** Default store of the SQLite adapter: `state.db` in the working directory. */
export const DEFAULT_SQLITE_URL = 'file:state.db';

/** Options of {@link createSqliteStateConnector}. */
export interface SqliteConnectorOptions extends ConnectorOptions {
  /**
   * libSQL URL of the database: `file:path.db` (relative to the working directory when the
   * connector is created), `file:/absolute/path.db` or `:memory:`. Defaults to
   * {@link DEFAULT_SQLITE_URL}.
   */
  url?: string;
  /** Auth token for a remote libSQL server (`libsql://...`). */
  authToken?: string;
  /**
   * A libSQL client of the caller's. The connector never closes it, and the synchronous
   * methods are unavailable, because a worker thread cannot share it.
   */
  client?: Client;
  /** How long a statement waits for another connection's lock, in milliseconds; 5000. */
  busyTimeoutMs?: number;
  /** Further attempts after a lock conflict outlasts the busy timeout; 5. */
  maxRetries?: number;
}

function checkOptions(options: SqliteConnectorOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('Invalid options: expected an object such as { url: "file:state.db" }.');
  }
  if (options.url !== undefined && typeof options.url !== 'string') {
    throw new TypeError(`Invalid url option: expected a string, got ${typeof options.url}.`);
  }
  for (const key of ['busyTimeoutMs', 'maxRetries'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new TypeError(`Invalid ${key} option ${String(value)}: expected an integer >= 0.`);
    }
  }
}

function absoluteFileUrl(url: string): string {
  // `file::memory:` names no file, so it must not become a path in the working directory.
  if (!url.startsWith('file:') || url.startsWith('file:/') || isInMemory(url)) return url;
  const [path = '', query] = url.slice('file:'.length).split('?', 2);
  const absolute = pathToFileURL(resolve(path)).href;
  return query === undefined ? absolute : `${absolute}?${query}`;
}

function openClient(url: string, busyTimeoutMs: number, authToken: string | undefined): Client {
  try {
    return createClient({
      url,
      timeout: busyTimeoutMs,
      ...(authToken === undefined ? {} : { authToken }),
    });
  } catch (error) {
    const failure = classifySqliteError(error);
    throw new BackendError('sqlite', 'open', {
      retryable: false,
      cause: error,
      // A non-libSQL error here comes from the native driver failing to open the file.
      detail: `${failure.detail ?? 'the database cannot be opened'}: ${url.split('?')[0]}`,
    });
  }
}

function isInMemory(url: string): boolean {
  return url === ':memory:' || url.startsWith('file::memory:') || url.includes('mode=memory');
}

/**
 * Creates a connector on an SQLite file (the embedded default) or a libSQL database.
 *
 * Several processes can share one file: the schema is created under a write lock, the file
 * uses WAL, statements wait up to `busyTimeoutMs` for a lock and retry after it.
 * `:memory:` keeps its data for the connector's life on one connection, but the synchronous
 * methods are unavailable on it, because a worker thread would open another, empty database.
 *
 * @example
 * ```ts
 * import { createSqliteStateConnector } from '@state-connector/adapter-sqlite';
 *
 * const connector = createSqliteStateConnector({ url: 'file:/var/lib/ci/state.db' });
 * const objectId = await connector.getObjectId('nightly', 'Scheduler');
 * await connector.setState(objectId, 'lastRun', Date.now());
 * await connector.close();
 * ```
 */
export function createSqliteStateConnector(
  options: SqliteConnectorOptions = {},
): AdministeredStateConnector {
  checkOptions(options);
  const url = absoluteFileUrl(options.url ?? DEFAULT_SQLITE_URL);
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const maxRetries = options.maxRetries ?? 5;

  let sync: SyncTarget | string;
  if (options.client !== undefined) {
    sync =
      'the connector was built from a libSQL client of the caller, which cannot move to a worker thread; pass `url` instead of `client`.';
  } else if (isInMemory(url)) {
    sync =
      'an in-memory database exists on one connection only, so a worker thread cannot reach it; use a file URL.';
  } else {
    const plain: SqliteConnectorOptions = { url, busyTimeoutMs, maxRetries };
    if (options.authToken !== undefined) plain.authToken = options.authToken;
    sync = { module: import.meta.url, exportName: 'createSqliteStateConnector', options: plain };
  }

  // Core calls this only after it has accepted its own options, so a rejected option
  // leaves no file and no open client behind.
  return createStateConnector(
    (context) =>
      new SqliteStorage(
        {
          client: options.client ?? openClient(url, busyTimeoutMs, options.authToken),
          ownsClient: options.client === undefined,
          reopenAfterLockConflict:
            options.client === undefined && url.startsWith('file:') && !isInMemory(url),
          maxRetries,
        },
        context,
      ),
    {
      sync,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.objectIdCacheSize === undefined
        ? {}
        : { objectIdCacheSize: options.objectIdCacheSize }),
    },
  );
}
