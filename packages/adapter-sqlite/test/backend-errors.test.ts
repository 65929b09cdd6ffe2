import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LibsqlError } from '@libsql/client';
import { expectRejection } from '@state-connector/conformance';
import { BackendError } from '@state-connector/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStateConnector } from '../dist/index.js';
import { fileUrl, makeTempDir, removeTempDir } from './sqlite-store.js';

/** Runs `open` and one call, and returns the error from whichever of them failed. */
async function firstFailure(
  open: () => { getObjectId(name: string, className: string): Promise<number> },
) {
  return expectRejection(
    Promise.resolve().then(() => open().getObjectId('broken', 'BackendErrorTest')),
    BackendError,
  );
}

describe('sqlite backend errors', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await makeTempDir();
  });

  afterAll(async () => {
    await removeTempDir(dir);
  });

  it('a file that is not a database', async () => {
    await writeFile(
      join(dir, 'text.db'),
      'This is plain text, not an SQLite database.\n'.repeat(200),
    );
    const connector = createSqliteStateConnector({ url: fileUrl(dir, 'text.db') });
    try {
      const error = await expectRejection(
        connector.getObjectId('broken', 'BackendErrorTest'),
        BackendError,
      );
      expect(error.backend).toBe('sqlite');
      expect(error.retryable).toBe(false);
      expect(error.cause).toBeInstanceOf(LibsqlError);
      expect((error.cause as LibsqlError).code).toBe('SQLITE_NOTADB');
      expect(error.message).toContain('not an SQLite database');
      // The message carries no SQL from the failed statement.
      expect(error.message).not.toMatch(/SELECT|INSERT|CREATE|PRAGMA/);

      await expectRejection(connector.getState(1, 'value', null), BackendError);
      await expectRejection(connector.setState(1, 'value', 1), BackendError);
    } finally {
      await connector.close();
    }
  });

  it('a directory in place of the file', async () => {
    await mkdir(join(dir, 'directory.db'));
    const error = await firstFailure(() =>
      createSqliteStateConnector({ url: fileUrl(dir, 'directory.db') }),
    );
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('directory.db');
    expect(error.message).not.toContain('invalid URL');
  });

  it('a file in a missing directory', async () => {
    const error = await firstFailure(() =>
      createSqliteStateConnector({ url: fileUrl(join(dir, 'missing'), 'state.db') }),
    );
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toContain('state.db');
    expect(error.message).not.toContain('invalid URL');
  });
});
