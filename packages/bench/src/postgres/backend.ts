import KeyvPostgres from '@keyv/postgres';
import { createPostgresStateConnector } from '@state-connector/adapter-postgres';
import Keyv from 'keyv';
import pg from 'pg';
import { type Backend, type BackendRun, elapsedMs, type Log } from '../backend.js';
import { countCalls } from '../round-trips.js';
import {
  CLASS_NAME,
  type Dataset,
  datasetOf,
  KEYV_NAMESPACE,
  keyvSubject,
  NEW_NAMES_OBJECT,
  newNamesObjectId,
  ourSubject,
  rowCount,
  stateValueSql,
} from '../subject.js';
import { loadPostgresStatements, rawPostgresSubject } from './raw.js';

countCalls(pg.Client.prototype, ['query']);

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const SCHEMA = 'state_connector_bench';

/** Pool size of the adapter by default; the raw pool and Keyv's get the same. */
const POOL_SIZE = 10;

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return '(an invalid URL)';
  }
}

async function prefill(pool: pg.Pool, dataset: Dataset): Promise<void> {
  const { objects, namesPerObject } = dataset;
  const rows = rowCount(dataset);
  const newId = newNamesObjectId(dataset);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO ${SCHEMA}.objects (id, name, class_name)
       SELECT i, 'bench-object-' || i, $1 FROM generate_series(1, $2::integer) AS i`,
      [CLASS_NAME, objects],
    );
    await client.query(`INSERT INTO ${SCHEMA}.objects (id, name, class_name) VALUES ($1, $2, $3)`, [
      newId,
      NEW_NAMES_OBJECT,
      CLASS_NAME,
    ]);
    await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2)`, [
      `${SCHEMA}.objects`,
      newId,
    ]);
    await client.query(
      `INSERT INTO ${SCHEMA}.object_state (objectid, name, value_json)
       SELECT 1 + i / ${namesPerObject}, 'state-' || (i % ${namesPerObject}), ${stateValueSql('i')}
       FROM generate_series(0, ${rows - 1}) AS i`,
    );
    // Keyv's table as @keyv/postgres creates it, with the keys and values Keyv writes.
    await client.query(`CREATE TABLE ${SCHEMA}.keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )`);
    await client.query(
      `INSERT INTO ${SCHEMA}.keyv (key, value)
       SELECT '${KEYV_NAMESPACE}:object/${CLASS_NAME}/bench-object-' || i, '{"value":' || i || '}'
       FROM generate_series(1, ${objects}) AS i`,
    );
    await client.query(
      `INSERT INTO ${SCHEMA}.keyv (key, value)
       SELECT '${KEYV_NAMESPACE}:' || (1 + i / ${namesPerObject}) || '/state-' || (i % ${namesPerObject}),
         '{"value":' || ${stateValueSql('i')} || '}'
       FROM generate_series(0, ${rows - 1}) AS i`,
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
  await pool.query(`VACUUM ANALYZE ${SCHEMA}.objects, ${SCHEMA}.object_state, ${SCHEMA}.keyv`);
}

/** Uses the schema `state_connector_bench` of the database at DATABASE_URL or 127.0.0.1:5432. */
export function postgresBackend(): Backend {
  const url = process.env['DATABASE_URL'] ?? DEFAULT_URL;

  return {
    name: 'postgres',

    async check() {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      try {
        await client.connect();
        await client.query('SELECT 1');
        return undefined;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return `no PostgreSQL server at ${redact(url)} (${reason}); set DATABASE_URL`;
      } finally {
        await client.end().catch(() => undefined);
      }
    },

    async open(rows: number, log: Log): Promise<BackendRun> {
      const dataset = datasetOf(rows);
      const admin = new pg.Pool({ connectionString: url, max: 1 });
      await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);

      const started = performance.now();
      const connector = createPostgresStateConnector({ connectionString: url, schema: SCHEMA });
      await connector.migrate();
      await prefill(admin, dataset);
      const prefillMs = elapsedMs(started);
      log(`postgres: prefilled ${rowCount(dataset)} rows in ${(prefillMs / 1000).toFixed(1)} s`);

      // The same pool settings as the adapter's own pool.
      const pool = new pg.Pool({
        connectionString: url,
        max: POOL_SIZE,
        options: '-c default_transaction_isolation=read\\ committed',
        keepAlive: true,
      });
      const store = new KeyvPostgres({ uri: url, schema: SCHEMA, table: 'keyv', max: POOL_SIZE });
      const keyv = new Keyv({ store, namespace: KEYV_NAMESPACE });
      const newId = newNamesObjectId(dataset);

      return {
        rows: rowCount(dataset),
        prefillMs,
        subjects: [
          rawPostgresSubject(pool, await loadPostgresStatements(SCHEMA)),
          ourSubject(connector),
          keyvSubject(keyv),
        ],
        notes: [],
        missing: {},
        async removeNewRows() {
          await admin.query(`DELETE FROM ${SCHEMA}.object_state WHERE objectid = $1`, [newId]);
          await admin.query(`DELETE FROM ${SCHEMA}.keyv WHERE key LIKE $1`, [
            `${KEYV_NAMESPACE}:${newId}/%`,
          ]);
        },
        async close() {
          await connector.close();
          await pool.end();
          await keyv.disconnect();
          await admin.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
          await admin.end();
        },
      };
    },

    async shutdown() {},
  };
}
