import {
  type AdministeredStateConnector,
  createStateConnector,
  type SyncTarget,
} from '@state-connector/core';
import { Pool } from 'pg';
import { connectionSettings } from './connection-string.js';
import { checkOptions, type PostgresConnectorOptions } from './options.js';
import { PostgresStorage } from './postgres-storage.js';

export { ObjectIdOutOfRangeError } from './errors.js';
export { MIGRATION_LOCK_KEY } from './migrate.js';
export { DEFAULT_POSTGRES_SCHEMA, type PostgresConnectorOptions } from './options.js';
export { objectState, objects } from './schema.js';
export { MAX_OBJECT_ID } from './statements.js';

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;
const DEFAULT_APPLICATION_NAME = 'state-connector';

/**
 * Creates a connector on a PostgreSQL database, in Buildbot's tables `objects` and
 * `object_state` of `schema`. A database whose tables Buildbot created is used as it is.
 *
 * The tables are created or upgraded by drizzle migrations before the first call (or on
 * `migrate()`), serialized across processes by an advisory lock. Every primitive is one
 * statement, so a call costs one round trip in the steady state. A failed call rejects with
 * `BackendError`, whose `retryable` is true when trying again may help.
 *
 * @example
 * ```ts
 * import { createPostgresStateConnector } from '@state-connector/adapter-postgres';
 *
 * const connector = createPostgresStateConnector({
 *   connectionString: process.env.DATABASE_URL,
 *   schema: 'ci_state',
 * });
 * const objectId = await connector.getObjectId('nightly', 'Scheduler');
 * await connector.setState(objectId, 'lastRun', Date.now());
 * await connector.close();
 * ```
 */
export function createPostgresStateConnector(
  options: PostgresConnectorOptions,
): AdministeredStateConnector {
  const schema = checkOptions(options);
  const connectionTimeoutMs = options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
  const applicationName = options.applicationName ?? DEFAULT_APPLICATION_NAME;
  const preparedStatements = options.preparedStatements ?? true;

  let sync: SyncTarget | string;
  let openPool: () => Pool;
  const callerPool = options.pool;
  if (callerPool !== undefined) {
    sync =
      'the connector was built from a pg pool of the caller, which cannot move to a worker thread; pass `connectionString` instead of `pool`.';
    openPool = () => callerPool;
  } else {
    const connectionString = options.connectionString as string;
    // Parsed now, so that a malformed URL throws here rather than on the first call.
    const connection = connectionSettings(connectionString);

    // The worker thread runs one blocking call at a time, so one connection is enough.
    const plain: PostgresConnectorOptions = {
      connectionString,
      schema,
      poolSize: 1,
      connectionTimeoutMs,
      applicationName,
      preparedStatements,
    };
    sync = { module: import.meta.url, exportName: 'createPostgresStateConnector', options: plain };
    openPool = () =>
      new Pool({
        connectionString: connection.connectionString,
        options: connection.options,
        max: options.poolSize ?? DEFAULT_POOL_SIZE,
        connectionTimeoutMillis: connectionTimeoutMs,
        application_name: applicationName,
        keepAlive: true,
        // Idle connections do not keep the process alive once nothing else does.
        allowExitOnIdle: true,
      });
  }

  // Core calls this only after it has accepted its own options, so a rejected option
  // leaves no pool behind.
  return createStateConnector(
    (context) =>
      new PostgresStorage(
        { pool: openPool(), ownsPool: callerPool === undefined, schema, preparedStatements },
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
