import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOutput, runCli } from './run-cli.js';

const temp = makeTempDir('state-connector-exit-');
afterAll(() => temp.remove());

const password = 'S3cr3t-pa55word';
const longClass = 'c'.repeat(129);

describe('invalid input exits 2', () => {
  const url = temp.url('input.db');

  beforeAll(async () => {
    const run = await runCli(['object-id', 'nightly', 'Scheduler', '--url', url]);
    expect(run.code, run.stderr).toBe(0);
  });

  const cases: Array<[label: string, args: string[], code: string]> = [
    ['NaN value', ['set', '1', 'x', 'NaN'], 'INVALID_JSON'],
    ['1e400 value', ['set', '1', 'x', '1e400'], 'INVALID_JSON'],
    ['nested 1e400 value', ['set', '1', 'x', '{"a": [-1e400]}'], 'INVALID_JSON'],
    ['too deep value', ['set', '1', 'x', `${'['.repeat(101)}${']'.repeat(101)}`], 'INVALID_JSON'],
    ['1e400 in create', ['create', '1', 'x', '1e400'], 'INVALID_JSON'],
    ['1e400 default', ['get', '1', 'x', '--default', '1e400'], 'INVALID_JSON'],
    ['long class in object-id', ['object-id', 'a', longClass], 'INVALID_NAME'],
    ['long class in set', ['set', '--object', 'a', '--class', longClass, 'x', '1'], 'INVALID_NAME'],
    ['object id zero', ['get', '0', 'x'], 'INVALID_OBJECT_ID'],
  ];
  for (const [label, args, code] of cases) {
    it(`rejects ${label}`, async () => {
      const run = await runCli([...args, '--url', url, '--json']);
      expect(run.code).toBe(2);
      const error = parseJsonOutput(run.stderr)['error'] as Record<string, unknown>;
      expect(error['code']).toBe(code);
      expect(error['exitCode']).toBe(2);
    });
  }

  it('names the rejected number', async () => {
    const run = await runCli(['set', '1', 'x', '1e400', '--url', url]);
    expect(run.stderr).toContain('"1e400" parses to a value that the store rejects');
    expect(run.stderr).toContain('Infinity is not a finite number');
  });

  it('writes nothing for a rejected value', async () => {
    await runCli(['set', '1', 'rejected', '1e400', '--url', url]);
    const run = await runCli(['get', '1', 'rejected', '--url', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('STATE_NOT_FOUND');
  });

  it('creates no object for a rejected name', async () => {
    await runCli(['set', '--object', 'a', '--class', longClass, 'x', '1', '--url', url]);
    const run = await runCli(['list', '--json', '--url', url]);
    expect(parseJsonOutput(run.stdout)['objects']).toEqual([
      { id: 1, name: 'nightly', className: 'Scheduler' },
    ]);
  });

  it('rejects a port out of range', async () => {
    for (const port of ['99999', '0', 'abc']) {
      const storeUrl = `postgresql://u:${password}@127.0.0.1:${port}/x`;
      const run = await runCli(['--url', storeUrl, 'get', '1', 'x']);
      expect(run.code, port).toBe(2);
      expect(run.stderr, port).toContain(`port "${port}" is not a number from 1 to 65535`);
      expect(run.stderr, port).toContain('(INVALID_URL)');
      expect(run.stderr, port).not.toContain(password);
    }
  });

  it('rejects a bad port in a host list', async () => {
    const run = await runCli(['get', '1', 'x', '--url', 'mongodb://h1:27017,h2:99999/state']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('port "99999"');
  });

  it('rejects a URL that the adapter rejects', async () => {
    const storeUrl = `mongodb://app:${password}@127.0.0.1:1/state?noSuchOption=1`;
    const run = await runCli(['get', '1', 'x', '--url', storeUrl]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Invalid store URL "mongodb://app:***@127.0.0.1:1/state');
    expect(run.stderr).toContain('(INVALID_URL)');
    expect(run.stderr).not.toContain(password);
  });
});

describe('missing store file', () => {
  const commands: string[][] = [
    ['get', '1', 'x'],
    ['get', '1', 'x', '--default', 'null'],
    ['list'],
    ['list', '1'],
    ['delete', '1', 'x'],
    ['export'],
  ];

  for (const args of commands) {
    it(`${args.join(' ')} creates nothing`, async () => {
      const path = join(temp.path, 'typo.db');
      const run = await runCli([...args, '--url', `file:${path}`]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`No store at ${path}: the file does not exist`);
      expect(run.stderr).toContain('(STORE_NOT_FOUND)');
      expect(readdirSync(temp.path).filter((name) => name.startsWith('typo'))).toEqual([]);
    });
  }

  it('resolves a relative path', async () => {
    const run = await runCli(['list', '--url', 'file:typo.db'], { cwd: temp.path });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`No store at ${join(temp.path, 'typo.db')}`);
    expect(existsSync(join(temp.path, 'typo.db'))).toBe(false);
  });

  it('set still creates a new store', async () => {
    const path = join(temp.path, 'new.db');
    const run = await runCli([
      'set',
      '--object',
      'a',
      '--class',
      'B',
      'x',
      '1',
      '--url',
      `file:${path}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(path)).toBe(true);
  });
});

describe('unknown object id', () => {
  const url = temp.url('ids.db');

  beforeAll(async () => {
    const run = await runCli(['set', '--object', 'a', '--class', 'B', 'x', '1', '--url', url]);
    expect(run.code, run.stderr).toBe(0);
  });

  for (const command of ['get', 'delete']) {
    it(`${command} says the object does not exist`, async () => {
      const run = await runCli([command, '99', 'x', '--url', url]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain('Object 99 not found');
      expect(run.stderr).toContain('(OBJECT_NOT_FOUND)');
    });
  }

  it('get still reports a missing name', async () => {
    const run = await runCli(['get', '1', 'missing', '--url', url]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('STATE_NOT_FOUND');
  });

  it('delete of a missing name succeeds', async () => {
    const run = await runCli(['delete', '1', 'missing', '--url', url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('had no value');
  });

  it('get --default prints the default', async () => {
    const run = await runCli(['get', '99', 'x', '--default', '0', '--url', url, '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(parseJsonOutput(run.stdout)).toEqual({
      objectId: 99,
      name: 'x',
      value: 0,
      found: false,
    });
  });
});
