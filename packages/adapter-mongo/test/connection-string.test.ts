import { BackendError } from '@state-connector/core';
import { describe, expect, it } from 'vitest';
import { databaseFromUrl, hidePassword, redactUrl } from '../dist/connection-string.js';
import {
  createMongoStateConnector,
  DEFAULT_MONGO_DATABASE,
  MAX_DATABASE_NAME_BYTES,
} from '../dist/index.js';

const PASSWORD = 'pw-7d1e/x';
const URL = 'mongodb://127.0.0.1:27017/ci';
// The factory with loose types, as JavaScript code without type checks can call it.
const createUnchecked = createMongoStateConnector as (...args: unknown[]) => unknown;
const ENCODED = encodeURIComponent(PASSWORD);

function everyMessage(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) {
    parts.push(current.message, String(current), current.stack ?? '');
  }
  return parts.join('\n');
}

describe('databaseFromUrl', () => {
  it.each([
    ['mongodb://127.0.0.1:27017/ci', 'ci'],
    ['mongodb://u:p@a:1,b:2/ci?replicaSet=rs', 'ci'],
    ['mongodb+srv://cluster.example/ci', 'ci'],
    ['mongodb://127.0.0.1/state%5Fdb', 'state_db'],
    ['mongodb://127.0.0.1:27017/', undefined],
    ['mongodb://127.0.0.1:27017', undefined],
    ['mongodb://127.0.0.1:27017/?w=1', undefined],
    ['postgres://127.0.0.1/ci', undefined],
  ])('reads %s', (url, expected) => {
    expect(databaseFromUrl(url)).toBe(expected);
  });

  it('has state_connector as the default', () => {
    expect(DEFAULT_MONGO_DATABASE).toBe('state_connector');
  });
});

describe('redactUrl', () => {
  it.each([
    [`mongodb://user:${ENCODED}@127.0.0.1/db?authSource=admin`, 'mongodb://user:****@127.0.0.1/db'],
    [`mongodb://user:${PASSWORD}@127.0.0.1/db`, 'mongodb://user:****@127.0.0.1/db'],
    ['mongodb://user@127.0.0.1/db', 'mongodb://user@127.0.0.1/db'],
    ['mongodb://127.0.0.1:27017/db', 'mongodb://127.0.0.1:27017/db'],
  ])('redacts %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it('hides raw and decoded passwords in text', () => {
    const url = `mongodb://user:${ENCODED}@127.0.0.1/db`;
    expect(hidePassword(`a ${PASSWORD} b ${ENCODED}`, url)).toBe('a **** b ****');
  });
});

describe('connector errors', () => {
  it.each([
    ['no argument', [], /expects an options object, got undefined/],
    ['null', [null], /expects an options object, got null/],
    ['a string', [URL], /expects an options object, got string/],
    ['neither url nor client', [{}], /exactly one of `url`.*got neither/],
    ['both url and client', [{ url: URL, client: {} }], /exactly one of `url`.*got both/],
    ['a non-string url', [{ url: 27017 }], /`url` option .* must be a string, got number/],
    ['a client without db()', [{ client: 'mongodb' }], /`client` option .* MongoClient/],
    ['a non-string database', [{ url: URL, database: 5 }], /`database` option .* got number/],
  ])('rejects %s with a TypeError', (_, args, message) => {
    let caught: unknown;
    try {
      createUnchecked(...args);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TypeError);
    expect((caught as Error).name).toBe('TypeError');
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toContain('createMongoStateConnector');
  });

  const invalidNames: Array<[string, string]> = [
    ['empty', ''],
    ['63 ASCII characters plus one', 'a'.repeat(MAX_DATABASE_NAME_BYTES + 1)],
    ['70 characters', 'a'.repeat(70)],
    ['32 two-byte characters', 'é'.repeat(32)],
    ['a lone surrogate', 'a\ud800'],
    ...[...'/\\. "$*<>:|?\0'].map((character): [string, string] => [
      `containing ${JSON.stringify(character)}`,
      `a${character}b`,
    ]),
  ];

  it.each(invalidNames)('rejects a database name %s', (_, database) => {
    for (const options of [
      { url: URL, database },
      { client: { db() {} }, database },
    ]) {
      let caught: unknown;
      try {
        createUnchecked(options);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TypeError);
      expect((caught as Error).name).toBe('TypeError');
      expect((caught as Error).message).toContain(JSON.stringify(database));
      expect((caught as Error).message).toContain('invalid MongoDB database name');
      expect((caught as Error).message).toContain('pass another `database`');
    }
  });

  it('rejects an invalid database in the URL', () => {
    expect(() => createMongoStateConnector({ url: 'mongodb://127.0.0.1:27017/a.b' })).toThrow(
      /database named in `url`.*"a\.b".*pass a `database` option/,
    );
  });

  it.each([
    ['63 ASCII characters', 'a'.repeat(MAX_DATABASE_NAME_BYTES)],
    ['63 bytes of UTF-8', `${'é'.repeat(31)}a`],
    ['dashes and underscores', 'state-connector_ci'],
  ])('accepts a database name of %s', async (_, database) => {
    expect(MAX_DATABASE_NAME_BYTES).toBe(63);
    const connector = createMongoStateConnector({ url: URL, database });
    await connector.close();
  });

  it('hides the password of an invalid URL', () => {
    let caught: unknown;
    try {
      createMongoStateConnector({ url: `mongodb://user:${PASSWORD}@127.0.0.1:1/db` });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BackendError);
    expect((caught as Error).message).toContain('invalid connection string');
    expect(everyMessage(caught)).not.toContain(PASSWORD);
    expect(everyMessage(caught)).not.toContain(ENCODED);
  });

  it('hides the password when the server is unreachable', async () => {
    // Nothing listens on port 1 of 127.0.0.1, so the connection is refused at once.
    const connector = createMongoStateConnector({
      url: `mongodb://user:${ENCODED}@127.0.0.1:1/db?serverSelectionTimeoutMS=300`,
    });
    let caught: unknown;
    try {
      await connector.getObjectId('a', 'MongoTest');
    } catch (error) {
      caught = error;
    } finally {
      await connector.close();
    }

    expect(caught).toBeInstanceOf(BackendError);
    expect((caught as BackendError).retryable).toBe(true);
    expect((caught as Error).message).toContain('no server answered');
    expect((caught as Error).message).toContain('connection refused at 127.0.0.1:1');
    expect(everyMessage(caught)).not.toContain(PASSWORD);
    expect(everyMessage(caught)).not.toContain(ENCODED);
  });
});
