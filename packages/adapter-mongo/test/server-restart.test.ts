import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { expect, it } from 'vitest';
import { hasFerretDb } from './ferretdb.js';
import { describeWithMongo, uniqueDatabase, withOption } from './mongo-server.js';

const WORKERS = 4;
/** Resolved writes to see before the crash and again after the restart. */
const WRITES_PER_PHASE = 40;
const DOWNTIME_MS = 1500;
const fixture = fileURLToPath(new URL('./fixtures/restart-load.mjs', import.meta.url));

interface LoadLine {
  kind: 'state' | 'object' | 'done';
  name?: string;
  resolved?: unknown;
  rejected?: string;
  retryable?: boolean;
  message?: string;
  after?: string;
  read?: string;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

// This test stops and starts the server, so it always runs on a FerretDB of its own, even
// when MONGODB_URL names another server.
const choice = hasFerretDb()
  ? ({ kind: 'ferretdb' } as const)
  : ({
      kind: 'none',
      reason:
        'the restart test needs its own FerretDB server; build it with tools/ferretdb/build.sh',
    } as const);

describeWithMongo(
  'mongo server restart',
  (server) => {
    it('keeps every resolved write across a crash', { timeout: 120_000 }, async () => {
      const ferretDb = server.ferretDb;
      if (ferretDb === undefined) throw new Error('this test needs its own FerretDB server');
      const database = uniqueDatabase('restart');
      // Calls fail after one second without a server instead of waiting 30 seconds.
      const url = withOption(ferretDb.url, 'serverSelectionTimeoutMS=1000');

      const child = spawn(process.execPath, [fixture, url, database, String(WORKERS)], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const lines: LoadLine[] = [];
      let buffered = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        const complete = buffered.split('\n');
        buffered = complete.pop() ?? '';
        for (const line of complete) lines.push(JSON.parse(line) as LoadLine);
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));

      const resolvedWrites = () =>
        lines.filter((line) => line.kind === 'state' && 'resolved' in line).length;
      try {
        await waitFor(() => resolvedWrites() >= WRITES_PER_PHASE, 'writes before the crash');
        await ferretDb.stop('SIGKILL');
        await sleep(DOWNTIME_MS);
        await ferretDb.start();
        const beforeRestart = resolvedWrites();
        await waitFor(
          () => resolvedWrites() >= beforeRestart + WRITES_PER_PHASE,
          'writes after the restart',
        );
      } finally {
        child.stdin.end();
      }

      expect(await exited, stderr).toBe(0);
      expect(stderr).toBe('');
      expect(lines.at(-1)).toEqual({ kind: 'done', after: 'ok', read: 'ok' });

      const rejections = lines.filter((line) => line.rejected !== undefined);
      expect(rejections.length).toBeGreaterThan(0);
      for (const line of rejections) {
        expect(line.rejected, line.message).toBe('BACKEND_FAILURE');
        expect(line.retryable, line.message).toBe(true);
      }

      const client = new MongoClient(ferretDb.url);
      try {
        const db = client.db(database);
        const state = await db.collection('object_state').find({}).toArray();
        const storedByName = new Map(state.map((doc) => [doc['name'], doc['value_json']]));
        for (const line of lines) {
          if (line.kind !== 'state' || !('resolved' in line)) continue;
          expect(storedByName.get(line.name), `state ${line.name}`).toBe(
            JSON.stringify(line.resolved),
          );
        }

        const objects = await db.collection('objects').find({}).toArray();
        const idByName = new Map(objects.map((doc) => [doc['name'], doc['id']]));
        expect(new Set(objects.map((doc) => doc['id'])).size).toBe(objects.length);
        expect(idByName.size).toBe(objects.length);
        for (const line of lines) {
          if (line.kind !== 'object' || !('resolved' in line)) continue;
          expect(idByName.get(line.name), `object ${line.name}`).toBe(line.resolved);
        }
        await db.dropDatabase();
      } finally {
        await client.close();
      }
    });
  },
  choice,
);
