import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, createClient, LibsqlError } from '@libsql/client';
import { expectRejection } from '@state-connector/conformance';
import { BackendError } from '@state-connector/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStateConnector } from '../dist/index.js';
import { fileUrl, makeTempDir, removeTempDir } from './sqlite-store.js';

async function readValue(url: string, objectId: number, name: string): Promise<unknown> {
  const reader = createClient({ url });
  try {
    const result = await reader.execute({
      sql: 'SELECT value_json FROM object_state WHERE objectid = ? AND name = ?',
      args: [objectId, name],
    });
    return result.rows[0]?.['value_json'];
  } finally {
    reader.close();
  }
}

/** Opens a transaction on another connection that holds the write lock until committed. */
async function holdWriteLock(url: string): Promise<{ blocker: Client; release(): Promise<void> }> {
  const blocker = createClient({ url });
  const transaction = await blocker.transaction('write');
  await transaction.execute("INSERT INTO objects (name, class_name) VALUES ('blocker', 'Lock')");
  return {
    blocker,
    async release() {
      await transaction.commit();
      blocker.close();
    },
  };
}

// A statement that fails with SQLITE_BUSY stays active inside libSQL until it is garbage
// collected, and a later write on the same connection would then stay uncommitted.
describe('sqlite lock conflicts', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await makeTempDir();
  });

  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('write after a lock timeout is committed', async () => {
    const url = fileUrl(dir, 'timeout.db');
    const connector = createSqliteStateConnector({ url, busyTimeoutMs: 100, maxRetries: 0 });
    try {
      const id = await connector.getObjectId('lock', 'LockTest');
      const lock = await holdWriteLock(url);
      const error = await expectRejection(connector.setState(id, 'value', 1), BackendError);
      expect(error.retryable).toBe(true);
      expect(error.cause).toBeInstanceOf(LibsqlError);
      expect((error.cause as LibsqlError).code).toBe('SQLITE_BUSY');
      await lock.release();

      expect(await connector.setState(id, 'value', 2)).toBe(2);
      expect(await readValue(url, id, 'value')).toBe('2');
      const otherId = await connector.getObjectId('after-lock', 'LockTest');
      expect(await connector.setState(otherId, 'value', 3)).toBe(3);
      expect(await readValue(url, otherId, 'value')).toBe('3');
    } finally {
      await connector.close();
    }
  });

  it('retry after a lock conflict commits', async () => {
    const url = fileUrl(dir, 'retry.db');
    const events: string[] = [];
    const connector = createSqliteStateConnector({
      url,
      busyTimeoutMs: 50,
      maxRetries: 20,
      logger: (event) => events.push(event.type),
    });
    try {
      const id = await connector.getObjectId('lock', 'LockTest');
      const lock = await holdWriteLock(url);
      const released = sleep(200).then(() => lock.release());
      expect(await connector.setState(id, 'value', 'after retry')).toBe('after retry');
      await released;

      expect(events).toContain('retry');
      expect(await readValue(url, id, 'value')).toBe('"after retry"');
      expect(await connector.setState(id, 'value', 'next')).toBe('next');
      expect(await readValue(url, id, 'value')).toBe('"next"');
    } finally {
      await connector.close();
    }
  });
});
