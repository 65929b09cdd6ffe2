import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/** Debian's `buildbot` command. */
export const BUILDBOT_COMMAND = '/usr/bin/buildbot';

/**
 * Debian's interpreter, which can import the `buildbot` package. The `python3` first on PATH
 * may be another interpreter without Debian's packages.
 */
export const BUILDBOT_PYTHON = '/usr/bin/python3';

const INSTALL_HINT = 'install it with `apt-get install -y buildbot python3-psycopg2`';

/** True when CI runs the suite: then a missing dependency fails instead of skipping. */
export const inCi = process.env['CI'] === 'true';

function missingModules(modules: string[]): string | undefined {
  if (!existsSync(BUILDBOT_COMMAND)) return `${BUILDBOT_COMMAND} is missing`;
  if (!existsSync(BUILDBOT_PYTHON)) return `${BUILDBOT_PYTHON} is missing`;
  const probe = spawnSync(BUILDBOT_PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], {
    encoding: 'utf8',
  });
  if (probe.status === 0) return undefined;
  const lastLine = probe.stderr.trim().split('\n').at(-1) ?? 'no output';
  return `${BUILDBOT_PYTHON} cannot import ${modules.join(', ')} (${lastLine})`;
}

/** Why Buildbot cannot run here, or `undefined` when it can. */
export const buildbotMissing = missingModules(['buildbot.db.state', 'sqlalchemy', 'alembic']);

/** Why Buildbot cannot reach PostgreSQL here, or `undefined` when it can. */
export const psycopgMissing = buildbotMissing ?? missingModules(['psycopg2']);

/**
 * Declares a suite that needs something that may be missing. Outside CI it is skipped with
 * one loud line. With `CI=true` it becomes one failing test whose message names what to
 * install or set.
 */
export function describeIfAvailable(
  name: string,
  missing: string | undefined,
  hint: string,
  body: () => void,
): void {
  if (missing === undefined) {
    describe(name, body);
    return;
  }
  const message = `${name}: ${missing}; ${hint}`;
  if (inCi) {
    describe(name, () => {
      it('has its dependencies', () => {
        throw new Error(`${message}. CI=true, so this suite fails instead of skipping.`);
      });
    });
    return;
  }
  console.warn(`\n!!! SKIPPED ${message}\n`);
  describe.skip(name, body);
}

/** {@link describeIfAvailable} for suites that need Buildbot. */
export function describeWithBuildbot(name: string, body: () => void): void {
  describeIfAvailable(name, buildbotMissing, INSTALL_HINT, body);
}

export { INSTALL_HINT };
