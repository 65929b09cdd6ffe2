import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Path of the FerretDB binary that tools/ferretdb/build.sh builds: `FERRETDB_BIN`, or the
 * script's default in the user's cache directory.
 */
export function ferretDbBinary(): string {
  const cache = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return (
    process.env['FERRETDB_BIN'] || join(cache, 'state-connector', 'ferretdb-v1.24.2', 'ferretdb')
  );
}

/** Tells whether the FerretDB binary was built on this machine. */
export function hasFerretDb(): boolean {
  return existsSync(ferretDbBinary());
}

/** A FerretDB server that this test process started, with its own data directory. */
export class FerretDbServer {
  /** Directory of the SQLite files; a restart on the same directory keeps the data. */
  readonly dataDir: string;
  /** Temporary directory that contains `data/` and the server's log; removed by dispose(). */
  readonly #root: string;
  #process: ChildProcess | undefined;
  #url: string | undefined;
  #port = 0;

  constructor() {
    this.#root = mkdtempSync(join(tmpdir(), 'state-connector-ferretdb-'));
    this.dataDir = join(this.#root, 'data');
    mkdirSync(this.dataDir);
  }

  /** Connection string of the running server. */
  get url(): string {
    if (this.#url === undefined) throw new Error('FerretDB is not running; call start() first.');
    return this.#url;
  }

  /** TCP port on 127.0.0.1; the first start picks a free one, restarts reuse it. */
  get port(): number {
    return this.#port;
  }

  /** Starts the server and resolves once it listens. */
  async start(): Promise<void> {
    if (this.#process !== undefined) throw new Error('FerretDB is already running.');

    const log = openSync(join(this.#root, 'ferretdb.log'), 'a');
    const child = spawn(
      ferretDbBinary(),
      ['-listen', `127.0.0.1:${this.#port}`, '-data', this.dataDir],
      { stdio: ['ignore', 'pipe', log] },
    );
    closeSync(log);
    this.#process = child;
    running.add(child);
    child.once('exit', () => running.delete(child));

    const url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
      const timer = setTimeout(() => reject(new Error('FerretDB did not listen in 30 s')), 30_000);
      lines.once('line', (line) => {
        clearTimeout(timer);
        resolve(line.trim());
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`FerretDB exited during start-up (code ${code}, signal ${signal})`));
      });
    });
    this.#url = url;
    this.#port = Number(new URL(url).port);
  }

  /** Stops the server: SIGTERM for a clean stop, SIGKILL to simulate a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;

    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  /** Stops the server and removes its data and log. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.#root, { recursive: true, force: true });
  }
}

// Servers still running when the test process exits (for example after a failed hook).
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
