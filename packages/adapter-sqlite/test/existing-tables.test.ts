import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStateConnector } from '../dist/index.js';
import { countTable, fileUrl, makeTempDir, removeTempDir } from './sqlite-store.js';

// The tables as Buildbot 3.7 creates them on SQLite, with a value that Buildbot wrote.
const buildbotSchema = [
  `CREATE TABLE objects (
    id INTEGER NOT NULL,
    name VARCHAR(128) NOT NULL,
    class_name VARCHAR(128) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT object_identity UNIQUE (name, class_name)
  )`,
  `CREATE TABLE object_state (
    objectid INTEGER NOT NULL,
    name VARCHAR(255) NOT NULL,
    value_json TEXT NOT NULL,
    CONSTRAINT name_per_object UNIQUE (objectid, name),
    FOREIGN KEY(objectid) REFERENCES objects (id) ON DELETE CASCADE
  )`,
  `INSERT INTO objects (id, name, class_name) VALUES (7, 'config', 'DbConfig')`,
  `INSERT INTO object_state (objectid, name, value_json)
    VALUES (7, 'settings', '{"text": "h\\u00e9llo", "n": [1, 2, 3]}')`,
];

describe('sqlite existing Buildbot tables', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await makeTempDir();
  });

  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('uses tables that Buildbot created', async () => {
    const url = fileUrl(dir, 'buildbot.db');
    const raw = createClient({ url });
    try {
      for (const statement of buildbotSchema) await raw.execute(statement);
    } finally {
      raw.close();
    }

    const connector = createSqliteStateConnector({ url });
    try {
      const id = await connector.getObjectId('config', 'DbConfig');
      expect(id).toBe(7);
      expect(await connector.getState(id, 'settings')).toEqual({ text: 'héllo', n: [1, 2, 3] });
      expect(await connector.setState(id, 'settings', { n: 4 })).toEqual({ n: 4 });
      expect(await connector.setState(id, 'settings', { n: 5 })).toEqual({ n: 5 });
      const newId = await connector.getObjectId('poller', 'GitPoller');
      expect(newId).toBe(8);
      expect(await connector.atomicCreateState(newId, 'rev', () => 'abc')).toBe('abc');
    } finally {
      await connector.close();
    }

    expect(await countTable(url, '__drizzle_migrations')).toBe(1);
    expect(await countTable(url, 'objects')).toBe(2);
    expect(await countTable(url, 'object_state')).toBe(2);

    // A second start finds the migration applied and changes nothing.
    const again = createSqliteStateConnector({ url });
    await again.migrate();
    await again.close();
    expect(await countTable(url, '__drizzle_migrations')).toBe(1);
  });
});
