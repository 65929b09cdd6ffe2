import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStateConnector } from '../dist/index.js';
import { startTestServer, type TestServer } from './server.js';

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer('prepared-statements');
  url = await server.createDatabase('prepared_statements');
});

afterAll(async () => {
  await server?.stop();
});

/** Runs every steady-state primitive once on a one-connection pool, then lists its statements. */
async function preparedNames(preparedStatements: boolean): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const connector = createPostgresStateConnector({ pool, preparedStatements });
  try {
    const id = await connector.getObjectId('prepared', `Prepared${preparedStatements}`);
    await connector.setState(id, 'value', 1);
    expect(await connector.getState(id, 'value')).toBe(1);
    expect(await connector.deleteState(id, 'value')).toBe(true);

    // pg_prepared_statements lists the statements of the current session only, and the pool
    // has one connection, so this is the connector's session.
    const result = await pool.query<{ name: string }>(
      "SELECT name FROM pg_prepared_statements WHERE name LIKE 'state_connector_%' ORDER BY name",
    );
    return result.rows.map((row) => row.name);
  } finally {
    await connector.close();
    await pool.end();
  }
}

describe('prepared statements', () => {
  it('are used by default', async () => {
    const names = await preparedNames(true);
    // getOrCreateObjectId, writeState, selectState and deleteState at least.
    expect(names.length).toBeGreaterThanOrEqual(4);
  });

  it('can be turned off', async () => {
    expect(await preparedNames(false)).toEqual([]);
  });

  it('reject a non-boolean option', () => {
    expect(() =>
      createPostgresStateConnector({ connectionString: url, preparedStatements: 'yes' as never }),
    ).toThrow(TypeError);
  });
});
