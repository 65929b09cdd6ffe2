import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOutput, runCli } from './run-cli.js';

const temp = makeTempDir('state-connector-transfer-');
afterAll(() => temp.remove());

// What Buildbot's json.dumps writes: spaces after separators and ASCII escapes.
const pythonText = '{"text": "h\\u00e9llo", "n": [1, 2, 3], "nested": {"a": 1.50}}';
const longObjectName = `poller-${'ß'.repeat(150)}`;
const longStateName = `revision-${'😀'.repeat(300)}`;

async function seedSource(url: string): Promise<void> {
  const steps: string[][] = [
    ['set', '--object', 'nightly', '--class', 'Scheduler', 'lastRun', '{"at": 1700000000}'],
    ['set', '--object', 'nightly', '--class', 'Scheduler', 'empty', 'null'],
    ['set', '--object', longObjectName, '--class', 'GitPoller', longStateName, '"tip"'],
    ['set', '--object', 'Ünïcode ✓', '--class', 'Klasse/日本', 'Zustand', '"ünï\\u0000"'],
    ['object-id', 'no-state', 'Scheduler'],
  ];
  for (const args of steps) {
    const run = await runCli([...args, '--url', url]);
    expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(0);
  }

  // A value with Python's spacing, written as Buildbot writes it, past every check.
  const client = createClient({ url });
  try {
    await client.execute({
      sql: 'INSERT INTO object_state (objectid, name, value_json) VALUES (1, ?, ?)',
      args: ['buildbot', pythonText],
    });
  } finally {
    client.close();
  }
}

describe('export and import', () => {
  const source = temp.url('source.db');
  let exported = '';

  beforeAll(async () => {
    await seedSource(source);
    const run = await runCli(['export', '--url', source]);
    expect(run.code, run.stderr).toBe(0);
    exported = run.stdout;
  });

  it('writes one line per object and value', () => {
    const lines = exported
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.filter((line) => line.type === 'object')).toHaveLength(4);
    expect(lines.filter((line) => line.type === 'state')).toHaveLength(5);
    expect(lines[0]).toEqual({ type: 'object', id: 1, name: 'nightly', class_name: 'Scheduler' });
  });

  it('keeps the stored text of a Python value', () => {
    const line = exported.split('\n').find((text) => text.includes('"name":"buildbot"')) ?? '';
    expect(JSON.parse(line).value_json).toBe(pythonText);
  });

  it('exports state names in code-point order', () => {
    const names = exported
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((line) => line.type === 'state' && line.objectid === 1)
      .map((line) => line.name);
    expect(names).toEqual(['buildbot', 'empty', 'lastRun']);
  });

  it('round-trips byte for byte through a pipe', async () => {
    const target = temp.url('piped.db');
    const imported = await runCli(['import', '--url', target], { input: exported });
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('Imported 4 objects and 5 state values');

    const again = await runCli(['export', '--url', target]);
    expect(again.stdout).toBe(exported);
  });

  it('round-trips byte for byte through files', async () => {
    const file = join(temp.path, 'export.jsonl');
    const target = temp.url('files.db');
    const written = await runCli(['export', '--output', file, '--url', source, '--json']);
    expect(written.stdout).toBe('');
    expect(parseJsonOutput(written.stderr)).toMatchObject({ objects: 4, state: 5, invalidJson: 0 });
    expect(readFileSync(file, 'utf8')).toBe(exported);

    const imported = await runCli(['import', '--input', file, '--url', target, '--json']);
    expect(parseJsonOutput(imported.stdout)).toMatchObject({ objects: 4, state: 5, moved: [] });
    const again = await runCli(['export', '--url', target]);
    expect(again.stdout).toBe(exported);
  });

  it('keeps long and unicode names readable after import', async () => {
    const target = temp.url('names.db');
    await runCli(['import', '--url', target], { input: exported });
    const run = await runCli([
      'get',
      '--object',
      longObjectName,
      '--class',
      'GitPoller',
      longStateName,
      '--url',
      target,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('"tip"');
    const unicode = await runCli([
      'get',
      '--object',
      'Ünïcode ✓',
      '--class',
      'Klasse/日本',
      'Zustand',
      '--json',
      '--url',
      target,
    ]);
    expect(parseJsonOutput(unicode.stdout)['value']).toBe('ünï\u0000');
  });

  it('keeps the ids of the source', async () => {
    const target = temp.url('ids.db');
    await runCli(['object-id', 'unrelated', 'Other', '--url', target]);
    const sparse = exported
      .split('\n')
      .filter((line) => line.includes('"id":3') || line.includes('"objectid":3'))
      .join('\n');
    const run = await runCli(['import', '--url', target], { input: sparse });
    expect(run.code, run.stderr).toBe(0);
    const list = await runCli(['list', '--json', '--url', target]);
    const ids = (parseJsonOutput(list.stdout)['objects'] as Array<{ id: number }>).map(
      (object) => object.id,
    );
    expect(ids).toEqual([1, 3]);
  });

  it('overwrites existing values on import', async () => {
    const target = temp.url('overwrite.db');
    await runCli([
      'set',
      '--object',
      'nightly',
      '--class',
      'Scheduler',
      'lastRun',
      '0',
      '--url',
      target,
    ]);
    await runCli(['set', '1', 'localOnly', 'true', '--url', target]);
    const run = await runCli(['import', '--url', target], { input: exported });
    expect(run.code, run.stderr).toBe(0);
    const lastRun = await runCli(['get', '1', 'lastRun', '--url', target]);
    expect(JSON.parse(lastRun.stdout)).toEqual({ at: 1700000000 });
    const existing = await runCli(['get', '1', 'localOnly', '--url', target]);
    expect(existing.stdout.trim()).toBe('true');
  });

  it('moves state of an identity stored under another id', async () => {
    const target = temp.url('moved.db');
    await runCli(['object-id', 'first', 'Other', '--url', target]);
    await runCli(['object-id', 'nightly', 'Scheduler', '--url', target]);
    const nightly = exported
      .split('\n')
      .filter((line) => line.includes('"id":1,') || line.includes('"objectid":1,'))
      .join('\n');
    const run = await runCli(['import', '--json', '--url', target], { input: nightly });
    expect(run.code, run.stderr).toBe(0);
    expect(parseJsonOutput(run.stdout)['moved']).toEqual([
      { name: 'nightly', className: 'Scheduler', fromId: 1, toId: 2 },
    ]);
    const lastRun = await runCli(['get', '2', 'lastRun', '--url', target]);
    expect(JSON.parse(lastRun.stdout)).toEqual({ at: 1700000000 });
  });

  it('rejects an id that belongs to another identity', async () => {
    const target = temp.url('conflict.db');
    await runCli(['object-id', 'someone-else', 'Other', '--url', target]);
    const run = await runCli(['import', '--url', target], { input: exported });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Cannot import line 1: object id 1 already belongs to');
    expect(run.stderr).toContain('OBJECT_ID_CONFLICT');
  });

  it('warns when a stored value is not JSON', async () => {
    const url = temp.url('corrupt.db');
    await runCli(['object-id', 'a', 'B', '--url', url]);
    const client = createClient({ url });
    await client.execute(
      "INSERT INTO object_state (objectid, name, value_json) VALUES (1, 'bad', '{')",
    );
    client.close();
    const run = await runCli(['export', '--url', url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('"value_json":"{"');
    expect(run.stderr).toContain('warning: 1 stored values are not valid JSON');
  });
});

describe('import line checks', () => {
  const object = '{"type":"object","id":1,"name":"a","class_name":"B"}';
  const cases: Array<[label: string, input: string, message: string]> = [
    ['invalid JSON', `${object}\n{oops`, 'Invalid import line 2: not valid JSON'],
    ['array line', '[1, 2]', 'Invalid import line 1: expected a JSON object'],
    ['unknown type', '{"type":"row"}', 'Invalid import line 1: unknown type "row"'],
    [
      'unknown field',
      '{"type":"object","id":1,"name":"a","class_name":"B","x":1}',
      'unknown field "x"; an object line has the fields type, id, name, class_name',
    ],
    [
      'unknown state field',
      `${object}\n{"type":"state","objectid":1,"name":"x","value_json":"1","x":1}`,
      'unknown field "x"; a state line has the fields',
    ],
    [
      'id over maximum',
      `${object}\n{"type":"object","id":2147483648,"name":"b","class_name":"B"}`,
      'Invalid import line 2: id 2147483648 is over the maximum object id of 2147483647',
    ],
    [
      'objectid over maximum',
      `${object}\n{"type":"state","objectid":2147483648,"name":"x","value_json":"1"}`,
      'Invalid import line 2: objectid 2147483648 is over the maximum object id',
    ],
    [
      'lone surrogate value',
      `${object}\n{"type":"state","objectid":1,"name":"x","value_json":"\\"a\\ud800\\""}`,
      'Invalid import line 2: value_json of state "x" of object 1 contains the lone surrogate U+D800',
    ],
    [
      'zero id',
      '{"type":"object","id":0,"name":"a","class_name":"B"}',
      'id must be a positive integer',
    ],
    ['numeric name', '{"type":"object","id":1,"name":5,"class_name":"B"}', 'name must be a string'],
    [
      'long class',
      `{"type":"object","id":1,"name":"a","class_name":"${'c'.repeat(129)}"}`,
      'Invalid class name',
    ],
    [
      'state first',
      '{"type":"state","objectid":1,"name":"x","value_json":"1"}',
      'object 1 has no object line',
    ],
    [
      'invalid value',
      `${object}\n{"type":"state","objectid":1,"name":"x","value_json":"{"}`,
      'does not parse as JSON',
    ],
    [
      'value not text',
      `${object}\n{"type":"state","objectid":1,"name":"x","value_json":1}`,
      'value_json must be a string',
    ],
    [
      'duplicate id',
      `${object}\n${object}`,
      'Invalid import line 2: object id 1 or its name and class already appeared on line 1',
    ],
    [
      'duplicate state',
      `${object}\n\n{"type":"state","objectid":1,"name":"x","value_json":"1"}\n{"type":"state","objectid":1,"name":"x","value_json":"2"}`,
      'Invalid import line 4: state "x" of object 1 appears twice',
    ],
  ];

  for (const [label, input, message] of cases) {
    it(`rejects ${label}`, async () => {
      const path = join(temp.path, `line-${label.replace(/\W/g, '-')}.db`);
      const run = await runCli(['import', '--url', `file:${path}`], { input });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(message);
      expect(run.stderr).toContain('INVALID_IMPORT_LINE');
      // The input is checked before the store is opened, so not even the file is created.
      expect(existsSync(path)).toBe(false);
    });
  }

  it('keeps an escaped lone surrogate', async () => {
    const state = '{"type":"state","objectid":1,"name":"x","value_json":"\\"a\\\\ud800\\""}';
    const input = `${object}\n${state}\n`;
    const url = temp.url('escaped-surrogate.db');
    const run = await runCli(['import', '--url', url], { input });
    expect(run.code, run.stderr).toBe(0);
    const again = await runCli(['export', '--url', url]);
    expect(again.stdout).toBe(input);
  });

  it('reports the line of a failed write', async () => {
    const url = temp.url('trigger.db');
    await runCli(['migrate', '--url', url]);
    // A real SQLite failure on one row, raised by the database itself.
    const client = createClient({ url });
    await client.execute(
      "CREATE TRIGGER reject_poison BEFORE INSERT ON object_state WHEN NEW.name = 'poison' " +
        "BEGIN SELECT RAISE(ABORT, 'poison rejected'); END",
    );
    client.close();
    const input = [
      object,
      '{"type":"state","objectid":1,"name":"kept","value_json":"1"}',
      '',
      '{"type":"state","objectid":1,"name":"poison","value_json":"2"}',
      '{"type":"state","objectid":1,"name":"later","value_json":"3"}',
    ].join('\n');

    const run = await runCli(['import', '--url', url], { input });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Import failed at line 4: sqlite importStateText failed');
    expect(run.stderr).toContain('The 2 lines before it were written and are kept');
    expect(run.stderr).toContain('(BACKEND_FAILURE)');
    const earlier = await runCli(['get', '1', 'kept', '--url', url]);
    expect(earlier.stdout.trim()).toBe('1');
    const later = await runCli(['get', '1', 'later', '--url', url]);
    expect(later.code).toBe(1);
  });

  it('reports a missing input file', async () => {
    const run = await runCli([
      'import',
      '--input',
      join(temp.path, 'nope.jsonl'),
      '--url',
      temp.url('x.db'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no such file or directory');
    expect(run.stderr).not.toContain('    at ');
  });

  it('accepts CRLF line ends and blank lines', async () => {
    const file = join(temp.path, 'crlf.jsonl');
    writeFileSync(
      file,
      `${object}\r\n\r\n{"type":"state","objectid":1,"name":"x","value_json":"[1]"}\r\n`,
    );
    const url = temp.url('crlf.db');
    const run = await runCli(['import', '--input', file, '--url', url]);
    expect(run.code, run.stderr).toBe(0);
    const get = await runCli(['get', '1', 'x', '--url', url]);
    expect(JSON.parse(get.stdout)).toEqual([1]);
  });
});
