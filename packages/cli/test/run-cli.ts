import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built command, run as a real process as a user would run it. */
export const binPath = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** Output and exit code of one run of the command. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How {@link runCli} starts the process. */
export interface RunOptions {
  /** Variables added to a copy of the environment without STATE_CONNECTOR_URL. */
  env?: Record<string, string>;
  /** Text written to stdin, which is closed afterwards. */
  input?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs `node dist/bin.js ...args` and collects its output. */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.['STATE_CONNECTOR_URL'] === undefined) delete env['STATE_CONNECTOR_URL'];

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Runs the command like {@link runCli}, but closes its stdout after reading `bytes` bytes,
 * as `head -c BYTES` does, and returns what was read before.
 */
export function runCliClosingStdout(
  args: string[],
  bytes: number,
  options: RunOptions = {},
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.env?.['STATE_CONNECTOR_URL'] === undefined) delete env['STATE_CONNECTOR_URL'];

  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      env,
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 60_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.length >= bytes) child.stdout.destroy();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Parses the single JSON line that a command printed with --json. */
export function parseJsonOutput(text: string): Record<string, unknown> {
  return JSON.parse(text.trim()) as Record<string, unknown>;
}

/** Creates a temporary directory for SQLite files; `remove` deletes it. */
export function makeTempDir(prefix: string): {
  path: string;
  url: (file: string) => string;
  remove: () => void;
} {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    url: (file) => `file:${join(path, file)}`,
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}
