import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient, type Row } from '@libsql/client';
import { createSqliteStateConnector } from '@state-connector/adapter-sqlite';
import { BuildbotMaster } from './buildbot-master.js';
import { buildbotMissing, INSTALL_HINT } from './environment.js';
import type { IndexInfo, SchemaSnapshot } from './schema.js';
import { ConnectorSet, type InteropBackend, type InteropStore, type ObjectRow } from './store.js';

const adapterModule = pathToFileURL(
  createRequire(import.meta.url).resolve('@state-connector/adapter-sqlite'),
).href;

function bytes(value: unknown): Buffer {
  return Buffer.from(value as ArrayBuffer);
}

async function readSchema(url: string): Promise<SchemaSnapshot> {
  const client = createClient({ url });
  try {
    const entries: Record<string, string> = {};
    const indexes: IndexInfo[] = [];
    const master = await client.execute(
      'SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name',
    );
    for (const row of master.rows) {
      entries[`${row['type']} ${row['tbl_name']}.${row['name']}`] = String(row['sql'] ?? 'auto');
    }
    const tables = master.rows.filter((row) => row['type'] === 'table');
    for (const table of tables) {
      const tableName = String(table['name']);
      const list = await client.execute(`PRAGMA index_list("${tableName}")`);
      for (const index of list.rows) {
        const name = String(index['name']);
        const info = await client.execute(`PRAGMA index_info("${name}")`);
        indexes.push({
          table: tableName,
          name,
          columns: info.rows.map((column) => String(column['name'])),
          unique: Number(index['unique']) === 1,
        });
      }
    }
    return { entries, indexes };
  } finally {
    client.close();
  }
}

function toObjectRow(row: Row): ObjectRow {
  return {
    id: Number(row['id']),
    name: String(row['name']),
    className: String(row['class_name']),
    nameBytes: bytes(row['name_bytes']),
  };
}

async function createStore(options: { empty?: boolean } = {}): Promise<InteropStore> {
  const master = await BuildbotMaster.create('sqlite:///state.sqlite');
  const databasePath = join(master.basedir, 'state.sqlite');
  if (options.empty === true) {
    await rm(databasePath);
    await rm(`${databasePath}-journal`, { force: true });
  }
  const url = pathToFileURL(databasePath).href;
  const connectors = new ConnectorSet();
  const reader = createClient({ url });

  return {
    backend: 'sqlite',
    master,
    url,
    target: { module: adapterModule, exportName: 'createSqliteStateConnector', options: { url } },
    connect: () => connectors.add(createSqliteStateConnector({ url })),
    async objects() {
      const result = await reader.execute(
        'SELECT id, name, class_name, CAST(name AS BLOB) AS name_bytes FROM objects ORDER BY id',
      );
      return result.rows.map(toObjectRow);
    },
    async stateRows(objectId) {
      const result = await reader.execute({
        sql: `SELECT name, value_json, CAST(name AS BLOB) AS name_bytes FROM object_state
              WHERE objectid = ? ORDER BY name`,
        args: [objectId],
      });
      return result.rows.map((row) => ({
        name: String(row['name']),
        valueJson: String(row['value_json']),
        nameBytes: bytes(row['name_bytes']),
      }));
    },
    async execute(sql) {
      await reader.execute(sql);
    },
    schema: () => readSchema(url),
    async dispose() {
      reader.close();
      await connectors.closeAll();
      await master.dispose();
    },
  };
}

/** SQLite: the file `state.sqlite` that `buildbot create-master` makes in the master directory. */
export const sqliteBackend: InteropBackend = {
  name: 'sqlite',
  missing: buildbotMissing,
  hint: INSTALL_HINT,
  createStore,
};
