import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStateConnector, type PostgresConnectorOptions } from '../dist/index.js';
import { startTestServer, type TestServer } from './server.js';

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer('options');
  url = await server.createDatabase('options');
});

afterAll(async () => {
  await server?.stop();
});

/** Calls the factory with arguments that its type forbids, as JavaScript callers can. */
function createUnchecked(...args: unknown[]): unknown {
  const factory = createPostgresStateConnector as (...values: unknown[]) => unknown;
  return factory(...args);
}

/** Returns the error that `create` throws synchronously, or fails the test. */
function thrownBy(create: () => unknown): Error {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('the factory did not throw');
}

describe('factory arguments', () => {
  const cases: Array<[label: string, args: unknown[]]> = [
    ['no argument', []],
    ['null', [null]],
    ['a string', ['postgres://127.0.0.1/x']],
    ['neither option', [{}]],
    ['a non-string connectionString', [{ connectionString: 5432 }]],
    ['an empty connectionString', [{ connectionString: '' }]],
    ['a pool that is not a pg.Pool', [{ pool: {} }]],
    ['a null pool', [{ pool: null }]],
  ];

  it.each(cases)('%s throws a TypeError', (_label, args) => {
    const error = thrownBy(() => createUnchecked(...args));
    expect(error).toBeInstanceOf(TypeError);
    // The message names the options to pass, not a property that could not be read.
    expect(error.message).not.toMatch(/Cannot read properties|is not a function/);
    expect(error.message).toMatch(/`connectionString`|`pool`/);
    expect(error.message).toMatch(/postgres:\/\/|pg\.Pool/);
  });

  it('both options throw a TypeError', async () => {
    const pool = new pg.Pool({ connectionString: url });
    try {
      const error = thrownBy(() => createPostgresStateConnector({ connectionString: url, pool }));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain('got both `connectionString` and `pool`');
      expect(error.message).toContain('`connectionString`');
      expect(error.message).toContain('`pool`');
    } finally {
      await pool.end();
    }
  });

  it('no argument names both options', () => {
    const error = thrownBy(() => createUnchecked());
    expect(error.message).toContain('expects an options object, got undefined');
    expect(error.message).toContain('`connectionString` (a postgres:// URL)');
    expect(error.message).toContain('`pool` (a pg.Pool)');
  });
});

describe('schema names', () => {
  const rejected: Array<[label: string, schema: string, reason: RegExp]> = [
    ['pg_ prefix', 'pg_mine', /reserves the prefix pg_/],
    ['pg_catalog', 'pg_catalog', /reserves the prefix pg_/],
    ['empty', '', /empty/],
    ['U+0000', 'a\u0000b', /U\+0000/],
    ['lone surrogate', 'a\ud800b', /lone surrogate/],
    ['64 bytes', 'é'.repeat(32), /at most 63 bytes/],
  ];

  it.each(rejected)('%s is rejected before I/O', (_label, schema, reason) => {
    const error = thrownBy(() => createPostgresStateConnector({ connectionString: url, schema }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(reason);
    expect(error.message).toContain('Invalid `schema`');
  });

  it('non-string schema is rejected', () => {
    const options = { connectionString: url, schema: 42 } as unknown as PostgresConnectorOptions;
    const error = thrownBy(() => createPostgresStateConnector(options));
    expect(error.message).toContain('expected a string, got number');
  });

  it('accepts names PostgreSQL can create', async () => {
    // The reserved prefix is compared case-sensitively, and 63 bytes is the limit itself.
    for (const schema of ['PG_upper', `${'é'.repeat(31)}x`]) {
      const connector = createPostgresStateConnector({ connectionString: url, schema });
      try {
        const objectId = await connector.getObjectId('schema-name', 'Options');
        await expect(connector.setState(objectId, 'value', schema)).resolves.toBe(schema);
      } finally {
        await connector.close();
      }
      const found = await server.query(url, 'SELECT 1 FROM pg_namespace WHERE nspname = $1', [
        schema,
      ]);
      expect(found, schema).toHaveLength(1);
    }
  });
});

describe('connection string', () => {
  const secret = 'not-a-real-password-4b1c';
  const rejected: Array<[label: string, connectionString: string, reason: string]> = [
    ['port 99999', `postgres://someone:${secret}@127.0.0.1:99999/x`, 'port 99999 is out of'],
    ['port 0', `postgres://someone:${secret}@127.0.0.1:0/x`, 'port 0 is out of'],
    ['port parameter', `postgres://someone:${secret}@127.0.0.1/x?port=5x`, 'not a number'],
    ['unescaped slash', `postgres://someone:${secret}/x@127.0.0.1/x`, 'percent-encode'],
    ['no scheme', 'db.internal/ci', 'no scheme'],
    [
      'missing certificate',
      `postgres://127.0.0.1/x?sslrootcert=/nonexistent/ca.pem`,
      'cannot be read',
    ],
  ];

  it.each(rejected)('%s throws before I/O', (_label, connectionString, reason) => {
    const error = thrownBy(() => createPostgresStateConnector({ connectionString }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain('Invalid `connectionString`');
    expect(error.message).toContain(reason);
    expect(error.message).not.toContain(secret);
  });
});
