import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Log } from '../backend.js';

const run = promisify(execFile);

/** A MongoDB-wire server: the one at MONGODB_URL, or a FerretDB that this process started. */
export interface MongoServer {
  url: string;
  /** `MONGODB_URL` or `FerretDB`, for the report. */
  source: string;
  stop(): void;
}

// From dist/mongo/ of this package to the repository's tools/ferretdb/.
const startScript = fileURLToPath(new URL('../../../../tools/ferretdb/start.sh', import.meta.url));

/**
 * Starts FerretDB with tools/ferretdb/start.sh, which builds it first if needed (seconds on a
 * warm Go cache, several minutes on a cold one), in a temporary data directory.
 * Returns the server, or why it could not start.
 */
export async function startFerretDb(log: Log): Promise<MongoServer | string> {
  const base = mkdtempSync(join(tmpdir(), 'state-connector-bench-ferretdb-'));
  const pidFile = join(base, 'pid');
  log('mongo: MONGODB_URL is not set; starting FerretDB with tools/ferretdb/start.sh');
  try {
    const { stdout } = await run(
      'bash',
      [startScript, '--data', join(base, 'data'), '--pid-file', pidFile],
      { timeout: 15 * 60_000 },
    );
    const url = stdout.trim().split('\n')[0] ?? '';
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    const stop = () => {
      process.off('exit', stop);
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // The server has exited already.
      }
      rmSync(base, { recursive: true, force: true });
    };
    // The server runs detached, so it is stopped even when the benchmark fails.
    process.on('exit', stop);
    return { url, source: 'FerretDB', stop };
  } catch (error) {
    rmSync(base, { recursive: true, force: true });
    const detail = (error as { stderr?: string }).stderr?.trim() || String(error);
    return `FerretDB did not start (${detail}); set MONGODB_URL to a MongoDB server`;
  }
}
