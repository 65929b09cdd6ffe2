import { existsSync } from 'node:fs';
import { BackendError } from '@state-connector/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStateConnector } from '../dist/index.js';
import { startTestServer, type TestServer } from './server.js';

let server: TestServer;
let url: string;
let sslEnabled: boolean;
let socketDirectory: string | undefined;

const secret = 'not-a-real-password-9d2e';

beforeAll(async () => {
  server = await startTestServer('connection-errors');
  url = await server.createDatabase('connection_errors');

  const [ssl] = await server.query<{ ssl: string }>(url, 'SHOW ssl');
  sslEnabled = ssl?.ssl === 'on';

  // PostgreSQL rejects an SSL request on a Unix socket, whatever its ssl setting, so the
  // local server's socket behaves as a server without SSL.
  const parsed = new URL(url);
  const [sockets] = await server.query<{ unix_socket_directories: string }>(
    url,
    'SHOW unix_socket_directories',
  );
  const port = parsed.port === '' ? '5432' : parsed.port;
  socketDirectory = (sockets?.unix_socket_directories ?? '')
    .split(',')
    .map((directory) => directory.trim())
    .find((directory) => directory !== '' && existsSync(`${directory}/.s.PGSQL.${port}`));
  if (!['127.0.0.1', 'localhost'].includes(parsed.hostname)) socketDirectory = undefined;
});

afterAll(async () => {
  await server?.stop();
});

/** Returns the URL of the test database with a password and extra query parameters. */
function urlWith(parameters: Record<string, string>): string {
  const parsed = new URL(url);
  parsed.password = secret;
  for (const [key, value] of Object.entries(parameters)) parsed.searchParams.set(key, value);
  return parsed.href;
}

/** Runs one call on a new connector and returns its BackendError. */
async function backendErrorOf(connectionString: string): Promise<BackendError> {
  const connector = createPostgresStateConnector({ connectionString, connectionTimeoutMs: 5000 });
  try {
    const error = await connector.getObjectId('unreachable', 'Errors').then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(BackendError);
    return error as BackendError;
  } finally {
    await connector.close();
  }
}

/** Checks that the message shows neither the password nor the driver's error code. */
function expectNoSecrets(error: Error): void {
  expect(error.message).not.toContain(secret);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') expect(error.message).not.toContain(code);
}

describe('SSL failures', () => {
  it('server without SSL is named', async (context) => {
    let connectionString: string;
    if (!sslEnabled) {
      connectionString = urlWith({ sslmode: 'require' });
    } else if (socketDirectory !== undefined) {
      const parsed = new URL(url);
      connectionString = urlWith({
        host: socketDirectory,
        port: parsed.port === '' ? '5432' : parsed.port,
        sslmode: 'require',
      });
    } else {
      console.warn(
        '[adapter-postgres connection-errors] SKIPPED: the test server has SSL on and no ' +
          'local Unix socket; point DATABASE_URL at a server without SSL to run this test.',
      );
      context.skip();
      return;
    }

    const error = await backendErrorOf(connectionString);
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('the server does not support SSL');
    expectNoSecrets(error);
  });

  it('untrusted certificate is named', async (context) => {
    if (!sslEnabled) {
      console.warn(
        '[adapter-postgres connection-errors] SKIPPED: the test server has SSL off, so it ' +
          'has no certificate to reject.',
      );
      context.skip();
      return;
    }

    const connector = createPostgresStateConnector({
      connectionString: urlWith({ sslmode: 'verify-full' }),
      connectionTimeoutMs: 5000,
    });
    try {
      const outcome = await connector.getObjectId('certificate', 'Errors').then(
        () => undefined,
        (reason: unknown) => reason,
      );
      if (outcome === undefined) {
        console.warn(
          '[adapter-postgres connection-errors] SKIPPED: this client trusts the server ' +
            'certificate, so no certificate error can be provoked.',
        );
        context.skip();
        return;
      }
      expect(outcome).toBeInstanceOf(BackendError);
      const error = outcome as BackendError;
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('the server certificate');
      expectNoSecrets(error);
    } finally {
      await connector.close();
    }
  });
});

describe('caller pool with a bad URL', () => {
  it('invalid URL is named', async () => {
    const pool = new pg.Pool({
      connectionString: `postgres://someone:${secret}@127.0.0.1:99999/x`,
      connectionTimeoutMillis: 5000,
    });
    const connector = createPostgresStateConnector({ pool });
    try {
      const error = await connector.getObjectId('invalid-url', 'Errors').then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(BackendError);
      expect((error as BackendError).retryable).toBe(false);
      expect((error as BackendError).message).toContain('not a valid URL');
      expectNoSecrets(error as BackendError);
    } finally {
      await connector.close();
      await pool.end();
    }
  });
});
