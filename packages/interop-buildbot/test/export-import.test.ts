import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliResult, cliMissing, runCli } from './helpers/cli.js';
import { describeIfAvailable } from './helpers/environment.js';
import { postgresBackend } from './helpers/postgres-store.js';
import { expectOk } from './helpers/responses.js';
import { sqliteBackend } from './helpers/sqlite-store.js';
import type { InteropStore } from './helpers/store.js';

const longObjectName = `builder-${'ü'.repeat(70)}-${'😀'.repeat(70)}`;
const longStateName = `state-${'é'.repeat(150)}-${'🎉'.repeat(150)}`;

/** State that Buildbot writes, as the JSON text that Python parses before storing it. */
const written: Array<[name: string, pythonText: string]> = [
  [longStateName, '{"text": "h\\u00e9llo", "n": [1, 2, 3]}'],
  ['ключ-😀', '"\\u65e5\\u672c \\ud83d\\ude00"'],
  ['float', '1.0'],
  ['key order', '{"b": 1, "10": 2}'],
  ['null', 'null'],
  ['lone surrogate', '"\\ud800"'],
];

function expectSuccess(result: CliResult, step: string): void {
  expect(result.code, `${step}: ${result.stderr}`).toBe(0);
}

const missing = sqliteBackend.missing ?? postgresBackend.missing ?? cliMissing;
const hint =
  sqliteBackend.missing !== undefined || postgresBackend.missing !== undefined
    ? postgresBackend.hint
    : 'build the packages with `pnpm build`';

describeIfAvailable('export and import of a Buildbot database', missing, hint, () => {
  let source: InteropStore;
  let target: InteropStore;
  let workdir: string;
  let objectId: number;

  beforeAll(async () => {
    workdir = await mkdtemp(join(tmpdir(), 'interop-export-'));
    source = await sqliteBackend.createStore();
    target = await postgresBackend.createStore();

    const buildbot = await source.master.startDriver();
    await buildbot.value({ op: 'getObjectId', name: 'first', className: 'Exported' });
    objectId = Number(
      await buildbot.value({ op: 'getObjectId', name: longObjectName, className: 'Exported' }),
    );
    for (const [name, valueJson] of written) {
      await buildbot.value({ op: 'setState', objectId, name, valueJson });
    }
    await buildbot.value({ op: 'dbConfigSet', name: 'réglage', valueJson: '{"x": [true]}' });
  });

  afterAll(async () => {
    await source?.dispose();
    await target?.dispose();
    if (workdir !== undefined) await rm(workdir, { recursive: true, force: true });
  });

  it('round-trips byte for byte', async () => {
    const first = join(workdir, 'from-buildbot.jsonl');
    expectSuccess(await runCli(['--url', source.url, 'export', '-o', first]), 'export');

    expectSuccess(await runCli(['--url', target.url, 'import', '-i', first]), 'import');
    const fromPostgres = join(workdir, 'from-postgres.jsonl');
    expectSuccess(await runCli(['--url', target.url, 'export', '-o', fromPostgres]), 'export');

    const freshUrl = pathToFileURL(join(workdir, 'fresh.db')).href;
    expectSuccess(await runCli(['--url', freshUrl, 'import', '-i', first]), 'import');
    const fromSqlite = join(workdir, 'from-sqlite.jsonl');
    expectSuccess(await runCli(['--url', freshUrl, 'export', '-o', fromSqlite]), 'export');

    const original = await readFile(first);
    expect((await readFile(fromPostgres)).equals(original)).toBe(true);
    expect((await readFile(fromSqlite)).equals(original)).toBe(true);
    // Buildbot's Python text travels unchanged, escapes and spacing included.
    expect(original.toString('utf8')).toContain(JSON.stringify('{"x": [true]}'));
  });

  it('Buildbot reads the imported PostgreSQL database', async () => {
    const sourceRows = await source.stateRows(objectId);
    const targetRows = await target.stateRows(objectId);
    const texts = (rows: typeof sourceRows) =>
      Object.fromEntries(rows.map((row) => [row.name, row.valueJson]));
    expect(texts(targetRows)).toEqual(texts(sourceRows));

    const before = await source.master.startDriver('buildbot-source');
    const after = await target.master.startDriver('buildbot-target');
    const seenId = await after.value({
      op: 'getObjectId',
      name: longObjectName,
      className: 'Exported',
    });
    expect(seenId).toBe(objectId);
    for (const row of sourceRows) {
      const operation = { op: 'getState', objectId, name: row.name } as const;
      const original = expectOk(await before.request(operation));
      const imported = expectOk(await after.request(operation));
      expect(imported.resultJson, row.name).toBe(original.resultJson);
      expect(imported.pyType, row.name).toBe(original.pyType);
    }
    expect(await after.value({ op: 'dbConfigGet', name: 'réglage' })).toEqual({ x: [true] });
  });

  it('new objects after import get new ids', async () => {
    const imported = await target.objects();
    const highest = Math.max(...imported.map((row) => row.id));

    // Buildbot inserts without an id, so the id sequence must have moved past the import.
    const buildbot = await target.master.startDriver('buildbot-new-object');
    const response = await buildbot.request({
      op: 'getObjectId',
      name: 'after-import',
      className: 'New',
    });
    expect(expectOk(response).resultJson).not.toBe('');
    expect(Number(JSON.parse(expectOk(response).resultJson))).toBeGreaterThan(highest);
    const ours = await target.connect().getObjectId('after-import-ours', 'New');
    expect(ours).toBeGreaterThan(highest);
  });
});
