import { fileURLToPath } from 'node:url';
import type { Client, InStatement } from '@libsql/client';
import { readMigrationFiles } from 'drizzle-orm/migrator';

const migrationsFolder = fileURLToPath(new URL('../drizzle', import.meta.url));

/** drizzle's own bookkeeping table, so that drizzle-kit reads the same history. */
const createJournal = `
  CREATE TABLE IF NOT EXISTS __drizzle_migrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    hash text NOT NULL,
    created_at numeric
  )`;

const selectJournalExists =
  "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'";

const selectLastApplied = 'SELECT max(created_at) AS last FROM __drizzle_migrations';

// Records a migration unless a concurrent process recorded it first.
const recordMigration = `
  INSERT INTO __drizzle_migrations (hash, created_at)
  SELECT ?1, ?2 WHERE NOT EXISTS (SELECT 1 FROM __drizzle_migrations WHERE created_at >= ?2)`;

async function readLastApplied(client: Client): Promise<number> {
  const journal = await client.execute(selectJournalExists);
  if (journal.rows.length === 0) return 0;
  const last = await client.execute(selectLastApplied);
  return Number(last.rows[0]?.['last'] ?? 0);
}

/**
 * Applies drizzle's pending migrations from `drizzle/` in one write batch.
 *
 * A libSQL batch runs `BEGIN IMMEDIATE` to `COMMIT` inside one synchronous call. drizzle's
 * own libSQL migrator instead keeps a transaction open across awaits. Another connection of
 * the same process that waits for its lock then blocks the event loop for the whole busy
 * timeout. The lock holder cannot finish meanwhile, so the waiter fails with SQLITE_BUSY.
 *
 * Processes that start together may all see the same migrations pending. Their batches run
 * one after another, and the statements use IF NOT EXISTS and the journal insert skips a
 * migration already recorded, so the later batches change nothing. If a later batch fails
 * because an earlier one applied a migration first, the journal shows it applied and the
 * failure is ignored. A database that Buildbot created is accepted as it is.
 */
export async function migrateSqlite(client: Client): Promise<void> {
  // WAL lets readers run during a write. It is stored in the file, so setting it again is a
  // no-op; it cannot run inside a transaction, and an in-memory database reports `memory`.
  await client.execute('PRAGMA journal_mode = WAL');

  const migrations = readMigrationFiles({ migrationsFolder });
  const latest = Math.max(0, ...migrations.map((migration) => migration.folderMillis));
  const lastApplied = await readLastApplied(client);
  if (lastApplied >= latest) return;

  const statements: InStatement[] = [createJournal];
  for (const migration of migrations) {
    if (migration.folderMillis <= lastApplied) continue;
    for (const statement of migration.sql) {
      if (statement.trim() !== '') statements.push(statement);
    }
    statements.push({ sql: recordMigration, args: [migration.hash, migration.folderMillis] });
  }

  try {
    await client.batch(statements, 'write');
  } catch (error) {
    if ((await readLastApplied(client).catch(() => 0)) < latest) throw error;
  }
}
