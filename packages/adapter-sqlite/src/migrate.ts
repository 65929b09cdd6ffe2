import { fileURLToPath } from 'node:url';
import type { Client } from '@libsql/client';
import { readMigrationFiles } from 'drizzle-orm/migrator';

const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** drizzle's own bookkeeping table, so that drizzle-kit sees the same history. */
const createJournal = `
  CREATE TABLE IF NOT EXISTS __drizzle_migrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hash text NOT NULL,
    created_at numeric
  )`;

/**
 * Applies drizzle's migrations from `drizzle/` inside one `BEGIN IMMEDIATE` transaction.
 *
 * drizzle's own libSQL migrator reads the applied migrations before it opens its
 * transaction, so two processes starting at once could both apply the same one. Taking the
 * write lock first serializes them: the second waits (busy timeout), then sees the first's
 * rows and applies nothing. The statements use IF NOT EXISTS, so a database that Buildbot
 * created is accepted as it is.
 */
export async function migrateSqlite(client: Client): Promise<void> {
  // WAL lets readers run during a write. It is stored in the file, so setting it again is a
  // no-op; it cannot run inside a transaction, and an in-memory database reports `memory`.
  await client.execute('PRAGMA journal_mode = WAL');

  const migrations = readMigrationFiles({ migrationsFolder });
  const transaction = await client.transaction('write');
  try {
    await transaction.execute(createJournal);
    const last = await transaction.execute(
      'SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1',
    );
    const lastApplied = Number(last.rows[0]?.['created_at'] ?? 0);

    for (const migration of migrations) {
      if (migration.folderMillis <= lastApplied) continue;
      for (const statement of migration.sql) {
        if (statement.trim() !== '') await transaction.execute(statement);
      }
      await transaction.execute({
        sql: 'INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)',
        args: [migration.hash, migration.folderMillis],
      });
    }
    await transaction.commit();
  } finally {
    transaction.close();
  }
}
