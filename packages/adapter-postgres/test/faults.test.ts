import { setTimeout as sleep } from 'node:timers/promises';
import { BackendError, type StateConnectorEvent } from '@state-connector/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStateConnector } from '../dist/index.js';
import { databaseUrl, startTestServer, type TestServer } from './server.js';

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer('faults');
  url = await server.createDatabase('faults');
});

afterAll(async () => {
  await server?.stop();
});

async function terminateConnections(applicationName: string): Promise<number> {
  const rows = await server.query<{ terminated: number }>(
    url,
    `SELECT count(*)::int AS terminated FROM (
       SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1
     ) AS killed`,
    [applicationName],
  );
  return rows[0]?.terminated ?? 0;
}

async function expectBackendError(call: Promise<unknown>): Promise<BackendError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(BackendError);
  return error as BackendError;
}

describe('terminated connections', () => {
  it('resolved writes survive pg_terminate_backend', async () => {
    const applicationName = 'state-connector-fault-load';
    const events: StateConnectorEvent[] = [];
    const connector = createPostgresStateConnector({
      connectionString: url,
      applicationName,
      poolSize: 4,
      logger: (event) => events.push(event),
    });
    try {
      const objectId = await connector.getObjectId('load', 'Faults');
      const resolved = new Map<string, unknown>();
      const failures: unknown[] = [];
      let running = true;

      const workers = Array.from({ length: 6 }, async (_, worker) => {
        for (let index = 0; running; index++) {
          const name = `worker-${worker}-${index}`;
          const value = { worker, index };
          try {
            const stored =
              index % 3 === 0
                ? await connector.atomicCreateState(objectId, name, () => value)
                : await connector.setState(objectId, name, value);
            resolved.set(name, stored);
          } catch (error) {
            failures.push(error);
          }
        }
      });

      let terminated = 0;
      for (let round = 0; round < 4; round++) {
        await sleep(150);
        terminated += await terminateConnections(applicationName);
      }
      await sleep(150);
      running = false;
      await Promise.all(workers);

      expect(terminated).toBeGreaterThan(0);
      expect(resolved.size).toBeGreaterThan(0);
      for (const failure of failures) {
        expect(failure).toBeInstanceOf(BackendError);
        expect((failure as BackendError).retryable).toBe(true);
      }

      // Later calls succeed on fresh connections.
      await expect(connector.setState(objectId, 'after', 'ok')).resolves.toBe('ok');

      const rows = await server.query<{ name: string; value_json: string }>(
        url,
        'SELECT name, value_json FROM object_state WHERE objectid = $1',
        [objectId],
      );
      const stored = new Map(rows.map((row) => [row.name, JSON.parse(row.value_json)]));
      const missing = [...resolved].filter(
        ([name, value]) => JSON.stringify(stored.get(name)) !== JSON.stringify(value),
      );
      expect(missing).toEqual([]);
      console.info(
        `[adapter-postgres faults] ${resolved.size} writes resolved, ${failures.length} ` +
          `failed retryably, ${terminated} connections terminated`,
      );
    } finally {
      await connector.close();
    }
  });

  it('dropped idle connection emits pool-error', async () => {
    const applicationName = 'state-connector-fault-idle';
    const events: StateConnectorEvent[] = [];
    const connector = createPostgresStateConnector({
      connectionString: url,
      applicationName,
      logger: (event) => events.push(event),
    });
    try {
      const objectId = await connector.getObjectId('idle', 'Faults');
      // Concurrent calls open several pool connections. The reads start after the writes
      // resolved, because a read on another connection could otherwise run first.
      await Promise.all([
        connector.setState(objectId, 'a', 1),
        connector.setState(objectId, 'b', 2),
      ]);
      await Promise.all([connector.getState(objectId, 'a'), connector.getState(objectId, 'b')]);

      const terminated = await terminateConnections(applicationName);
      expect(terminated).toBeGreaterThan(0);
      const deadline = Date.now() + 5000;
      const poolErrors = () => events.filter((event) => event.type === 'pool-error').length;
      while (poolErrors() < terminated && Date.now() < deadline) await sleep(20);
      expect(poolErrors()).toBe(terminated);

      await expect(connector.getState(objectId, 'b')).resolves.toBe(2);
    } finally {
      await connector.close();
    }
  });
});

describe('BackendError', () => {
  it('hides the password when refused', async () => {
    // Port 9 (discard) on the loopback address has no PostgreSQL server.
    const secret = 'not-a-real-password-7f3a';
    const connector = createPostgresStateConnector({
      connectionString: `postgres://someone:${secret}@127.0.0.1:9/nowhere`,
      connectionTimeoutMs: 2000,
    });
    try {
      const error = await expectBackendError(connector.getObjectId('refused', 'Faults'));
      expect(error.retryable).toBe(true);
      expect(error.backend).toBe('postgres');
      expect(error.cause).toBeInstanceOf(Error);
      expect(error.message).not.toContain(secret);
      expect(error.message).not.toContain('ECONNREFUSED');
      expect(error.message).toContain('the server refused the connection');
      expect(String((error.cause as Error).message)).not.toContain(secret);
    } finally {
      await connector.close();
    }
  });

  it('missing database is not retryable', async () => {
    const connector = createPostgresStateConnector({
      connectionString: databaseUrl(url, 'sc_database_that_does_not_exist'),
    });
    try {
      const error = await expectBackendError(connector.getObjectId('missing', 'Faults'));
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('the database does not exist');
      expect(error.message).not.toContain('3D000');
      expect((error.cause as { code?: string }).code).toBe('3D000');
    } finally {
      await connector.close();
    }
  });

  it('missing table names the problem', async () => {
    const connector = createPostgresStateConnector({ connectionString: url, schema: 'dropped' });
    try {
      const objectId = await connector.getObjectId('dropped', 'Faults');
      await server.query(url, 'DROP TABLE dropped.object_state');
      const error = await expectBackendError(connector.getState(objectId, 'key'));
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('a table is missing');
      expect(error.message).not.toContain('42P01');
    } finally {
      await connector.close();
    }
  });

  it('statement timeout is retryable', async () => {
    const timeoutUrl = new URL(url);
    timeoutUrl.searchParams.set('options', '-c statement_timeout=200');
    const connector = createPostgresStateConnector({
      connectionString: timeoutUrl.href,
      schema: 'timeout',
    });
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    try {
      const objectId = await connector.getObjectId('timeout', 'Faults');
      await connector.setState(objectId, 'key', 'old');
      await blocker.query('BEGIN');
      await blocker.query('UPDATE timeout.object_state SET value_json = $1', ['"locked"']);

      const error = await expectBackendError(connector.setState(objectId, 'key', 'new'));
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('canceled or timed out');

      await blocker.query('ROLLBACK');
      await expect(connector.setState(objectId, 'key', 'new')).resolves.toBe('new');
    } finally {
      await blocker.end();
      await connector.close();
    }
  });
});

describe('restricted role', () => {
  const role = `sc_limited_${process.pid}`;
  const password = 'limited-role-password';

  beforeAll(async () => {
    await server.query(url, `CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  });

  afterAll(async () => {
    await server.query(url, `DROP OWNED BY ${role}`);
    await server.query(url, `DROP ROLE IF EXISTS ${role}`);
  });

  function roleUrl(): string {
    const parsed = new URL(url);
    parsed.username = role;
    parsed.password = password;
    return parsed.href;
  }

  it('failed migration rejects and retries', async () => {
    // The role may not create a schema in this database, so the migration fails.
    const connector = createPostgresStateConnector({
      connectionString: roleUrl(),
      schema: 'not_allowed',
    });
    try {
      const first = await expectBackendError(connector.getObjectId('denied', 'Faults'));
      expect(first.retryable).toBe(false);
      expect(first.message).toContain('lacks a privilege');

      await server.query(
        url,
        `GRANT CREATE ON DATABASE ${new URL(url).pathname.slice(1)} TO ${role}`,
      );
      // Core does not keep a failed migration, so the next call runs it again.
      await expect(connector.getObjectId('allowed', 'Faults')).resolves.toBeGreaterThan(0);
    } finally {
      await connector.close();
    }
  });

  it('migrated schema needs no CREATE', async () => {
    const owner = createPostgresStateConnector({ connectionString: url, schema: 'shared' });
    await owner.migrate();
    await owner.close();
    await server.query(url, `GRANT USAGE ON SCHEMA shared TO ${role}`);
    await server.query(
      url,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA shared TO ${role}`,
    );
    await server.query(url, `GRANT USAGE ON ALL SEQUENCES IN SCHEMA shared TO ${role}`);

    const limited = createPostgresStateConnector({ connectionString: roleUrl(), schema: 'shared' });
    try {
      const objectId = await limited.getObjectId('limited', 'Faults');
      await expect(limited.setState(objectId, 'key', 1)).resolves.toBe(1);
    } finally {
      await limited.close();
    }
  });
});
