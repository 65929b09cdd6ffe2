import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithMongo, uniqueDatabase } from './mongo-server.js';

const PROCESSES = 4;
const ROUNDS = 4;
const fixture = fileURLToPath(new URL('./fixtures/fresh-start.mjs', import.meta.url));

interface ProcessResult {
  objectId: number;
  shared: string;
  own: string;
  created: string;
}

interface RunningProcess {
  ready: Promise<void>;
  go(): void;
  result: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

function startProcess(url: string, database: string, label: string): RunningProcess {
  const child = spawn(process.execPath, [fixture, url, database, label], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    signalReady = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) signalReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const result = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once('exit', (code) => {
      signalReady();
      resolve({ code, stdout, stderr });
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), result };
}

describeWithMongo('mongo fresh database', (server) => {
  let client: MongoClient;
  const databases: string[] = [];

  beforeAll(async () => {
    client = new MongoClient(server.url);
    await client.connect();
  });

  afterAll(async () => {
    for (const name of databases) await client.db(name).dropDatabase();
    await client.close();
  });

  it('survives processes starting together', { timeout: 120_000 }, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const database = uniqueDatabase(`fresh${round}`);
      databases.push(database);
      const labels = Array.from({ length: PROCESSES }, (_, index) => `p${index}`);

      const processes = labels.map((label) => startProcess(server.url, database, label));
      await Promise.all(processes.map((each) => each.ready));
      for (const each of processes) each.go();
      const outcomes = await Promise.all(processes.map((each) => each.result));

      const results: ProcessResult[] = [];
      for (const [index, outcome] of outcomes.entries()) {
        expect(outcome.stderr, `process ${index} of round ${round}`).toBe('');
        expect(outcome.code, `process ${index} of round ${round}`).toBe(0);
        const last = outcome.stdout.trim().split('\n').at(-1) ?? '';
        results.push(JSON.parse(last) as ProcessResult);
      }

      const db = client.db(database);
      const objects = await db.collection('objects').find({}).toArray();
      expect(objects).toHaveLength(1);
      const objectId = objects[0]?.['id'];
      const state = await db.collection('object_state').find({}).toArray();
      // One `shared`, one `created` and one `own-*` per process.
      expect(state).toHaveLength(PROCESSES + 2);

      const stored = (name: string) =>
        JSON.parse(state.find((document) => document['name'] === name)?.['value_json']);
      for (const [index, result] of results.entries()) {
        expect(result.objectId).toBe(objectId);
        expect(result.own).toBe(labels[index]);
        expect(stored(`own-${labels[index]}`)).toBe(labels[index]);
        expect(result.created).toBe(stored('created'));
        expect(labels).toContain(result.shared);
      }
      expect(labels).toContain(stored('shared'));

      // A process that lost the race to create `shared` resolved with another process's
      // value and must not have overwritten it: the stored value and every result are
      // values of processes whose own write took effect.
      const tookEffect = labels.filter((label, index) => results[index]?.shared === label);
      expect(tookEffect.length).toBeGreaterThan(0);
      expect(tookEffect).toContain(stored('shared'));
      for (const result of results) expect(tookEffect).toContain(result.shared);

      for (const [name, expected] of [
        ['objects', ['_id_', 'object_id', 'object_identity']],
        ['object_state', ['_id_', 'name_per_object']],
      ] as const) {
        const indexes = await db.collection(name).listIndexes().toArray();
        expect(indexes.map((index) => index['name']).sort()).toEqual(expected);
      }
    }
  });
});
