import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { expectThrow } from '@state-connector/conformance';
import { SyncUnavailableError } from '@state-connector/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStateConnector } from '../dist/index.js';
import { fileUrl, makeTempDir, removeTempDir } from './sqlite-store.js';

describe('sqlite in-memory database', () => {
  for (const url of [':memory:', 'file::memory:']) {
    it(`${url} keeps data across calls and transactions`, async () => {
      const connector = createSqliteStateConnector({ url });
      try {
        // Migrations and new objects run in write transactions on the one connection.
        await connector.migrate();
        const id = await connector.getObjectId('memory', 'MemoryTest');
        await connector.setState(id, 'value', { n: 1 });
        const otherId = await connector.getObjectId('memory-2', 'MemoryTest');
        expect(otherId).not.toBe(id);

        expect(await connector.getState(id, 'value')).toEqual({ n: 1 });
        expect(await connector.atomicCreateState(id, 'value', () => 'new')).toEqual({ n: 1 });
        expect(await connector.atomicCreateState(id, 'created', () => 'new')).toBe('new');
        expect([...(await connector.listState(id)).keys()]).toEqual(['created', 'value']);
        expect(await connector.getObjectId('memory', 'MemoryTest')).toBe(id);
        expect(await connector.listObjects()).toHaveLength(2);
      } finally {
        await connector.close();
      }
    });

    it(`${url} has no sync methods`, async () => {
      const connector = createSqliteStateConnector({ url });
      try {
        const id = await connector.getObjectId('memory', 'MemoryTest');
        const error = expectThrow(() => connector.getStateSync(id, 'value'), SyncUnavailableError);
        expect(error.message).toContain('in-memory');
        expectThrow(() => connector.setStateSync(id, 'value', 1), SyncUnavailableError);
        expectThrow(
          () => connector.getObjectIdSync('uncached', 'MemoryTest'),
          SyncUnavailableError,
        );
      } finally {
        await connector.close();
      }
      // An in-memory URL must never turn into a file named after it.
      expect(existsSync(join(process.cwd(), ':memory:'))).toBe(false);
    });
  }
});

describe('sqlite caller client', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await makeTempDir();
  });

  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('close leaves the client open', async () => {
    const client = createClient({ url: fileUrl(dir, 'client.db') });
    try {
      const connector = createSqliteStateConnector({ client });
      const id = await connector.getObjectId('client', 'ClientTest');
      await connector.setState(id, 'value', 'kept');
      await connector.close();

      expect(client.closed).toBe(false);
      const result = await client.execute({
        sql: 'SELECT value_json FROM object_state WHERE objectid = ?',
        args: [id],
      });
      expect(result.rows[0]?.['value_json']).toBe('"kept"');
    } finally {
      client.close();
    }
  });

  it('client connector has no sync methods', async () => {
    const client = createClient({ url: fileUrl(dir, 'client-sync.db') });
    const connector = createSqliteStateConnector({ client });
    try {
      const id = await connector.getObjectId('client', 'ClientTest');
      const error = expectThrow(() => connector.getStateSync(id, 'value'), SyncUnavailableError);
      expect(error.message).toContain('client');
      expectThrow(() => connector.setStateSync(id, 'value', 1), SyncUnavailableError);
      expectThrow(() => connector.getObjectIdSync('uncached', 'ClientTest'), SyncUnavailableError);
      // The id of ('client', 'ClientTest') is cached now; the error must not depend on that.
      expectThrow(() => connector.getObjectIdSync('client', 'ClientTest'), SyncUnavailableError);
      expect(await connector.getState(id, 'value', 'missing')).toBe('missing');
    } finally {
      await connector.close();
      client.close();
    }
  });
});
