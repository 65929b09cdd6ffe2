import { setTimeout as sleep } from 'node:timers/promises';
import type { AdministeredStateConnector, StateConnectorEvent } from '@state-connector/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStateConnector } from '../dist/index.js';
import { startTestServer, type TestServer } from './server.js';

let server: TestServer;
let url: string;

beforeAll(async () => {
  server = await startTestServer('shared-pool');
  url = await server.createDatabase('shared_pool');
});

afterAll(async () => {
  await server?.stop();
});

// Node warns once an emitter has more than 10 listeners for one event.
const CONNECTORS = 12;

describe('connectors on one caller pool', () => {
  it('share one error listener', async () => {
    const applicationName = 'state-connector-shared-pool';
    const pool = new pg.Pool({ connectionString: url, application_name: applicationName, max: 4 });
    const listenersBefore = pool.listenerCount('error');
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);

    const events: StateConnectorEvent[][] = [];
    const connectors: AdministeredStateConnector[] = [];
    try {
      for (let index = 0; index < CONNECTORS; index++) {
        const received: StateConnectorEvent[] = [];
        events.push(received);
        connectors.push(
          createPostgresStateConnector({ pool, logger: (event) => received.push(event) }),
        );
      }
      const ids = await Promise.all(
        connectors.map((connector) => connector.getObjectId('shared', 'SharedPool')),
      );
      expect(new Set(ids).size).toBe(1);
      expect(pool.listenerCount('error')).toBe(listenersBefore + 1);

      // A dropped idle connection reaches every connector's logger through that listener.
      const terminated = await server.query<{ count: number }>(
        url,
        `SELECT count(pg_terminate_backend(pid))::int AS count FROM pg_stat_activity
         WHERE application_name = $1`,
        [applicationName],
      );
      const count = terminated[0]?.count ?? 0;
      expect(count).toBeGreaterThan(0);
      const poolErrors = (received: StateConnectorEvent[]) =>
        received.filter((event) => event.type === 'pool-error').length;

      // Wait for every terminated connection: an error that arrived after the last close
      // would reach a pool without a listener.
      const deadline = Date.now() + 5000;
      while (events.some((received) => poolErrors(received) < count) && Date.now() < deadline) {
        await sleep(20);
      }
      for (const received of events) expect(poolErrors(received)).toBeGreaterThan(0);

      // Closing all but one keeps the listener; closing the last removes it.
      for (const connector of connectors.slice(1)) await connector.close();
      expect(pool.listenerCount('error')).toBe(listenersBefore + 1);
      await connectors[0]?.close();
      expect(pool.listenerCount('error')).toBe(listenersBefore);

      // Warnings are emitted on a later tick.
      await sleep(10);
      const listenerWarnings = warnings.filter(
        (warning) => warning.name === 'MaxListenersExceededWarning',
      );
      expect(listenerWarnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await Promise.all(connectors.map((connector) => connector.close()));
      // Once no connector listens, the pool's owner must, as for any pg pool.
      pool.on('error', () => {});
      await pool.end();
    }
  });

  it('a new connector after the last close listens again', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const first = createPostgresStateConnector({ pool });
      await first.close();
      expect(pool.listenerCount('error')).toBe(0);

      const second = createPostgresStateConnector({ pool });
      expect(pool.listenerCount('error')).toBe(1);
      await second.close();
      expect(pool.listenerCount('error')).toBe(0);
    } finally {
      await pool.end();
    }
  });
});

describe('connector pool after close', () => {
  it('drops errors of closing connections', async () => {
    // pg-pool's end() resolves before its connections have closed, so a backend terminated
    // right after close() reports its error to a pool that no connector listens to any more.
    const applicationName = 'state-connector-late-error';
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      for (let round = 0; round < 10; round++) {
        const connector = createPostgresStateConnector({
          connectionString: url,
          applicationName,
          poolSize: 4,
        });
        const objectId = await connector.getObjectId('late-error', 'SharedPool');
        await Promise.all(
          [1, 2, 3, 4].map((value) => connector.setState(objectId, `key-${value}`, value)),
        );

        const closing = connector.close();
        await server.query(
          url,
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        await closing;
      }
      await sleep(200);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
