import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { escapeIdentifier, type Pool, type PoolClient } from 'pg';
import { qualifiedTableName } from './statements.js';

const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/**
 * Key of the session-level advisory lock that serializes migrations. It is an arbitrary
 * constant, the same in every process and release, so that every connector migrating any
 * schema of one database waits for the others.
 */
export const MIGRATION_LOCK_KEY = '7310654930172735571';

/** drizzle's journal table, in the same layout as drizzle's node-postgres migrator makes it. */
const journalTable = '__drizzle_migrations';

/**
 * Applies drizzle's migrations from `drizzle/` to `schema`, creating the schema if it is
 * missing. Safe when several processes start at once: each takes `pg_advisory_lock` on a
 * dedicated connection and keeps it for the whole run, so the second waits and then finds
 * every migration applied. The pending migrations and their journal rows commit in one transaction.
 *
 * Unlike drizzle's own `migrate()`, this runner issues no DDL when nothing is pending, so a
 * role without CREATE privilege can start on a migrated database. The migration files use
 * IF NOT EXISTS, so tables that Buildbot created are accepted as they are.
 *
 * @throws the driver's error, unchanged; the connection is then discarded, not pooled.
 */
export async function migratePostgres(
  pool: Pool,
  schema: string,
  onConnectionError: (error: Error) => void,
): Promise<void> {
  const client = await pool.connect();
  // A checked-out client that loses its connection between queries emits 'error'; without a
  // listener that would crash the process.
  client.on('error', onConnectionError);

  let failure: unknown;
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      await applyPendingMigrations(client, schema);
    } catch (error) {
      failure = error;
    }
    try {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]);
    } catch (error) {
      // The connection is discarded below, which also releases the lock, so an unlock error
      // matters only when it is the first failure.
      failure ??= error;
    }
  } catch (error) {
    failure = error;
  } finally {
    client.off('error', onConnectionError);
    client.release(failure === undefined ? undefined : asError(failure));
  }
  if (failure !== undefined) throw failure;
}

async function applyPendingMigrations(client: PoolClient, schema: string): Promise<void> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const journal = qualifiedTableName(schema, journalTable);

  await client.query('BEGIN');
  try {
    // SET LOCAL ends with the transaction, so the pooled connection keeps its search_path.
    await client.query(`SET LOCAL search_path TO ${escapeIdentifier(schema)}`);

    const found = await client.query<{ has_schema: boolean; has_journal: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1::text) AS has_schema,
              to_regclass($2::text) IS NOT NULL AS has_journal`,
      [schema, journal],
    );
    const { has_schema: hasSchema, has_journal: hasJournal } = found.rows[0] ?? {};
    if (hasSchema !== true) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${escapeIdentifier(schema)}`);
    }
    if (hasJournal !== true) {
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${journal} (
           id SERIAL PRIMARY KEY,
           hash text NOT NULL,
           created_at bigint
         )`,
      );
    }

    const last = await client.query<{ created_at: string | null }>(
      `SELECT created_at FROM ${journal} ORDER BY created_at DESC LIMIT 1`,
    );
    const lastApplied = Number(last.rows[0]?.created_at ?? 0);

    for (const migration of migrations) {
      if (migration.folderMillis <= lastApplied) continue;
      for (const statement of migration.sql) {
        if (statement.trim() !== '') await client.query(statement);
      }
      await client.query(`INSERT INTO ${journal} (hash, created_at) VALUES ($1, $2)`, [
        migration.hash,
        migration.folderMillis,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    // A failed ROLLBACK means the connection is gone; the caller discards it either way.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
