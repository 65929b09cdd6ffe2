import { ErrorCode, InvalidObjectIdError, SyncUnavailableError } from '@state-connector/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStateConnector } from '../dist/index.js';
import { startTestServer, type TestServer } from './server.js';

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer('primitives');
  url = await server.createDatabase('primitives');
});

afterAll(async () => {
  await server?.stop();
});

/** Creates a caller's pool that counts the statements sent through `pool.query`. */
function countingPool(schemaUrl: string): { pool: pg.Pool; statements: () => number } {
  const pool = new pg.Pool({ connectionString: schemaUrl, max: 2 });
  let count = 0;
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
    count += 1;
    return query(...args);
  };
  return { pool, statements: () => count };
}

describe('stored JSON text', () => {
  const samples: Array<[label: string, value: unknown]> = [
    ['key order', { zeta: 1, alpha: { y: 2, x: 3 }, '10': 'a', '2': 'b' }],
    ['NUL escape', 'before\u0000after'],
    ['lone surrogates', ['\ud800', 'x\udfffy']],
    ['number-like strings', ['1.0', '1e3', '-0', '007', '9007199254740993']],
    ['number text', [1e21, 0.1, -1.5e-7, 123456789012]],
    ['escapes', 'tab\tquote"backslash\\line\u2028'],
    ['non-BMP', '😀 𝄞'],
    ['special keys', JSON.parse('{"__proto__":1,"a.b":2,"$set":3}')],
  ];

  it.each(samples)('%s survive as text', async (_label, value) => {
    const connector = createPostgresStateConnector({ connectionString: url });
    const reader = createPostgresStateConnector({ connectionString: url });
    try {
      const objectId = await connector.getObjectId('fidelity', 'Primitives');
      const name = `sample ${_label}`;
      await connector.setState(objectId, name, value);

      const rows = await server.query<{ value_json: string }>(
        url,
        'SELECT value_json FROM object_state WHERE objectid = $1 AND name = $2',
        [objectId, name],
      );
      expect(rows[0]?.value_json).toBe(JSON.stringify(value));
      expect(await reader.getState(objectId, name)).toEqual(JSON.parse(JSON.stringify(value)));
    } finally {
      await connector.close();
      await reader.close();
    }
  });

  it('column types match Buildbot', async () => {
    const connector = createPostgresStateConnector({ connectionString: url });
    await connector.migrate();
    await connector.close();

    const columns = await server.query<{ column: string; type: string }>(
      url,
      `SELECT table_name || '.' || column_name AS column,
              data_type || coalesce('(' || character_maximum_length || ')', '') AS type
       FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name IN ('objects', 'object_state')
       ORDER BY table_name, ordinal_position`,
    );
    expect(columns).toEqual([
      { column: 'object_state.objectid', type: 'integer' },
      { column: 'object_state.name', type: 'character varying(255)' },
      { column: 'object_state.value_json', type: 'text' },
      { column: 'objects.id', type: 'integer' },
      { column: 'objects.name', type: 'character varying(128)' },
      { column: 'objects.class_name', type: 'character varying(128)' },
    ]);
  });

  it('object ids are numbers', async () => {
    const connector = createPostgresStateConnector({ connectionString: url });
    try {
      const objectId = await connector.getObjectId('number-id', 'Primitives');
      expect(typeof objectId).toBe('number');
      const listed = await connector.listObjects();
      expect(listed.every((record) => typeof record.id === 'number')).toBe(true);
    } finally {
      await connector.close();
    }
  });
});

describe('round trips', () => {
  it('one statement per steady-state call', async () => {
    const { pool, statements } = countingPool(url);
    const connector = createPostgresStateConnector({ pool });
    try {
      await connector.migrate();
      const objectId = await connector.getObjectId('round-trips', 'Primitives');
      await connector.setState(objectId, 'counter', 0);

      const cases: Array<[label: string, call: () => Promise<unknown>, expected: number]> = [
        ['cached getObjectId', () => connector.getObjectId('round-trips', 'Primitives'), 0],
        ['getState', () => connector.getState(objectId, 'counter'), 1],
        ['getState missing', () => connector.getState(objectId, 'missing', null), 1],
        ['setState overwrite', () => connector.setState(objectId, 'counter', 1), 1],
        ['setState create', () => connector.setState(objectId, 'created', 1), 1],
        [
          'atomicCreateState existing',
          () => connector.atomicCreateState(objectId, 'counter', () => 2),
          1,
        ],
        ['deleteState', () => connector.deleteState(objectId, 'created'), 1],
        ['listState', () => connector.listState(objectId), 1],
      ];
      for (const [label, call, expected] of cases) {
        const before = statements();
        await call();
        expect(statements() - before, label).toBe(expected);
      }
    } finally {
      await connector.close();
      await pool.end();
    }
  });
});

describe('schema option', () => {
  const schema = 'Tricky "schema"; DROP TABLE objects; --';

  it('keeps tables in the quoted schema', async () => {
    const inSchema = createPostgresStateConnector({ connectionString: url, schema });
    const inPublic = createPostgresStateConnector({ connectionString: url });
    try {
      const schemaId = await inSchema.getObjectId('shared-name', 'Primitives');
      await inSchema.setState(schemaId, 'where', 'schema');
      const publicId = await inPublic.getObjectId('shared-name', 'Primitives');
      await inPublic.setState(publicId, 'where', 'public');

      expect(await inSchema.getState(schemaId, 'where')).toBe('schema');
      expect(await inPublic.getState(publicId, 'where')).toBe('public');
      const tables = await server.query<{ table_name: string }>(
        url,
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1
         ORDER BY table_name`,
        [schema],
      );
      expect(tables.map((row) => row.table_name)).toEqual([
        '__drizzle_migrations',
        'object_state',
        'objects',
      ]);
    } finally {
      await inSchema.close();
      await inPublic.close();
    }
  });

  it('rejects an empty schema name', () => {
    expect(() => createPostgresStateConnector({ connectionString: url, schema: '' })).toThrow(
      TypeError,
    );
  });

  it('rejects both connectionString and pool', () => {
    const pool = new pg.Pool({ connectionString: url });
    expect(() => createPostgresStateConnector({ connectionString: url, pool })).toThrow(
      /exactly one/,
    );
    expect(() => createPostgresStateConnector({})).toThrow(/exactly one/);
    return pool.end();
  });
});

describe('caller pool', () => {
  it('stays open after close', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    const listenersBefore = pool.listenerCount('error');
    const pathBefore = await pool.query<{ search_path: string }>('SHOW search_path');
    const connector = createPostgresStateConnector({ pool });
    try {
      const objectId = await connector.getObjectId('caller-pool', 'Primitives');
      await connector.setState(objectId, 'value', 1);
      expect(pool.listenerCount('error')).toBe(listenersBefore + 1);
      await connector.close();

      const rows = await pool.query('SELECT 1 AS one');
      expect(rows.rows[0]).toEqual({ one: 1 });
      expect(pool.listenerCount('error')).toBe(listenersBefore);
      // The migration left the pooled connections' search_path as it was.
      const pathAfter = await pool.query<{ search_path: string }>('SHOW search_path');
      expect(pathAfter.rows[0]?.search_path).toBe(pathBefore.rows[0]?.search_path);
    } finally {
      await pool.end();
    }
  });

  it('sync methods throw SyncUnavailableError', async () => {
    const pool = new pg.Pool({ connectionString: url });
    const connector = createPostgresStateConnector({ pool });
    try {
      expect(() => connector.getObjectIdSync('caller-pool', 'Primitives')).toThrow(
        SyncUnavailableError,
      );
      expect(() => connector.getStateSync(1, 'value')).toThrow(/pass `connectionString`/);
      expect(() => connector.setStateSync(1, 'value', 1)).toThrow(SyncUnavailableError);
    } finally {
      await connector.close();
      await pool.end();
    }
  });

  it('sync methods work with connectionString', async () => {
    const connector = createPostgresStateConnector({ connectionString: url, schema: 'sync' });
    try {
      const objectId = connector.getObjectIdSync('sync-object', 'Primitives');
      expect(objectId).toBe(await connector.getObjectId('sync-object', 'Primitives'));
      expect(connector.setStateSync(objectId, 'value', { n: [1, 2] })).toEqual({ n: [1, 2] });
      expect(connector.getStateSync(objectId, 'value')).toEqual({ n: [1, 2] });
      expect(await connector.getState(objectId, 'value')).toEqual({ n: [1, 2] });
    } finally {
      await connector.close();
    }
  });
});

describe('importObject', () => {
  it('advances the id sequence', async () => {
    const connector = createPostgresStateConnector({ connectionString: url, schema: 'import' });
    try {
      await connector.migrate();
      expect(await connector.importObject({ id: 40, name: 'imported', className: 'I' })).toBe(40);
      expect(await connector.importObject({ id: 41, name: 'imported', className: 'I' })).toBe(40);
      await expect(
        connector.importObject({ id: 40, name: 'other', className: 'I' }),
      ).rejects.toThrow(/object id 40 is already used/);

      const next = await connector.getObjectId('created-after-import', 'I');
      expect(next).toBeGreaterThan(40);
    } finally {
      await connector.close();
    }
  });

  it('rejects an id over the integer column', async () => {
    const connector = createPostgresStateConnector({ connectionString: url, schema: 'import' });
    try {
      await connector.migrate();
      const before = await connector.listObjects();
      const sequence = 'SELECT last_value FROM import.objects_id_seq';
      const sequenceBefore = await server.query(url, sequence);

      const error = await connector
        .importObject({ id: 2_147_483_648, name: 'too-large', className: 'I' })
        .then(
          () => undefined,
          (reason: unknown) => reason,
        );
      expect(error).toBeInstanceOf(InvalidObjectIdError);
      expect((error as InvalidObjectIdError).code).toBe(ErrorCode.invalidObjectId);
      expect((error as Error).message).toContain('2147483648');
      expect((error as Error).message).toContain('maximum is 2147483647');

      expect(await connector.listObjects()).toEqual(before);
      expect(await server.query(url, sequence)).toEqual(sequenceBefore);
    } finally {
      await connector.close();
    }
  });
});
