import { SingleBar } from 'cli-progress';

/** Row count above which export and import show a progress bar on a terminal. */
export const PROGRESS_MIN_ROWS = 500;

/** Progress of a long transfer; a no-op when no bar is shown. */
export interface Progress {
  increment(count?: number): void;
  stop(): void;
}

/**
 * Starts a progress bar on stderr when stderr is a terminal and `total` exceeds
 * {@link PROGRESS_MIN_ROWS}, so that pipes, files and small stores get no bar.
 */
export function startProgress(total: number, unit: string): Progress {
  if (!process.stderr.isTTY || total <= PROGRESS_MIN_ROWS) {
    return { increment() {}, stop() {} };
  }
  const bar = new SingleBar({
    stream: process.stderr,
    format: `{bar} {percentage}% | {value}/{total} ${unit} | {eta_formatted} left`,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return {
    increment(count = 1) {
      bar.increment(count);
    },
    stop() {
      bar.stop();
    },
  };
}
