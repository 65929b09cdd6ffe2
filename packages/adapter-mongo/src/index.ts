import {
  type AdministeredStateConnector,
  BackendError,
  type ConnectorOptions,
  createStateConnector,
  type SyncTarget,
} from '@state-connector/core';
import { MongoClient } from 'mongodb';
import { checkConnectorOptions, checkDatabaseName } from './check-options.js';
import {
  DEFAULT_MONGO_DATABASE,
  databaseFromUrl,
  hidePassword,
  redactUrl,
} from './connection-string.js';
import { MongoStorage } from './mongo-storage.js';

export { MAX_DATABASE_NAME_BYTES } from './check-options.js';
export { DEFAULT_MONGO_DATABASE } from './connection-string.js';
export type { CounterDocument, ObjectDocument, StateDocument } from './schema.js';

/** Options of {@link createMongoStateConnector}. Pass exactly one of `url` and `client`. */
export interface MongoConnectorOptions extends ConnectorOptions {
  /**
   * Connection string, `mongodb://user:password@host:27017/database?options` or
   * `mongodb+srv://...`. Driver options such as `serverSelectionTimeoutMS` go in its query.
   */
  url?: string;
  /**
   * A MongoClient of the caller's. The connector never closes it, and the synchronous
   * methods are unavailable, because a worker thread cannot share it.
   */
  client?: MongoClient;
  /**
   * Database that contains the collections. Defaults to the database in `url`, or to
   * {@link DEFAULT_MONGO_DATABASE} when `url` names none or `client` is given.
   */
  database?: string;
}

class ConnectionStringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionStringError';
  }
}

function openClient(url: string): MongoClient {
  try {
    return new MongoClient(url);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const safeMessage = hidePassword(message, url);
    // Keep the driver's error as cause unless its message quotes the password.
    const cause = safeMessage === message ? error : new ConnectionStringError(safeMessage);
    throw new BackendError('mongo', 'open', {
      retryable: false,
      cause,
      detail: `invalid connection string ${redactUrl(url)}: ${safeMessage}`,
    });
  }
}

/**
 * Creates a connector on a MongoDB database through the official driver, or on a server that
 * speaks the MongoDB wire protocol, such as FerretDB.
 *
 * It uses no transactions. The collections `objects` and `object_state` have unique indexes
 * on each identity, created (and checked) before the first read or write, and a writer that
 * loses a race to create a document reads the winner's instead. Processes that start at once
 * on a fresh database are safe.
 *
 * @throws TypeError - before any I/O, when `options` is missing, neither or both of `url` and
 *   `client` are given, `url` is not a string, or the database name is invalid in MongoDB
 *   (empty, over {@link MAX_DATABASE_NAME_BYTES} UTF-8 bytes, or containing `/\. "$*<>:|?`
 *   or NUL).
 * @throws BackendError - `url` is not a valid connection string.
 *
 * @example
 * ```ts
 * import { createMongoStateConnector } from '@state-connector/adapter-mongo';
 *
 * const connector = createMongoStateConnector({ url: 'mongodb://127.0.0.1:27017/ci' });
 * const objectId = await connector.getObjectId('nightly', 'Scheduler');
 * await connector.setState(objectId, 'lastRun', Date.now());
 * await connector.close();
 * ```
 */
export function createMongoStateConnector(
  options: MongoConnectorOptions,
): AdministeredStateConnector {
  checkConnectorOptions(options);
  const { url, client: callerClient } = options;

  let client: MongoClient;
  let database: string;
  let sync: SyncTarget | string;
  if (url === undefined) {
    database = options.database ?? DEFAULT_MONGO_DATABASE;
    checkDatabaseName(database, 'database');
    client = callerClient as MongoClient;
    sync =
      'the connector was built from a MongoClient of the caller, which cannot move to a worker thread; pass `url` instead of `client`.';
  } else {
    // The driver parses the connection string first, so that a malformed one (such as a
    // password with an unescaped `/`) is reported as such, not as a strange database name.
    // Its constructor does no I/O.
    client = openClient(url);
    const fromUrl = options.database === undefined ? databaseFromUrl(url) : undefined;
    database = options.database ?? fromUrl ?? DEFAULT_MONGO_DATABASE;
    checkDatabaseName(database, fromUrl === undefined ? 'database' : 'url');
    const plain: MongoConnectorOptions = { url, database };
    if (options.objectIdCacheSize !== undefined) {
      plain.objectIdCacheSize = options.objectIdCacheSize;
    }
    sync = { module: import.meta.url, exportName: 'createMongoStateConnector', options: plain };
  }

  return createStateConnector(
    (context) => new MongoStorage({ client, ownsClient: url !== undefined, database }, context),
    {
      sync,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.objectIdCacheSize === undefined
        ? {}
        : { objectIdCacheSize: options.objectIdCacheSize }),
    },
  );
}
