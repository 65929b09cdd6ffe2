import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const vitestPackage = createRequire(import.meta.url).resolve('vitest/package.json');
const vitestBin = join(dirname(vitestPackage), 'vitest.mjs');
const config = fileURLToPath(new URL('./fixtures/vitest.config.ts', import.meta.url));

interface FixtureRun {
  exitCode: number;
  output: string;
  report: { numFailedTests: number; numPendingTests: number; numPassedTests: number };
}

// Runs the fixture in its own vitest process, with CI set to `ci` or unset. The default
// reporter prints the fixture's console output, and the JSON reporter writes the counts.
async function runFixture(ci: string | undefined): Promise<FixtureRun> {
  const env = { ...process.env };
  delete env['CI'];
  delete env['VITEST'];
  if (ci !== undefined) env['CI'] = ci;
  const dir = await mkdtemp(join(tmpdir(), 'conformance-skip-'));
  const reportFile = join(dir, 'report.json');
  const args = [vitestBin, 'run', '--config', config, '--reporter=default', '--reporter=json'];
  args.push(`--outputFile.json=${reportFile}`);
  try {
    const { exitCode, output } = await new Promise<{ exitCode: number; output: string }>(
      (resolve) => {
        execFile(process.execPath, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
          resolve({
            exitCode: error === null ? 0 : Number(error.code ?? 1),
            output: stdout + stderr,
          });
        });
      },
    );
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as FixtureRun['report'];
    return { exitCode, output, report };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('skipUnlessAvailable', () => {
  it('skips loudly outside CI', async () => {
    const run = await runFixture(undefined);
    expect(run.exitCode).toBe(0);
    expect(run.report.numPendingTests).toBe(1);
    expect(run.report.numFailedTests).toBe(0);
    const lines = run.output.split('\n').filter((line) => line.includes('SKIPPED'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('conformance: example');
    expect(lines[0]).toContain('EXAMPLE_URL');
    expect(lines[0]).toContain('connection refused');
  });

  it('fails in CI', async () => {
    const run = await runFixture('true');
    expect(run.exitCode).not.toBe(0);
    expect(run.report.numFailedTests).toBe(1);
    expect(run.report.numPendingTests).toBe(0);
  });
});
