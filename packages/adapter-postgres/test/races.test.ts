import { setTimeout as sleep } from 'node:timers/promises';
import type { AdministeredStateConnector } from '@state-connector/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStateConnector } from '../dist/index.js';
import { startTestServer, type TestServer } from './server.js';

// Each test keeps a conflicting write open on a second connection (BEGIN; INSERT; no COMMIT
// yet) and starts a connector call that must wait for it. Once pg_stat_activity shows the
// call waiting on a lock, the test commits or rolls back the blocking write. So every run
// takes the same interleaving: the call's snapshot predates the winner's commit.

const APPLICATION_NAME = 'state-connector-race-test';

let server: TestServer;
let url: string;
let connector: AdministeredStateConnector;
let blocker: pg.Client;
let monitor: pg.Client;
let counter = 0;

beforeAll(async () => {
  server = await startTestServer('races');
  url = await server.createDatabase('races');
  connector = createPostgresStateConnector({
    connectionString: url,
    applicationName: APPLICATION_NAME,
  });
  await connector.migrate();

  blocker = new pg.Client({ connectionString: url });
  monitor = new pg.Client({ connectionString: url });
  await blocker.connect();
  await monitor.connect();
});

afterAll(async () => {
  await blocker?.end();
  await monitor?.end();
  await connector?.close();
  await server?.stop();
});

function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Waits until a statement of the connector waits for a lock, for at most 10 seconds. */
async function waitUntilBlocked(): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const result = await monitor.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
       WHERE application_name = $1 AND wait_event_type = 'Lock'`,
      [APPLICATION_NAME],
    );
    if ((result.rows[0]?.waiting ?? 0) > 0) return;
    await sleep(20);
  }
  throw new Error('the connector call never waited for the blocking transaction');
}

async function insertStateUncommitted(objectId: number, name: string, text: string) {
  await blocker.query('BEGIN');
  await blocker.query('INSERT INTO object_state (objectid, name, value_json) VALUES ($1, $2, $3)', [
    objectId,
    name,
    text,
  ]);
}

async function storedText(objectId: number, name: string): Promise<string[]> {
  const result = await monitor.query<{ value_json: string }>(
    'SELECT value_json FROM object_state WHERE objectid = $1 AND name = $2',
    [objectId, name],
  );
  return result.rows.map((row) => row.value_json);
}

describe('setState create race', () => {
  it('loser resolves with committed winner', async () => {
    const objectId = await connector.getObjectId(uniqueName('set-commit'), 'Race');
    await insertStateUncommitted(objectId, 'key', '{"by":"winner"}');

    const loser = connector.setState(objectId, 'key', { by: 'loser' });
    await waitUntilBlocked();
    await blocker.query('COMMIT');

    await expect(loser).resolves.toEqual({ by: 'winner' });
    expect(await storedText(objectId, 'key')).toEqual(['{"by":"winner"}']);
  });

  it('waiting writer wins after rollback', async () => {
    const objectId = await connector.getObjectId(uniqueName('set-rollback'), 'Race');
    await insertStateUncommitted(objectId, 'key', '{"by":"other"}');

    const waiting = connector.setState(objectId, 'key', { by: 'waiting' });
    await waitUntilBlocked();
    await blocker.query('ROLLBACK');

    await expect(waiting).resolves.toEqual({ by: 'waiting' });
    expect(await storedText(objectId, 'key')).toEqual(['{"by":"waiting"}']);
  });

  it('overwrite waits for concurrent update', async () => {
    const objectId = await connector.getObjectId(uniqueName('set-update'), 'Race');
    await connector.setState(objectId, 'key', 'first');
    await blocker.query('BEGIN');
    await blocker.query(
      `UPDATE object_state SET value_json = '"second"' WHERE objectid = $1 AND name = 'key'`,
      [objectId],
    );

    const overwrite = connector.setState(objectId, 'key', 'third');
    await waitUntilBlocked();
    await blocker.query('COMMIT');

    await expect(overwrite).resolves.toBe('third');
    expect(await storedText(objectId, 'key')).toEqual(['"third"']);
  });

  it('insert follows concurrent delete', async () => {
    const objectId = await connector.getObjectId(uniqueName('set-delete'), 'Race');
    await connector.setState(objectId, 'key', 'old');
    await blocker.query('BEGIN');
    await blocker.query(`DELETE FROM object_state WHERE objectid = $1 AND name = 'key'`, [
      objectId,
    ]);

    const write = connector.setState(objectId, 'key', 'new');
    await waitUntilBlocked();
    await blocker.query('COMMIT');

    // The update found the row gone after the wait, so the same statement inserted instead.
    await expect(write).resolves.toBe('new');
    expect(await storedText(objectId, 'key')).toEqual(['"new"']);
  });
});

describe('getObjectId create race', () => {
  async function insertObjectUncommitted(name: string): Promise<number> {
    await blocker.query('BEGIN');
    const result = await blocker.query<{ id: number }>(
      'INSERT INTO objects (name, class_name) VALUES ($1, $2) RETURNING id',
      [name, 'Race'],
    );
    const id = result.rows[0]?.id;
    if (id === undefined) throw new Error('the blocking insert returned no id');
    return id;
  }

  async function countObjects(name: string): Promise<number> {
    const result = await monitor.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM objects WHERE name = $1 AND class_name = 'Race'`,
      [name],
    );
    return result.rows[0]?.count ?? -1;
  }

  it('loser receives committed winner id', async () => {
    const name = uniqueName('object-commit');
    const winnerId = await insertObjectUncommitted(name);

    const loser = connector.getObjectId(name, 'Race');
    await waitUntilBlocked();
    await blocker.query('COMMIT');

    await expect(loser).resolves.toBe(winnerId);
    expect(await countObjects(name)).toBe(1);
  });

  it('waiting caller creates after rollback', async () => {
    const name = uniqueName('object-rollback');
    const abandonedId = await insertObjectUncommitted(name);

    const waiting = connector.getObjectId(name, 'Race');
    await waitUntilBlocked();
    await blocker.query('ROLLBACK');

    const id = await waiting;
    expect(typeof id).toBe('number');
    expect(id).not.toBe(abandonedId);
    expect(await countObjects(name)).toBe(1);
    const stored = await monitor.query<{ id: number }>(
      `SELECT id FROM objects WHERE name = $1 AND class_name = 'Race'`,
      [name],
    );
    expect(stored.rows[0]?.id).toBe(id);
  });
});

describe('atomicCreateState create race', () => {
  it('loser resolves with committed winner', async () => {
    const objectId = await connector.getObjectId(uniqueName('atomic-commit'), 'Race');
    await insertStateUncommitted(objectId, 'key', '["winner"]');

    let calls = 0;
    const loser = connector.atomicCreateState(objectId, 'key', () => {
      calls += 1;
      return ['loser'];
    });
    await waitUntilBlocked();
    await blocker.query('COMMIT');

    await expect(loser).resolves.toEqual(['winner']);
    // The winner's row was invisible to the first read, so create ran, but its result lost.
    expect(calls).toBe(1);
    expect(await storedText(objectId, 'key')).toEqual(['["winner"]']);
  });

  it('waiting creator wins after rollback', async () => {
    const objectId = await connector.getObjectId(uniqueName('atomic-rollback'), 'Race');
    await insertStateUncommitted(objectId, 'key', '["other"]');

    const waiting = connector.atomicCreateState(objectId, 'key', () => ['waiting']);
    await waitUntilBlocked();
    await blocker.query('ROLLBACK');

    await expect(waiting).resolves.toEqual(['waiting']);
    expect(await storedText(objectId, 'key')).toEqual(['["waiting"]']);
  });
});

describe('create race under stricter default isolation', () => {
  // A database default of SERIALIZABLE would turn the no-op update on an invisible row into a
  // serialization failure. The connector's own pool starts in READ COMMITTED, whatever
  // startup options the URL carries.
  let strictUrl: string;

  beforeAll(async () => {
    strictUrl = await server.createDatabase('races_serializable');
    await server.query(
      strictUrl,
      `ALTER DATABASE ${pg.escapeIdentifier(new URL(strictUrl).pathname.slice(1))}
       SET default_transaction_isolation = 'serializable'`,
    );
  });

  const urlOptions: Array<[label: string, options: string | undefined]> = [
    ['no URL options', undefined],
    ['a statement_timeout in the URL', '-c statement_timeout=5000'],
    ['SERIALIZABLE in the URL', '-c default_transaction_isolation=serializable'],
  ];

  it.each(urlOptions)('loser resolves with winner, %s', async (label, options) => {
    const connectionUrl = new URL(strictUrl);
    if (options !== undefined) connectionUrl.searchParams.set('options', options);
    const strict = createPostgresStateConnector({
      connectionString: connectionUrl.href,
      applicationName: APPLICATION_NAME,
    });
    const strictBlocker = new pg.Client({ connectionString: strictUrl });
    try {
      const objectId = await strict.getObjectId(`serializable, ${label}`, 'Race');
      await strictBlocker.connect();
      await strictBlocker.query('BEGIN');
      await strictBlocker.query(
        `INSERT INTO object_state (objectid, name, value_json) VALUES ($1, 'key', '"winner"')`,
        [objectId],
      );

      // The rejection, if any, is kept as the outcome, so that it fails the assertion below
      // instead of surfacing as an unhandled rejection while the test awaits COMMIT.
      const outcome = strict.setState(objectId, 'key', 'loser').then(
        (value) => value,
        (error: unknown) => error,
      );
      await waitUntilBlocked();
      await strictBlocker.query('COMMIT');

      expect(await outcome).toBe('winner');
    } finally {
      await strictBlocker.end();
      await strict.close();
    }
  });
});
