import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOutput, runCli } from './run-cli.js';

const temp = makeTempDir('state-connector-cli-');
afterAll(() => temp.remove());

describe('object-id', () => {
  const url = temp.url('object-id.db');

  it('prints the same id for the same pair', async () => {
    const first = await runCli(['object-id', 'nightly', 'Scheduler', '--url', url]);
    const second = await runCli(['--url', url, 'object-id', 'nightly', 'Scheduler']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('1\n');
    expect(second.stdout).toBe('1\n');
  });

  it('keeps different pairs apart', async () => {
    const other = await runCli(['object-id', 'nightly', 'GitPoller', '--url', url]);
    expect(other.stdout).toBe('2\n');
  });

  it('prints JSON with --json', async () => {
    const run = await runCli(['object-id', 'nightly', 'Scheduler', '--url', url, '--json']);
    expect(parseJsonOutput(run.stdout)).toEqual({
      objectId: 1,
      name: 'nightly',
      className: 'Scheduler',
    });
  });

  it('rejects a missing class with exit code 2', async () => {
    const run = await runCli(['object-id', 'nightly', '--url', url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing required argument 'CLASS'");
  });
});

describe('get, set, create and delete', () => {
  const url = temp.url('values.db');
  let objectId = '';

  beforeAll(async () => {
    objectId = (await runCli(['object-id', 'poller', 'GitPoller', '--url', url])).stdout.trim();
  });

  it('set prints the stored value', async () => {
    const run = await runCli([
      'set',
      objectId,
      'lastRevision',
      '{"sha": "a1b2", "n": 3}',
      '--url',
      url,
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ sha: 'a1b2', n: 3 });
  });

  it('get prints the value', async () => {
    const run = await runCli(['get', objectId, 'lastRevision', '--url', url]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ sha: 'a1b2', n: 3 });
  });

  it('get --json includes the object and name', async () => {
    const run = await runCli(['get', objectId, 'lastRevision', '--url', url, '--json']);
    expect(parseJsonOutput(run.stdout)).toEqual({
      objectId: Number(objectId),
      name: 'lastRevision',
      value: { sha: 'a1b2', n: 3 },
      found: true,
    });
  });

  it('get of a missing name exits 1', async () => {
    const run = await runCli(['get', objectId, 'missing', '--url', url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('State "missing" not found');
    expect(run.stderr).toContain('STATE_NOT_FOUND');
    expect(run.stderr).not.toContain('    at ');
  });

  it('get of a missing name prints --default', async () => {
    const run = await runCli(['get', objectId, 'missing', '--default', '[1, null]', '--url', url]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([1, null]);
  });

  it('get accepts a negative default', async () => {
    const run = await runCli(['get', objectId, 'missing', '--default', '-1', '--url', url]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('-1');
  });

  it('get --json marks a default as not found', async () => {
    const run = await runCli([
      'get',
      objectId,
      'missing',
      '--default',
      'null',
      '--url',
      url,
      '--json',
    ]);
    expect(parseJsonOutput(run.stdout)).toMatchObject({ value: null, found: false });
  });

  it('set stores null as a value', async () => {
    await runCli(['set', objectId, 'empty', 'null', '--url', url]);
    const run = await runCli(['get', objectId, 'empty', '--url', url]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('null');
  });

  it('set reads the value from stdin with -', async () => {
    const run = await runCli(['set', objectId, 'fromStdin', '-', '--url', url], {
      input: '{"lines": ["a", "b"]}\n',
    });
    expect(run.code).toBe(0);
    const read = await runCli(['get', objectId, 'fromStdin', '--url', url]);
    expect(JSON.parse(read.stdout)).toEqual({ lines: ['a', 'b'] });
  });

  it('set of invalid JSON exits 2 and writes nothing', async () => {
    const run = await runCli(['set', objectId, 'broken', '{sha: 1}', '--url', url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Invalid JSON for the value');
    expect(run.stderr).toContain('INVALID_JSON');
    const read = await runCli(['get', objectId, 'broken', '--url', url]);
    expect(read.code).toBe(1);
  });

  it('set of an unknown object id exits 1', async () => {
    const run = await runCli(['set', '999', 'x', '1', '--url', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('OBJECT_NOT_FOUND');
  });

  it('rejects an object id that is not a number', async () => {
    for (const bad of ['abc', '0', '1.5', '-3']) {
      const run = await runCli(['get', bad, 'x', '--url', url]);
      expect(run.code, bad).toBe(2);
      expect(run.stderr, bad).toMatch(/Invalid object id|unknown option/);
    }
  });

  it('create stores the first value only', async () => {
    const first = await runCli(['create', objectId, 'secret', '"one"', '--url', url, '--json']);
    const second = await runCli(['create', objectId, 'secret', '"two"', '--url', url, '--json']);
    expect(parseJsonOutput(first.stdout)).toMatchObject({ value: 'one', created: true });
    expect(parseJsonOutput(second.stdout)).toMatchObject({ value: 'one', created: false });
  });

  it('create says whether it created', async () => {
    const created = await runCli(['create', objectId, 'fresh', '[1]', '--url', url]);
    const existing = await runCli(['create', objectId, 'fresh', '[2]', '--url', url]);
    expect(created.stdout).toContain('created: this call stored the value');
    expect(existing.stdout).toContain('existed: the value was kept');
    expect(JSON.parse(existing.stdout.split('\n').slice(0, -2).join('\n'))).toEqual([1]);
  });

  it('delete removes a value once', async () => {
    const first = await runCli(['delete', objectId, 'fresh', '--url', url, '--json']);
    const second = await runCli(['delete', objectId, 'fresh', '--url', url]);
    expect(parseJsonOutput(first.stdout)).toMatchObject({ deleted: true });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('had no value');
  });

  it('rejects extra arguments with exit code 2', async () => {
    const run = await runCli(['get', objectId, 'a', 'b', '--url', url]);
    expect(run.code).toBe(2);
  });
});

describe('--object and --class', () => {
  const url = temp.url('named.db');

  it('set creates the object, get reads it', async () => {
    const set = await runCli([
      'set',
      '--object',
      'nightly',
      '--class',
      'Scheduler',
      'lastRun',
      '42',
      '--url',
      url,
    ]);
    expect(set.code).toBe(0);
    const get = await runCli([
      'get',
      '--object',
      'nightly',
      '--class',
      'Scheduler',
      'lastRun',
      '--url',
      url,
    ]);
    expect(get.stdout.trim()).toBe('42');
  });

  it('get never creates an unknown object', async () => {
    const get = await runCli([
      'get',
      '--object',
      'ghost',
      '--class',
      'Scheduler',
      'x',
      '--url',
      url,
    ]);
    expect(get.code).toBe(1);
    expect(get.stderr).toContain('OBJECT_NOT_FOUND');
    const list = await runCli(['list', '--url', url, '--json']);
    expect(parseJsonOutput(list.stdout)['objects']).toEqual([
      { id: 1, name: 'nightly', className: 'Scheduler' },
    ]);
  });

  it('get of an unknown object prints --default', async () => {
    const run = await runCli([
      'get',
      '--object',
      'ghost',
      '--class',
      'Scheduler',
      'x',
      '--default',
      '0',
      '--url',
      url,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('0');
  });

  it('requires both options', async () => {
    const run = await runCli(['get', '--object', 'nightly', 'lastRun', '--url', url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--object and --class go together');
  });

  it('invalid JSON creates no object', async () => {
    const run = await runCli([
      'set',
      '--object',
      'typo',
      '--class',
      'Scheduler',
      'x',
      '{',
      '--url',
      url,
    ]);
    expect(run.code).toBe(2);
    const list = await runCli(['list', '--url', url, '--json']);
    expect(JSON.stringify(parseJsonOutput(list.stdout))).not.toContain('typo');
  });
});

describe('list', () => {
  const url = temp.url('list.db');

  beforeAll(async () => {
    await runCli([
      'set',
      '--object',
      'nightly',
      '--class',
      'Scheduler',
      'lastRun',
      '{"at": 1}',
      '--url',
      url,
    ]);
    await runCli(['set', '1', 'note', JSON.stringify('x'.repeat(200)), '--url', url]);
    await runCli(['object-id', 'poller', 'GitPoller', '--url', url]);
  });

  it('shows the objects as a table', async () => {
    const run = await runCli(['list', '--url', url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ id\s+│ name\s+│ class\s+│/);
    expect(run.stdout).toMatch(/│ 1\s+│ nightly\s+│ Scheduler\s+│/);
    expect(run.stdout).toMatch(/│ 2\s+│ poller\s+│ GitPoller\s+│/);
  });

  it('shows the objects as JSON', async () => {
    const run = await runCli(['list', '--url', url, '--json']);
    expect(parseJsonOutput(run.stdout)).toEqual({
      objects: [
        { id: 1, name: 'nightly', className: 'Scheduler' },
        { id: 2, name: 'poller', className: 'GitPoller' },
      ],
    });
  });

  it('shows the state of one object', async () => {
    const run = await runCli(['list', '1', '--url', url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('{"at":1}');
    expect(run.stdout).toContain('…');
    expect(run.stdout).not.toContain('x'.repeat(100));
  });

  it('shows whole values with --full', async () => {
    const run = await runCli(['list', '1', '--full', '--url', url]);
    expect(run.stdout.replace(/[\s│]/g, '')).toContain('x'.repeat(200));
  });

  it('shows the state by --object as JSON', async () => {
    const run = await runCli([
      'list',
      '--object',
      'nightly',
      '--class',
      'Scheduler',
      '--json',
      '--url',
      url,
    ]);
    expect(parseJsonOutput(run.stdout)).toEqual({
      objectId: 1,
      state: [
        { name: 'lastRun', value: { at: 1 } },
        { name: 'note', value: 'x'.repeat(200) },
      ],
    });
  });

  it('reports an unknown object id', async () => {
    const run = await runCli(['list', '77', '--url', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Object 77 not found');
  });

  it('says when an object has no state', async () => {
    const run = await runCli(['list', '2', '--url', url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Object 2 has no state.');
  });
});

describe('store URL', () => {
  it('reads STATE_CONNECTOR_URL', async () => {
    const url = temp.url('env.db');
    await runCli(['set', '--object', 'a', '--class', 'B', 'k', '"from env"'], {
      env: { STATE_CONNECTOR_URL: url },
    });
    const run = await runCli(['get', '1', 'k', '--url', url]);
    expect(run.stdout.trim()).toBe('"from env"');
  });

  it('prefers --url over STATE_CONNECTOR_URL', async () => {
    const run = await runCli(['migrate', '--url', temp.url('flag.db'), '--json'], {
      env: { STATE_CONNECTOR_URL: temp.url('env.db') },
    });
    expect(parseJsonOutput(run.stdout)['url']).toBe(temp.url('flag.db'));
  });

  it('defaults to state.db in the working directory', async () => {
    const run = await runCli(['migrate', '--json'], { cwd: temp.path });
    expect(run.code).toBe(0);
    expect(parseJsonOutput(run.stdout)).toMatchObject({ backend: 'sqlite', url: 'file:state.db' });
  });

  it('rejects an unknown scheme with exit code 2', async () => {
    const run = await runCli(['list', '--url', 'redis://127.0.0.1:1/0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Invalid store URL');
  });

  it('prints an error as JSON with --json', async () => {
    const run = await runCli(['list', '--url', 'state.db', '--json']);
    expect(run.code).toBe(2);
    const error = parseJsonOutput(run.stderr)['error'] as Record<string, unknown>;
    expect(error['code']).toBe('INVALID_URL');
    expect(error['message']).toContain('file:state.db');
  });

  it('migrate creates the schema', async () => {
    const run = await runCli(['migrate', '--url', temp.url('fresh.db')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('is up to date');
  });
});

describe('help', () => {
  it('says what each option sets', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('STATE_CONNECTOR_URL');
    expect(run.stdout).toContain('default: "file:state.db"');
    for (const command of [
      'object-id',
      'get',
      'set',
      'create',
      'delete',
      'list',
      'migrate',
      'export',
      'import',
      'demo',
    ]) {
      expect(run.stdout, command).toMatch(new RegExp(`\\n  ${command} `));
    }
  });

  it('exits 2 on an unknown command', async () => {
    const run = await runCli(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'frobnicate'");
  });
});
