import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { redactUrl, secretsOf } from '../dist/index.js';
import { parseJsonOutput, runCli } from './run-cli.js';

const password = 'S3cr3t-pa55word';

// A port on 127.0.0.1 that was free a moment ago, so a connection to it is refused.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('redactUrl', () => {
  const cases: Array<[url: string, shown: string]> = [
    [`postgres://app:${password}@127.0.0.1:5432/state`, 'postgres://app:***@127.0.0.1:5432/state'],
    [
      `postgresql://app:p%40ss@db/state?sslmode=require`,
      'postgresql://app:***@db/state?sslmode=require',
    ],
    [
      `mongodb://app:${password}@h1:27017,h2:27017/state?replicaSet=rs`,
      'mongodb://app:***@h1:27017,h2:27017/state?replicaSet=rs',
    ],
    [`mongodb+srv://app:p@ss@cluster.example/state`, 'mongodb+srv://app:***@cluster.example/state'],
    [
      `postgres://127.0.0.1/state?password=${password}&user=app`,
      'postgres://127.0.0.1/state?password=***&user=app',
    ],
    ['libsql://db.example?authToken=abc.def', 'libsql://db.example?authToken=***'],
    ['postgres://app@127.0.0.1/state', 'postgres://app@127.0.0.1/state'],
    ['file:state.db', 'file:state.db'],
    [':memory:', ':memory:'],
  ];
  for (const [url, shown] of cases) {
    it(`hides the password of ${shown}`, () => {
      expect(redactUrl(url)).toBe(shown);
    });
  }

  it('lists raw and decoded secrets', () => {
    expect(secretsOf('postgres://app:p%40ss@db/state')).toEqual(['p%40ss', 'p@ss']);
  });
});

describe('password in the store URL', () => {
  it('never appears when the server is unreachable', async () => {
    const url = `postgres://app:${password}@127.0.0.1:${await closedPort()}/state`;
    for (const args of [
      ['get', '1', 'x'],
      ['migrate'],
      ['list', '--json'],
      ['export'],
      ['demo', '--processes', '1', '--runs', '1'],
    ]) {
      const run = await runCli([...args, '--url', url], { timeoutMs: 60_000 });
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr.length, args.join(' ')).toBeGreaterThan(0);
      expect(run.stdout + run.stderr, args.join(' ')).not.toContain(password);
      expect(run.stderr, args.join(' ')).not.toContain('    at ');
    }
  });

  it('fails with a typed error code', async () => {
    const url = `postgres://app:${password}@127.0.0.1:${await closedPort()}/state`;
    for (const command of ['migrate', 'list']) {
      const run = await runCli([command, '--json', '--url', url]);
      const error = parseJsonOutput(run.stderr)['error'] as Record<string, unknown>;
      expect(['BACKEND_FAILURE', 'ADAPTER_UNAVAILABLE'], command).toContain(error['code']);
      expect(error['exitCode'], command).toBe(1);
    }
  });

  it('never appears when it comes from STATE_CONNECTOR_URL', async () => {
    const url = `postgresql://app:${password}@127.0.0.1:${await closedPort()}/state?connect_timeout=2`;
    const run = await runCli(['set', '--object', 'a', '--class', 'B', 'x', '1', '--json'], {
      env: { STATE_CONNECTOR_URL: url },
    });
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(password);
  });

  it('never appears in a usage error', async () => {
    const run = await runCli(['list', '--url', `redis://app:${password}@127.0.0.1:1/0`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('redis://app:***@127.0.0.1:1/0');
    expect(run.stderr).not.toContain(password);
  });

  it('never appears for a mongodb URL', async () => {
    const url = `mongodb://app:${password}@127.0.0.1:${await closedPort()}/state?serverSelectionTimeoutMS=1000`;
    const run = await runCli(['get', '1', 'x', '--url', url]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(password);
  });
});
