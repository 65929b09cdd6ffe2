import { CliError } from './cli-errors.js';

let watching = false;
let stdoutError: NodeJS.ErrnoException | undefined;

/**
 * Records errors of stdout instead of letting them crash the process, so that a command
 * whose reader stopped early (`state-connector export | head`) ends with an error and not
 * with a silent success. Errors of stderr are dropped, because no stream is left to report
 * them on.
 * Calling it again has no effect.
 */
export function watchOutputStreams(): void {
  if (watching) return;
  watching = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    stdoutError ??= error;
  });
  process.stderr.on('error', () => {});
}

/**
 * Waits until every earlier write to stdout has been flushed or has failed. A pipe on Linux
 * takes large writes asynchronously, so a command can finish before its reader has closed
 * the pipe, and the failure of its last write arrives afterwards.
 */
export async function flushStdout(): Promise<void> {
  await new Promise<void>((resolve) => {
    process.stdout.write('', () => resolve());
  });
  // The stream emits the write's error on a later tick than the callback.
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Returns the error to report when a write to stdout failed, or undefined when every write
 * succeeded so far. Call it after {@link flushStdout}.
 */
export function stdoutFailure(): CliError | undefined {
  if (stdoutError === undefined) return undefined;
  if (stdoutError.code === 'EPIPE') {
    return new CliError(
      'OUTPUT_CLOSED',
      'stdout was closed before all output was written, because the reading process (such ' +
        'as head) exited early; the output is incomplete.',
    );
  }
  const reason = stdoutError.code ?? stdoutError.message;
  return new CliError(
    'OUTPUT_FAILED',
    `Writing to stdout failed (${reason}); the output is incomplete.`,
  );
}
