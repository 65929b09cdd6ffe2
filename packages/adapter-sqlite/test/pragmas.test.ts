import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStateConnector } from '../dist/index.js';
import { fileUrl, makeTempDir, removeTempDir } from './sqlite-store.js';

describe('sqlite pragmas', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await makeTempDir();
  });

  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('journal mode is WAL', async () => {
    const url = fileUrl(dir, 'wal.db');
    const connector = createSqliteStateConnector({ url });
    await connector.getObjectId('wal', 'PragmaTest');
    await connector.close();

    const raw = createClient({ url });
    try {
      const result = await raw.execute('PRAGMA journal_mode');
      expect(result.rows[0]?.['journal_mode']).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('foreign keys are on and cascade', async () => {
    const url = fileUrl(dir, 'foreign-keys.db');
    // The connector runs on this client, opened as the adapter opens its own.
    const client = createClient({ url, timeout: 5000 });
    const connector = createSqliteStateConnector({ client });
    try {
      const id = await connector.getObjectId('foreign-keys', 'PragmaTest');
      await connector.setState(id, 'value', 1);

      const enabled = await client.execute('PRAGMA foreign_keys');
      expect(enabled.rows[0]?.['foreign_keys']).toBe(1);
      const keys = await client.execute('PRAGMA foreign_key_list(object_state)');
      expect(keys.rows).toHaveLength(1);
      expect(keys.rows[0]?.['table']).toBe('objects');
      expect(keys.rows[0]?.['from']).toBe('objectid');
      expect(keys.rows[0]?.['on_delete']).toBe('CASCADE');

      await expect(
        client.execute({
          sql: 'INSERT INTO object_state (objectid, name, value_json) VALUES (?, ?, ?)',
          args: [id + 1000, 'orphan', '1'],
        }),
      ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });

      await client.execute({ sql: 'DELETE FROM objects WHERE id = ?', args: [id] });
      const left = await client.execute('SELECT count(*) AS n FROM object_state');
      expect(left.rows[0]?.['n']).toBe(0);
    } finally {
      await connector.close();
      client.close();
    }
  });
});
