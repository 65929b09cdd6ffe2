import type { ConnectorOptions } from '@state-connector/core';
import type { Pool } from 'pg';

/** Options of `createPostgresStateConnector`. Pass `connectionString` or `pool`. */
export interface PostgresConnectorOptions extends ConnectorOptions {
  /**
   * libpq-style URL of the database, such as `postgres://user:secret@db.internal:5432/ci`.
   * The connector opens its own pool on it and ends the pool in `close()`. Parameters in the
   * URL (for example `application_name`) take precedence over the options below. The URL's
   * `options` are kept, and the connector adds its own READ COMMITTED setting after them.
   */
  connectionString?: string;
  /**
   * A pg pool of the caller's. The connector never ends it, and the synchronous methods are
   * unavailable, because a worker thread cannot share it. While any connector on the pool is
   * open, the pool has one `'error'` listener, shared by all of them, so that a dropped idle
   * connection cannot crash the process.
   */
  pool?: Pool;
  /**
   * Schema that contains the tables, created if missing, `public` by default. PostgreSQL
   * limits it to 63 bytes of UTF-8 and reserves names that start with `pg_`.
   */
  schema?: string;
  /** Maximum number of connections of the connector's own pool; 10 by default. */
  poolSize?: number;
  /** How long to wait for a new connection, in milliseconds; 10,000 by default. */
  connectionTimeoutMs?: number;
  /** `application_name` of the connector's connections, shown in `pg_stat_activity`. */
  applicationName?: string;
  /**
   * Whether to run the primitives as named prepared statements, which each connection plans
   * once instead of on every call; true by default. Set it to false behind a connection
   * pooler that cannot keep prepared statements, such as PgBouncer before 1.21 in
   * transaction mode.
   */
  preparedStatements?: boolean;
}

/** Default schema of the tables: PostgreSQL's `public`, where Buildbot keeps them. */
export const DEFAULT_POSTGRES_SCHEMA = 'public';

// PostgreSQL's NAMEDATALEN is 64 bytes with the terminating NUL. A longer name is silently
// truncated, so two long schema names could end up as one.
const MAX_SCHEMA_BYTES = 63;

const WHAT_TO_PASS =
  'Pass exactly one of `connectionString` (a postgres:// URL) and `pool` (a pg.Pool).';

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function isPool(value: unknown): value is Pool {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return ['query', 'connect', 'on', 'off', 'end'].every(
    (method) => typeof candidate[method] === 'function',
  );
}

/**
 * Checks a schema name before any I/O. PostgreSQL rejects names that start with `pg_`
 * (reserved for system schemas, compared case-sensitively) and names with U+0000, and it
 * truncates names over 63 bytes.
 */
function checkSchema(schema: unknown): string {
  if (typeof schema !== 'string') {
    throw new TypeError(`Invalid \`schema\`: expected a string, got ${describeType(schema)}.`);
  }

  const quoted = JSON.stringify(schema);
  let problem: string | undefined;
  if (schema === '') {
    problem = 'the name is empty';
  } else if (schema.includes('\u0000')) {
    problem = 'PostgreSQL names cannot contain U+0000';
  } else if (!schema.isWellFormed()) {
    problem = 'it contains a lone surrogate, which UTF-8 cannot encode';
  } else if (Buffer.byteLength(schema, 'utf8') > MAX_SCHEMA_BYTES) {
    problem = `PostgreSQL names are at most ${MAX_SCHEMA_BYTES} bytes of UTF-8`;
  } else if (schema.startsWith('pg_')) {
    problem = 'PostgreSQL reserves the prefix pg_ for system schemas';
  }
  if (problem !== undefined) {
    throw new TypeError(`Invalid \`schema\` ${quoted}: ${problem}. Choose another schema name.`);
  }
  return schema;
}

/**
 * Checks the options of `createPostgresStateConnector` before any I/O and returns the schema.
 *
 * @throws TypeError - the options are missing, name neither or both of `connectionString`
 *   and `pool`, or hold a value of the wrong type or range.
 */
export function checkOptions(options: unknown): string {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `createPostgresStateConnector expects an options object, got ${describeType(options)}. ` +
        WHAT_TO_PASS,
    );
  }

  const { connectionString, pool, schema, applicationName } = options as Record<string, unknown>;
  if (connectionString === undefined && pool === undefined) {
    throw new TypeError(
      `createPostgresStateConnector got neither \`connectionString\` nor \`pool\`. ${WHAT_TO_PASS}`,
    );
  }
  if (connectionString !== undefined && pool !== undefined) {
    throw new TypeError(
      `createPostgresStateConnector got both \`connectionString\` and \`pool\`. ${WHAT_TO_PASS}`,
    );
  }
  if (connectionString !== undefined) {
    if (typeof connectionString !== 'string' || connectionString.trim() === '') {
      const got =
        typeof connectionString === 'string' ? 'an empty string' : describeType(connectionString);
      throw new TypeError(
        `Invalid \`connectionString\`: expected a URL such as ` +
          `postgres://user:password@host:5432/database, got ${got}.`,
      );
    }
  } else if (!isPool(pool)) {
    throw new TypeError(
      `Invalid \`pool\`: expected a pg.Pool (new pg.Pool(...)), got ${describeType(pool)}.`,
    );
  }

  const checked = checkSchema(schema ?? DEFAULT_POSTGRES_SCHEMA);

  for (const key of ['poolSize', 'connectionTimeoutMs'] as const) {
    const value = (options as PostgresConnectorOptions)[key];
    if (value !== undefined && (!Number.isSafeInteger(value) || value <= 0)) {
      throw new TypeError(`Invalid \`${key}\` ${String(value)}: expected a positive integer.`);
    }
  }
  const prepared = (options as PostgresConnectorOptions).preparedStatements;
  if (prepared !== undefined && typeof prepared !== 'boolean') {
    throw new TypeError(
      `Invalid \`preparedStatements\`: expected a boolean, got ${describeType(prepared)}.`,
    );
  }
  if (applicationName !== undefined && typeof applicationName !== 'string') {
    throw new TypeError(
      `Invalid \`applicationName\`: expected a string, got ${describeType(applicationName)}.`,
    );
  }
  return checked;
}
