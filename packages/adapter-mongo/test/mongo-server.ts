import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { FerretDbServer, ferretDbBinary, hasFerretDb } from './ferretdb.js';

/**
 * Server for the tests of this package. `MONGODB_URL` comes first. Without it, each test file
 * starts the FerretDB binary of tools/ferretdb/build.sh. Without that binary there is none,
 * and the tests are skipped (outside CI) or fail (with `CI=true`).
 */
export type MongoServerChoice =
  | { kind: 'url'; url: string }
  | { kind: 'ferretdb' }
  | { kind: 'none'; reason: string };

export function chooseMongoServer(): MongoServerChoice {
  const url = process.env['MONGODB_URL'];
  if (url !== undefined && url !== '') return { kind: 'url', url };
  if (hasFerretDb()) return { kind: 'ferretdb' };
  return {
    kind: 'none',
    reason:
      `MONGODB_URL is not set and no FerretDB binary exists at ${ferretDbBinary()}; ` +
      'set MONGODB_URL to a mongodb:// connection string or run tools/ferretdb/build.sh',
  };
}

/**
 * Tells whether the tests run in CI (`CI=true`, as the conformance suite's skip helper reads
 * it), where a missing server is a failure, not a skip.
 */
export function inCi(): boolean {
  return process.env['CI'] === 'true';
}

/**
 * Returns a database name that no other test file or run uses. Test files of this package
 * can share one server, so each one works in its own databases.
 */
export function uniqueDatabase(prefix: string): string {
  return `sc_${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** The server of one test file, valid inside its tests. */
export interface MongoServerHandle {
  readonly url: string;
  /** The FerretDB process when this file started one, for tests that stop the server. */
  readonly ferretDb: FerretDbServer | undefined;
}

/**
 * Registers hooks that start FerretDB for the enclosing `describe` (unless `MONGODB_URL` is
 * set) and stop it afterwards. Call it only when {@link chooseMongoServer} found a server.
 */
export function useMongoServer(choice: MongoServerChoice): MongoServerHandle {
  let server: FerretDbServer | undefined;

  beforeAll(async () => {
    if (choice.kind !== 'ferretdb') return;
    server = new FerretDbServer();
    await server.start();
  });

  afterAll(async () => {
    await server?.dispose();
    server = undefined;
  });

  return {
    get url() {
      if (choice.kind === 'url') return choice.url;
      if (server === undefined) throw new Error('The FerretDB server is not started yet.');
      return server.url;
    },
    get ferretDb() {
      return server;
    },
  };
}

/**
 * Runs `body` as a `describe` block with a MongoDB server. Without one, the block is skipped
 * with one warning line that names the variable to set, or fails when `CI=true`.
 */
export function describeWithMongo(
  title: string,
  body: (server: MongoServerHandle) => void,
  choice: MongoServerChoice = chooseMongoServer(),
): void {
  if (choice.kind !== 'none') {
    describe(title, () => body(useMongoServer(choice)));
    return;
  }

  if (inCi()) {
    describe(title, () => {
      it('has a MongoDB server', () => {
        throw new Error(`${choice.reason}; CI must run every backend`);
      });
    });
    return;
  }
  console.warn(`SKIPPED ${title}: ${choice.reason}`);
  describe.skip(title, () => body(useMongoServer(choice)));
}

/** Returns `url` with its database path replaced by `database`, keeping the query. */
export function withDatabase(url: string, database: string): string {
  return url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?#]*)(\/[^?#]*)?/, `$1/${database}`);
}

/** Returns `url` with one more query option. */
export function withOption(url: string, option: string): string {
  const base = /^mongodb(?:\+srv)?:\/\/[^/?#]*\//.test(url) ? url : url.replace(/(\?|$)/, '/$1');
  return `${base}${base.includes('?') ? '&' : '?'}${option}`;
}
