import { type ConformanceStore, runConformanceSuite } from '@state-connector/conformance';
import pg from 'pg';
import { afterAll } from 'vitest';
import { createPostgresStateConnector, type PostgresConnectorOptions } from '../dist/index.js';
import { startTestServer } from './server.js';

// Every store is a new database on the test server, in the default `public` schema. Each
// connect() opens a connector with a pool of its own, and the race processes rebuild one
// from the same plain options.

const adapterModule = new URL('../dist/index.js', import.meta.url).href;

const server = await startTestServer('conformance');

afterAll(async () => {
  await server.stop();
});

async function setupStore(): Promise<ConformanceStore> {
  const url = await server.createDatabase('conformance');
  const options: PostgresConnectorOptions = { connectionString: url };

  // countRows must work right after setup, so the tables are created now.
  const migrator = createPostgresStateConnector(options);
  await migrator.migrate();
  await migrator.close();

  const reader = new pg.Pool({ connectionString: url, max: 2 });
  reader.on('error', () => undefined);

  return {
    connect: () => createPostgresStateConnector(options),
    processTarget: {
      module: adapterModule,
      exportName: 'createPostgresStateConnector',
      options,
    },
    async writeRawState(objectId, storedName, text) {
      await reader.query(
        `INSERT INTO object_state (objectid, name, value_json) VALUES ($1, $2, $3)
         ON CONFLICT (objectid, name) DO UPDATE SET value_json = EXCLUDED.value_json`,
        [objectId, storedName, text],
      );
    },
    async countRows() {
      const result = await reader.query<{ objects: number; state: number }>(
        `SELECT (SELECT count(*) FROM objects)::int AS objects,
                (SELECT count(*) FROM object_state)::int AS state`,
      );
      const row = result.rows[0];
      if (row === undefined) throw new Error('the row count query returned no row');
      return row;
    },
    async teardown() {
      await reader.end();
    },
  };
}

runConformanceSuite({ name: 'postgres', setup: setupStore });
