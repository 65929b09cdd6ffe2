import { describe, it } from 'vitest';

/**
 * Registers the conformance group of a backend whose server is unavailable. Outside CI it
 * prints one warning line that names the backend and the URL variable to set, and registers
 * a skipped group. When `CI` is `true` it registers a failing test instead, so that CI never
 * skips a backend.
 *
 * @param name - backend name, as passed to `runConformanceSuite`, such as `postgres`.
 * @param urlVariable - environment variable that points the tests at a server, such as
 *   `POSTGRES_URL`.
 * @param reason - why the server is unavailable, without secrets.
 *
 * @example
 * ```ts
 * const server = await findServer();
 * if (server.url === undefined) skipUnlessAvailable('postgres', 'POSTGRES_URL', server.reason);
 * else runConformanceSuite(postgresTarget(server.url));
 * ```
 */
export function skipUnlessAvailable(name: string, urlVariable: string, reason: string): void {
  const title = `conformance: ${name}`;
  const message =
    `${title} SKIPPED: the ${name} server is unavailable (${reason}). ` +
    `Set ${urlVariable} to its URL to run these tests.`;

  if (process.env['CI'] === 'true') {
    describe(title, () => {
      it(`${name} server is available`, () => {
        throw new Error(`${message} CI must not skip a backend.`);
      });
    });
    return;
  }

  console.warn(`\n*** ${message} ***\n`);
  describe.skip(title, () => {
    it(`${name} server is available`, () => undefined);
  });
}
