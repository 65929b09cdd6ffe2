import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, runCli, runCliClosingStdout } from './run-cli.js';

const temp = makeTempDir('state-connector-output-');
afterAll(() => temp.remove());

// About 1.5 MB of export, far more than a pipe buffers (64 KiB on Linux), so the command is
// still writing when the reader closes the pipe. A single value must exceed it too.
const objectCount = 40;
const bigValue = JSON.stringify('x'.repeat(30_000));
const hugeValue = JSON.stringify('y'.repeat(300_000));

function exportLines(): string {
  const lines: string[] = [];
  for (let id = 1; id <= objectCount; id++) {
    lines.push(JSON.stringify({ type: 'object', id, name: `poller-${id}`, class_name: 'P' }));
    lines.push(JSON.stringify({ type: 'state', objectid: id, name: 'big', value_json: bigValue }));
    if (id === 1) {
      lines.push(
        JSON.stringify({ type: 'state', objectid: id, name: 'huge', value_json: hugeValue }),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

describe('stdout closed early', () => {
  const url = temp.url('big.db');

  beforeAll(async () => {
    const run = await runCli(['import', '--url', url], { input: exportLines() });
    expect(run.code, run.stderr).toBe(0);
  });

  it('export fails with one stderr line', async () => {
    const run = await runCliClosingStdout(['export', '--url', url], 100);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: stdout was closed before all output was written/);
    expect(run.stderr).toContain('(OUTPUT_CLOSED)');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('export reports it as JSON with --json', async () => {
    const run = await runCliClosingStdout(['export', '--json', '--url', url], 100);
    expect(run.code).toBe(1);
    const error = JSON.parse(run.stderr.trim()).error as Record<string, unknown>;
    expect(error['code']).toBe('OUTPUT_CLOSED');
    expect(error['exitCode']).toBe(1);
  });

  it('get of a large value fails too', async () => {
    const run = await runCliClosingStdout(['get', '1', 'huge', '--url', url], 100);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(OUTPUT_CLOSED)');
  });

  it('list of a large table fails too', async () => {
    const run = await runCliClosingStdout(['list', '1', '--full', '--url', url], 100);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(OUTPUT_CLOSED)');
  });

  it('export read to the end succeeds', async () => {
    const run = await runCli(['export', '--url', url]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(exportLines());
    expect(run.stderr).not.toContain('error');
  });
});
