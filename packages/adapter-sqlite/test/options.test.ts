import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createSqliteStateConnector } from '@state-connector/adapter-sqlite';
import { describe, expect, it } from 'vitest';

describe('sqlite factory options', () => {
  const invalid: Array<[string, Record<string, unknown>]> = [
    ['url number', { url: 123 }],
    ['negative busy timeout', { busyTimeoutMs: -1 }],
    ['NaN busy timeout', { busyTimeoutMs: Number.NaN }],
    ['negative retries', { maxRetries: -5 }],
    ['infinite retries', { maxRetries: Number.POSITIVE_INFINITY }],
    ['zero cache size', { objectIdCacheSize: 0 }],
    ['NaN cache size', { objectIdCacheSize: Number.NaN }],
    ['logger string', { logger: 'yes' }],
  ];

  for (const [label, options] of invalid) {
    it(`rejects ${label}`, () => {
      expect(() => createSqliteStateConnector(options as never)).toThrow(TypeError);
    });
  }

  it('creates no file for rejected options', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqlite-options-'));
    try {
      const file = join(dir, 'rejected.db');
      const url = pathToFileURL(file).href;
      expect(() => createSqliteStateConnector({ url, objectIdCacheSize: 'a' as never })).toThrow(
        TypeError,
      );
      expect(() => createSqliteStateConnector({ url, logger: 5 as never })).toThrow(TypeError);
      expect(existsSync(file)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a missing options object', () => {
    expect(() => createSqliteStateConnector(null as never)).toThrow(/expected an object/);
  });
});
