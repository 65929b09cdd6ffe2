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
      if (!stream.write(`${line}\n`)) await once(stream, 'drain');
    },
    async close() {
      if (failure !== undefined) throw failure;
      if (path === undefined) return;
      stream.end();
      await finished(stream);
    },
  };
}
