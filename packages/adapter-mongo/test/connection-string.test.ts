import { BackendError } from '@state-connector/core';
import { describe, expect, it } from 'vitest';
import { databaseFromUrl, hidePassword, redactUrl } from '../dist/connection-string.js';
import { createMongoStateConnector, DEFAULT_MONGO_DATABASE } from '../dist/index.js';

const PASSWORD = 'pw-7d1e/x';
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
  it('needs exactly one of url and client', () => {
    expect(() => createMongoStateConnector({})).toThrow(TypeError);
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
    expect(everyMessage(caught)).not.toContain(PASSWORD);
    expect(everyMessage(caught)).not.toContain(ENCODED);
  });
});
