import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, parseJsonOutput, runCli } from './run-cli.js';

const temp = makeTempDir('state-connector-demo-');
afterAll(() => temp.remove());

interface ProcessReport {
  host: string;
  pid: number;
  objectId: number;
  secretFingerprint: string;
  secretFingerprintAfter: string | null;
  createdSecret: boolean;
  runsRecorded: number;
  runsVisible: number;
  lastRun: { host: string; run: number } | null;
}

describe('demo', () => {
  const url = temp.url('demo.db');

  it('processes agree on a new store', async () => {
    const run = await runCli(['demo', '--url', url, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = parseJsonOutput(run.stdout);
    const processes = report['processes'] as ProcessReport[];

    expect(report['agreed']).toBe(true);
    expect(report['problems']).toEqual([]);
    expect(processes).toHaveLength(4);
    expect(new Set(processes.map((process) => process.pid)).size).toBe(4);
    expect(new Set(processes.map((process) => process.objectId)).size).toBe(1);
    expect(new Set(processes.map((process) => process.secretFingerprint)).size).toBe(1);
    expect(processes.filter((process) => process.createdSecret)).toHaveLength(1);
    for (const process of processes) {
      expect(process.secretFingerprintAfter).toBe(process.secretFingerprint);
      expect(process.runsRecorded).toBe(5);
      expect(process.runsVisible).toBe(20);
      expect(process.lastRun?.run).toBe(5);
    }
  });

  it('never prints the secret itself', async () => {
    const secret = await runCli([
      'get',
      '--object',
      'nightly',
      '--class',
      'state-connector.demo.Scheduler',
      'clusterSecret',
      '--url',
      url,
    ]);
    const value = JSON.parse(secret.stdout) as string;
    expect(value.length).toBeGreaterThan(20);
    const run = await runCli(['demo', '--url', url, '--processes', '2', '--runs', '2']);
    expect(run.stdout).not.toContain(value);
    expect(run.stderr).not.toContain(value);
  });

  it('keeps the secret of an earlier demo', async () => {
    const run = await runCli(['demo', '--url', url, '--processes', '3', '--runs', '4']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/│ process\s+│ pid\s+│ object id\s+│ secret sha256/);
    expect(run.stdout).toContain('kept from an earlier run');
    expect(run.stdout).toMatch(
      /^Agreement: 3 processes saw object 1, one secret .* and all 12 runs\.$/m,
    );
  });

  it('rejects an in-memory store', async () => {
    const run = await runCli(['demo', '--url', ':memory:']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('in-memory database exists in one process only');
  });

  it('rejects a process count out of range', async () => {
    for (const count of ['0', '17', 'four']) {
      const run = await runCli(['demo', '--url', url, '--processes', count]);
      expect(run.code, count).toBe(2);
      expect(run.stderr, count).toContain('expected an integer from 1 to 16');
    }
  });
});
