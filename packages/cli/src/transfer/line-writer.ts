import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Writes lines to a file or to stdout, waiting whenever the stream's buffer is full. */
export interface LineWriter {
  write(line: string): Promise<void>;
  /** Flushes the lines; closes the file, but never stdout. */
  close(): Promise<void>;
}

// A stream destroyed by an error never emits 'drain', so its 'close' ends the wait too. The
// signal removes the listener that did not fire, so that long exports do not pile them up.
async function waitForDrain(stream: Writable): Promise<void> {
  if (stream.destroyed) return;
  const controller = new AbortController();
  const { signal } = controller;
  try {
    await Promise.race([once(stream, 'drain', { signal }), once(stream, 'close', { signal })]);
  } finally {
    controller.abort();
  }
}

/** Opens a writer on `path`, created or truncated, or on stdout when `path` is undefined. */
export async function openLineWriter(path: string | undefined): Promise<LineWriter> {
  let stream: Writable = process.stdout;
  if (path !== undefined) {
    const file = createWriteStream(path, { encoding: 'utf8' });
    await once(file, 'open');
    stream = file;
  }

  // A write error is raised by the next call, instead of crashing as an unhandled event.
  let failure: unknown;
  stream.on('error', (error) => {
    failure ??= error;
  });

  return {
    async write(line: string) {
      if (failure !== undefined) throw failure;
      // A failed write destroys the stream at once but emits its error on a later tick.
      if (stream.destroyed) throw new Error('the output stream was closed by a failed write');
      if (stream.write(`${line}\n`)) return;
      await waitForDrain(stream);
      if (failure !== undefined) throw failure;
    },
    async close() {
      if (failure !== undefined) throw failure;
      if (path === undefined) return;
      stream.end();
      await finished(stream);
    },
  };
}
