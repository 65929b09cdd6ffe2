// One host process of the demo cluster. The demo command forks it and drives it over the IPC
// channel: start (open the store), go (register, create the secret, record runs), verify.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AdministeredStateConnector } from '@state-connector/core';
import { openStore } from '../open-store.js';
import {
  DEMO_OBJECT,
  LAST_RUN_STATE,
  type ParentMessage,
  type RunRecord,
  runsStateName,
  SECRET_STATE,
  type WorkerMessage,
} from './messages.js';
import { fingerprint, observe } from './observe.js';

let connector: AdministeredStateConnector | undefined;
let objectId = 0;
let start: Extract<ParentMessage, { type: 'start' }> | undefined;

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined) resolve();
    else process.send(message, () => resolve());
  });
}

async function finish(exitCode: number): Promise<void> {
  process.exitCode = exitCode;
  await connector?.close().catch(() => undefined);
  if (process.connected) process.disconnect();
}

async function runHost(startAt: number): Promise<WorkerMessage> {
  if (connector === undefined || start === undefined) throw new Error('go arrived before start');

  // Every process starts at the same clock time, so that their first calls collide.
  await sleep(Math.max(0, startAt - Date.now()));
  objectId = await connector.getObjectId(DEMO_OBJECT.name, DEMO_OBJECT.className);
  // Every process offers its own random secret; exactly one of them is stored.
  const offered = randomBytes(32).toString('base64url');
  const secret = await connector.atomicCreateState(objectId, SECRET_STATE, () => offered);

  const runs: RunRecord[] = [];
  for (let run = 1; run <= start.runs; run++) {
    const record = { host: start.host, session: start.session, run, at: new Date().toISOString() };
    runs.push(record);
    await connector.setState(objectId, runsStateName(start.host), runs);
    await connector.setState(objectId, LAST_RUN_STATE, record);
  }

  const result = {
    host: start.host,
    pid: process.pid,
    objectId,
    secretFingerprint: fingerprint(secret),
    createdSecret: secret === offered,
    runsRecorded: runs.length,
  };
  return { type: 'done', result };
}

async function handle(message: ParentMessage): Promise<void> {
  switch (message.type) {
    case 'start':
      start = message;
      connector = (await openStore(message.url)).connector;
      await connector.migrate();
      await send({ type: 'ready' });
      return;
    case 'go':
      await send(await runHost(message.startAt));
      return;
    case 'verify': {
      if (connector === undefined || start === undefined) throw new Error('verify before start');
      const seen = await observe(connector, objectId, start.session, message.hosts);
      const check = {
        secretFingerprintAfter: seen.secretFingerprint,
        runsVisible: seen.runsVisible,
        lastRun: seen.lastRun,
      };
      await send({ type: 'verified', check });
      await finish(0);
      return;
    }
  }
}

process.on('message', (message: ParentMessage) => {
  handle(message).catch(async (error: unknown) => {
    const code = (error as { code?: unknown }).code;
    await send({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      code: typeof code === 'string' ? code : 'UNEXPECTED',
    });
    await finish(1);
  });
});

// The demo command ended or died: stop instead of waiting for messages that cannot come.
process.on('disconnect', () => {
  void connector?.close().catch(() => undefined);
});
