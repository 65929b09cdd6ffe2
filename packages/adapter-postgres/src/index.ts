import {
  type AdministeredStateConnector,
  type ConnectorOptions,
  createStateConnector,
  type SyncTarget,
} from '@state-connector/core';
import { Pool } from 'pg';
import { PostgresStorage } from './postgres-storage.js';

export { MIGRATION_LOCK_KEY } from './migrate.js';
export { objectState, objects } from './schema.js';
export { MAX_OBJECT_ID } from './statements.js';

/** Default schema of the tables: PostgreSQL's `public`, where Buildbot keeps them. */
export const DEFAULT_POSTGRES_SCHEMA = 'public';

/** Options of {@link createPostgresStateConnector}. Pass `connectionString` or `pool`. */
export interface PostgresConnectorOptions extends ConnectorOptions {
  /**
   * libpq-style URL of the database, such as `postgres://user:secret@db.internal:5432/ci`.
   * The connector opens its own pool on it and ends the pool in `close()`. Parameters in the
   * URL (for example `application_name` or `options`) take precedence over the options below.
   */
  connectionString?: string;
  /**
   * A pg pool of the caller's. The connector never ends it, and the synchronous methods are
   * unavailable, because a worker thread cannot share it. The connector adds an `'error'`
   * listener to it while open, so that a dropped idle connection cannot crash the process.
   */
  pool?: Pool;
  /** Schema that contains the tables, created if missing; `public` by default. */
  schema?: string;
  /** Maximum number of connections of the connector's own pool; 10 by default. */
  poolSize?: number;
  /** How long to wait for a new connection, in milliseconds; 10,000 by default. */
  connectionTimeoutMs?: number;
  /** `application_name` of the connector's connections, shown in `pg_stat_activity`. */
  applicationName?: string;
}

const DEFAULT_POOL_SIZE = 10;
const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;
const DEFAULT_APPLICATION_NAME = 'state-connector';

// The create races rely on READ COMMITTED (see statements.ts). Setting it at connection
// start keeps them correct on a database whose default isolation level is stricter.
const readCommitted = '-c default_transaction_isolation=read\\ committed';

function checkOptions(options: PostgresConnectorOptions): string {
  if ((options.connectionString === undefined) === (options.pool === undefined)) {
    throw new TypeError(
      'createPostgresStateConnector needs exactly one of `connectionString` and `pool`.',
    );
  }
  if (options.connectionString !== undefined && typeof options.connectionString !== 'string') {
    throw new TypeError('Invalid `connectionString`: expected a postgres:// URL string.');
  }

  const schema = options.schema ?? DEFAULT_POSTGRES_SCHEMA;
  if (typeof schema !== 'string' || schema === '' || schema.includes('\u0000')) {
    throw new TypeError(
      `Invalid \`schema\` ${JSON.stringify(schema)}: expected a non-empty name without U+0000.`,
    );
  }
  if (Buffer.byteLength(schema, 'utf8') > 63) {
    throw new TypeError(
      `Invalid \`schema\` ${JSON.stringify(schema)}: PostgreSQL names are at most 63 bytes.`,
    );
  }

  for (const key of ['poolSize', 'connectionTimeoutMs'] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
      throw new TypeError(`Invalid \`${key}\` ${String(value)}: expected a positive integer.`);
    }
  }
  return schema;
}

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

  let sync: SyncTarget | string;
  let pool: Pool;
  if (options.pool !== undefined) {
    sync =
      'the connector was built from a pg pool of the caller, which cannot move to a worker thread; pass `connectionString` instead of `pool`.';
    pool = options.pool;
  } else {
    const connectionString = options.connectionString as string;
    // The worker thread runs one blocking call at a time, so one connection is enough.
    const plain: PostgresConnectorOptions = {
      connectionString,
      schema,
      poolSize: 1,
      connectionTimeoutMs,
      applicationName,
    };
    sync = { module: import.meta.url, exportName: 'createPostgresStateConnector', options: plain };
    pool = new Pool({
      connectionString,
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      connectionTimeoutMillis: connectionTimeoutMs,
      application_name: applicationName,
      options: readCommitted,
      keepAlive: true,
      // Idle connections do not keep the process alive once nothing else does.
      allowExitOnIdle: true,
    });
  }

  return createStateConnector(
    (context) =>
      new PostgresStorage({ pool, ownsPool: options.pool === undefined, schema }, context),
    {
      sync,
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.objectIdCacheSize === undefined
        ? {}
        : { objectIdCacheSize: options.objectIdCacheSize }),
    },
  );
}
