import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Client, createClient } from '@libsql/client';
import { Sqlite3Client } from '@libsql/client/sqlite3';
import { createSqliteStateConnector } from '@state-connector/adapter-sqlite';
import { type Backend, type BackendRun, elapsedMs, type Log } from '../backend.js';
import { ensureSqlite3Binding } from '../native-sqlite3.js';
import { countCalls } from '../round-trips.js';
import {
  CLASS_NAME,
  type Dataset,
  datasetOf,
  KEYV_NAMESPACE,
  NEW_NAMES_OBJECT,
  newNamesObjectId,
  ourSubject,
  rowCount,
  type Subject,
  stateValueSql,
} from '../subject.js';
import { openSqliteKeyv } from './keyv.js';
import { loadSqliteStatements, rawSqliteSubject } from './raw.js';

countCalls(Sqlite3Client.prototype, ['execute', 'batch', 'executeMultiple', 'transaction']);

// A recursive CTE yields 0 .. count - 1 inside SQLite, so a prefill is one statement.
function sequence(count: number): string {
  return `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ${count - 1})`;
}

async function prefillState(client: Client, dataset: Dataset): Promise<void> {
  const { objects, namesPerObject } = dataset;
  await client.batch(
    [
      `${sequence(objects)} INSERT INTO objects (id, name, class_name)
        SELECT i + 1, 'bench-object-' || (i + 1), '${CLASS_NAME}' FROM seq`,
      {
        sql: 'INSERT INTO objects (id, name, class_name) VALUES (?, ?, ?)',
        args: [newNamesObjectId(dataset), NEW_NAMES_OBJECT, CLASS_NAME],
      },
      `${sequence(rowCount(dataset))} INSERT INTO object_state (objectid, name, value_json)
        SELECT 1 + i / ${namesPerObject}, 'state-' || (i % ${namesPerObject}),
          ${stateValueSql('i')} FROM seq`,
    ],
    'write',
  );
}

// Keyv's own table, filled with the keys and serialized values that Keyv writes itself:
// `state:<objectId>/<name>` holding `{"value":...}`.
async function prefillKeyv(client: Client, dataset: Dataset): Promise<void> {
  const { objects, namesPerObject } = dataset;
  const prefix = `${KEYV_NAMESPACE}:`;
  await client.execute('PRAGMA journal_mode = WAL');
  await client.batch(
    [
      'CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )',
      `${sequence(objects)} INSERT INTO keyv (key, value)
        SELECT '${prefix}object/${CLASS_NAME}/bench-object-' || (i + 1),
          '{"value":' || (i + 1) || '}' FROM seq`,
      `${sequence(rowCount(dataset))} INSERT INTO keyv (key, value)
        SELECT '${prefix}' || (1 + i / ${namesPerObject}) || '/state-' || (i % ${namesPerObject}),
          '{"value":' || ${stateValueSql('i')} || '}' FROM seq`,
    ],
    'write',
  );
}

/** Creates SQLite files in a new directory under `parentDirectory` for the adapter, libSQL and `@keyv/sqlite`. */
export function sqliteBackend(parentDirectory: string): Backend {
  let keyvUnavailable: string | undefined;

  return {
    name: 'sqlite',

    async check(log: Log) {
      keyvUnavailable = ensureSqlite3Binding(log);
      return undefined;
    },

    async open(rows: number, log: Log): Promise<BackendRun> {
      const dataset = datasetOf(rows);
      const directory = mkdtempSync(join(parentDirectory, 'state-connector-bench-'));
      const url = pathToFileURL(join(directory, 'state.db')).href;
      const keyvPath = join(directory, 'keyv.db');

      const started = performance.now();
      const connector = createSqliteStateConnector({ url });
      await connector.migrate();
      const client = createClient({ url, timeout: 5000 });
      await prefillState(client, dataset);

      const subjects: Subject[] = [
        rawSqliteSubject(client, await loadSqliteStatements()),
        ourSubject(connector),
      ];
      const missing: BackendRun['missing'] = {};
      let keyvClose = async (): Promise<void> => undefined;
      const keyvClient = createClient({ url: pathToFileURL(keyvPath).href, timeout: 5000 });

      if (keyvUnavailable === undefined) {
        await prefillKeyv(keyvClient, dataset);
        const keyv = await openSqliteKeyv(keyvPath);
        subjects.push(keyv.subject);
        keyvClose = keyv.close;
      } else {
        missing.keyv = keyvUnavailable;
      }
      const prefillMs = elapsedMs(started);
      log(`sqlite: prefilled ${rowCount(dataset)} rows in ${(prefillMs / 1000).toFixed(1)} s`);

      const newId = newNamesObjectId(dataset);
      const keyvNewFrom = `${KEYV_NAMESPACE}:${newId}/`;
      // '0' follows '/' in byte order, so this range contains exactly the keys of object newId.
      const keyvNewTo = `${KEYV_NAMESPACE}:${newId}0`;

      return {
        rows: rowCount(dataset),
        prefillMs,
        subjects,
        notes: [],
        missing,
        async removeNewRows() {
          await client.execute({
            sql: 'DELETE FROM object_state WHERE objectid = ?',
            args: [newId],
          });
          if (keyvUnavailable === undefined) {
            await keyvClient.execute({
              sql: 'DELETE FROM keyv WHERE key >= ? AND key < ?',
              args: [keyvNewFrom, keyvNewTo],
            });
          }
        },
        async close() {
          await connector.close();
          await keyvClose();
          client.close();
          keyvClient.close();
          rmSync(directory, { recursive: true, force: true });
        },
      };
    },

    async shutdown() {},
  };
}
