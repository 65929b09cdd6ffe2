import { createRequire } from 'node:module';
import Keyv from 'keyv';
import { countCalls } from '../round-trips.js';
import { KEYV_NAMESPACE, keyvSubject, type Subject } from '../subject.js';

const require = createRequire(import.meta.url);

/**
 * Opens Keyv on `@keyv/sqlite` (the `sqlite3` driver) over an existing file. The native
 * module must be built first, so the store is imported only here.
 */
export async function openSqliteKeyv(
  path: string,
): Promise<{ subject: Subject; close: () => Promise<void> }> {
  const fromKeyvSqlite = createRequire(require.resolve('@keyv/sqlite'));
  const sqlite3 = fromKeyvSqlite('sqlite3') as { Database: { prototype: object } };
  countCalls(sqlite3.Database.prototype, ['all', 'get', 'run', 'exec']);

  const { KeyvSqlite } = await import('@keyv/sqlite');
  const store = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 5000 });
  const keyv = new Keyv({ store, namespace: KEYV_NAMESPACE });
  return { subject: keyvSubject(keyv), close: () => keyv.disconnect() };
}
