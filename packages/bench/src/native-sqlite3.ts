import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Directory of the `sqlite3` package that `@keyv/sqlite` loads. */
function sqlite3Directory(): string {
  const keyvSqlite = require.resolve('@keyv/sqlite');
  const fromKeyv = createRequire(keyvSqlite);
  return dirname(fromKeyv.resolve('sqlite3/package.json'));
}

/**
 * Headers of the running Node, if its installation ships them (`include/node` beside
 * `bin/node`). node-gyp downloads them otherwise, which fails without internet access.
 */
function localNodeHeaders(): string | undefined {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

/**
 * Builds the native module of `sqlite3` (the driver of `@keyv/sqlite`) from the sources in its
 * npm package, unless it is built already. Its install script would download a prebuilt
 * binary first, and pnpm does not run it unless allowed. Building takes about a minute on
 * two cores and happens once per install.
 *
 * Returns `undefined` when the module is ready, or why it is not.
 */
export function ensureSqlite3Binding(log: (line: string) => void): string | undefined {
  const directory = sqlite3Directory();
  const binding = join(directory, 'build', 'Release', 'node_sqlite3.node');
  if (existsSync(binding)) return undefined;

  const headers = localNodeHeaders();
  const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
  const args = [nodeGyp, 'rebuild', '-j', '2'];
  if (headers !== undefined) args.push(`--nodedir=${headers}`);

  log(`sqlite: building the native sqlite3 module for @keyv/sqlite (once, about a minute)`);
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: directory, encoding: 'utf8' });
  if (result.status === 0 && existsSync(binding)) {
    log(`sqlite: built sqlite3 in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return undefined;
  }

  const logFile = join(tmpdir(), 'state-connector-bench-sqlite3-build.log');
  writeFileSync(logFile, `${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  const lastLines = (result.stderr || result.stdout || String(result.error ?? ''))
    .trim()
    .split('\n')
    .slice(-3)
    .join(' | ');
  return `building sqlite3 with node-gyp failed (exit ${result.status}): ${lastLines}; full log in ${logFile}`;
}
