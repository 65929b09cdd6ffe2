import { BackendError, type StateConnector } from '@state-connector/core';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoStateConnector } from '../dist/index.js';
import {
  chooseMongoServer,
  describeWithMongo,
  uniqueDatabase,
  withDatabase,
  withOption,
} from './mongo-server.js';

const PASSWORD = 'pw-7d1e/x';
const ENCODED = encodeURIComponent(PASSWORD);
/** The advice that core appends to a BackendError that a retry cannot fix. */
const CHECK_ADVICE = 'Retrying will not help';
/** Nothing listens on port 1 of 127.0.0.1, so every connection is refused at once. */
const REFUSING_URL = 'mongodb://127.0.0.1:1/db';
const WORKERS = 16;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected the call to reject, but it resolved');
}

function everyMessage(error: unknown): string {
  const parts: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) {
    parts.push(current.message, String(current), current.stack ?? '');
  }
  return parts.join('\n');
}

function withCredentials(url: string, user: string, encodedPassword: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/)(?:[^@/?#]*@)?/, `$1${user}:${encodedPassword}@`);
}

/**
 * Keeps calls running on `connector` from several workers, runs `interrupt` after `delayMs`,
 * and returns the errors of the calls that were in flight then. Each worker stops at its
 * first error, and none starts a call once `interrupt` has begun.
 */
async function errorsOfCallsInFlight(
  connector: StateConnector,
  objectId: number | undefined,
  interrupt: () => Promise<void>,
  delayMs: number,
): Promise<Error[]> {
  let interrupted = false;
  const errors: Error[] = [];
  const call = (worker: number, round: number) => {
    const name = `w${worker}-${round % 4}`;
    if (objectId === undefined) return connector.getObjectId(name, 'MongoTest');
    return round % 2 === 0
      ? connector.setState(objectId, name, round)
      : connector.getState(objectId, name, null);
  };
  const work = async (worker: number) => {
    for (let round = 0; !interrupted; round++) {
      try {
        await call(worker, round);
      } catch (error) {
        errors.push(error as Error);
        return;
      }
    }
  };

  const workers = Array.from({ length: WORKERS }, (_, worker) => work(worker));
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  interrupted = true;
  await interrupt();
  await Promise.all(workers);
  return errors;
}

function expectClosedClientErrors(errors: Error[]): void {
  expect(errors.length).toBeGreaterThan(0);
  for (const error of errors) {
    expect(error).toBeInstanceOf(BackendError);
    expect(error.message).toContain('the MongoClient was closed while the call ran');
    expect(error.message).not.toContain(CHECK_ADVICE);
    expect((error as BackendError).retryable).toBe(true);
  }
}

describeWithMongo('mongo server errors', (server) => {
  let admin: MongoClient;
  const databases: string[] = [];

  beforeAll(async () => {
    admin = new MongoClient(server.url);
    await admin.connect();
  });

  afterAll(async () => {
    for (const name of databases) await admin.db(name).dropDatabase();
    await admin.close();
  });

  it('reports a failed login as authentication', async () => {
    const url = withOption(
      withCredentials(server.url, 'nobody', ENCODED),
      'serverSelectionTimeoutMS=2000',
    );
    const connector = createMongoStateConnector({ url, database: uniqueDatabase('login') });
    try {
      const error = await rejection(connector.getObjectId('a', 'MongoTest'));

      expect(error).toBeInstanceOf(BackendError);
      expect(error.message).toContain('authentication failed');
      expect(error.message).not.toContain('duplicate');
      expect(error.message).not.toContain('index');
      expect((error as BackendError).retryable).toBe(false);
      expect(everyMessage(error)).not.toContain(PASSWORD);
      expect(everyMessage(error)).not.toContain(ENCODED);
    } finally {
      await connector.close();
    }
  });

  // MongoDB accepts every name that passes the connector's own check, but FerretDB 1.24.2
  // also rejects non-ASCII names, which makes the server's InvalidNamespace error testable.
  it.skipIf(chooseMongoServer().kind !== 'ferretdb')(
    'reports a name the server rejects as invalid',
    async () => {
      const connector = createMongoStateConnector({ url: withDatabase(server.url, 'héllo') });
      try {
        const error = await rejection(connector.getObjectId('a', 'MongoTest'));

        expect(error).toBeInstanceOf(BackendError);
        expect(error.message).toContain('invalid database or collection name');
        expect(error.message).toContain('InvalidNamespace');
        expect(error.message).not.toContain('duplicate');
        expect((error as BackendError).retryable).toBe(false);
      } finally {
        await connector.close();
      }
    },
  );

  it('reports a closed caller client', async () => {
    const database = uniqueDatabase('closed_client');
    databases.push(database);
    const client = new MongoClient(server.url);
    const connector = createMongoStateConnector({ client, database });
    try {
      const objectId = await connector.getObjectId('closed', 'MongoTest');
      const errors = await errorsOfCallsInFlight(connector, objectId, () => client.close(), 20);
      expectClosedClientErrors(errors);
      // The close ends the implicit sessions of the calls in flight, which then fail.
      const causes = errors.map((error) => (error.cause as Error).name);
      expect(causes).toContain('MongoExpiredSessionError');

      // A call that starts after the close cannot succeed until the client is reopened.
      const later = await rejection(connector.getState(objectId, 'name-0', null));
      expect(later).toBeInstanceOf(BackendError);
      expect(later.message).toContain('the MongoClient is closed');
      expect((later as BackendError).retryable).toBe(false);
    } finally {
      await connector.close();
      await client.close();
    }
  });
});

describe('mongo errors without a server', () => {
  it('reports a caller client closed during server selection', async () => {
    const client = new MongoClient(withOption(REFUSING_URL, 'serverSelectionTimeoutMS=10000'));
    const connector = createMongoStateConnector({ client, database: 'db' });
    try {
      const errors = await errorsOfCallsInFlight(connector, undefined, () => client.close(), 100);
      expectClosedClientErrors(errors);
    } finally {
      await connector.close();
    }
  });

  it('reports a refused connection after close', async () => {
    const connector = createMongoStateConnector({
      url: withOption(REFUSING_URL, 'serverSelectionTimeoutMS=500'),
    });
    const errors = await errorsOfCallsInFlight(connector, undefined, () => connector.close(), 100);

    expect(errors).toHaveLength(WORKERS);
    for (const error of errors) {
      expect(error).toBeInstanceOf(BackendError);
      expect(error.message).toContain('connection refused at 127.0.0.1:1');
      expect(error.message).not.toContain(CHECK_ADVICE);
      expect((error as BackendError).retryable).toBe(true);
    }
  });
});
