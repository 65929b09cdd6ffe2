import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@libsql/client';
import type { ConformanceTarget } from '@state-connector/conformance';
import { createSqliteStateConnector, type SqliteConnectorOptions } from '../dist/index.js';

/** The built adapter, as a child process or worker thread imports it. */
export const ADAPTER_MODULE = new URL('../dist/index.js', import.meta.url).href;

/** Creates an empty temporary directory for one test's database files. */
export function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'state-connector-sqlite-'));
}

/** Removes a directory made by {@link makeTempDir}. */
export function removeTempDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Returns the absolute `file:` URL of `fileName` inside `dir`. */
export function fileUrl(dir: string, fileName = 'state.db'): string {
  return pathToFileURL(join(dir, fileName)).href;
}

/** Counts the rows of a table through a short-lived client of its own. */
export async function countTable(url: string, table: string): Promise<number> {
  const client = createClient({ url });
  try {
    const result = await client.execute(`SELECT count(*) AS n FROM ${table}`);
    return Number(result.rows[0]?.['n']);
  } finally {
    client.close();
  }
}

/** The SQLite adapter under the conformance suite: a new database file for every group. */
export const sqliteTarget: ConformanceTarget = {
  name: 'sqlite',
  async setup() {
    const dir = await makeTempDir();
    const options: SqliteConnectorOptions = { url: fileUrl(dir) };

    // Create the schema now, so that countRows works before the first connector call.
    const first = createSqliteStateConnector(options);
    await first.migrate();
    await first.close();
    const raw = createClient({ url: fileUrl(dir), timeout: 5000 });

    return {
      connect: () => createSqliteStateConnector(options),
      processTarget: { module: ADAPTER_MODULE, exportName: 'createSqliteStateConnector', options },
      async writeRawState(objectId, storedName, text) {
        await raw.execute({
          sql:
            'INSERT INTO object_state (objectid, name, value_json) VALUES (?, ?, ?) ' +
            'ON CONFLICT (objectid, name) DO UPDATE SET value_json = excluded.value_json',
          args: [objectId, storedName, text],
        });
      },
      async countRows() {
        const result = await raw.execute(
          'SELECT (SELECT count(*) FROM objects) AS objects, ' +
            '(SELECT count(*) FROM object_state) AS state',
        );
        const row = result.rows[0];
        return { objects: Number(row?.['objects']), state: Number(row?.['state']) };
      },
      async teardown() {
        raw.close();
        await removeTempDir(dir);
      },
    };
  },
};
