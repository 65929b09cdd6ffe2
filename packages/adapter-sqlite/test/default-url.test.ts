import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SQLITE_URL } from '../dist/index.js';
import { ADAPTER_MODULE, fileUrl, makeTempDir, removeTempDir } from './sqlite-store.js';

const run = promisify(execFile);

// Opens a connector without a URL, changes the working directory, then writes. The file must
// be where the working directory was when the connector was created.
const script = `
  const { createSqliteStateConnector } = await import(process.env.ADAPTER_MODULE);
  const connector = createSqliteStateConnector();
  process.chdir('elsewhere');
  const id = await connector.getObjectId('default-url', 'DefaultUrlTest');
  await connector.setState(id, 'value', 'in cwd');
  await connector.close();
`;

describe('sqlite default URL', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await makeTempDir();
    await mkdir(join(dir, 'elsewhere'));
  });

  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('is file:state.db', () => {
    expect(DEFAULT_SQLITE_URL).toBe('file:state.db');
  });

  it('resolves against the working directory', async () => {
    await run(process.execPath, ['--input-type=module', '--eval', script], {
      cwd: dir,
      env: { ...process.env, ADAPTER_MODULE },
      timeout: 30_000,
    });

    expect(existsSync(join(dir, 'state.db'))).toBe(true);
    expect(existsSync(join(dir, 'elsewhere', 'state.db'))).toBe(false);
    const raw = createClient({ url: fileUrl(dir) });
    try {
      const result = await raw.execute('SELECT value_json FROM object_state');
      expect(result.rows.map((row) => row['value_json'])).toEqual(['"in cwd"']);
    } finally {
      raw.close();
    }
  });
});
