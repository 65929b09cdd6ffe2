import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StateConnector } from '@state-connector/core';
import { type CommandStartedEvent, MongoClient } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMongoStateConnector } from '../dist/index.js';
import { describeWithMongo, uniqueDatabase } from './mongo-server.js';

const fixture = fileURLToPath(new URL('./fixtures/write-state.mjs', import.meta.url));

/** A change that another process makes just before the connector sends `before`. */
interface Interference {
  before: 'insert' | 'find';
  action: 'insert' | 'update' | 'delete';
  valueJson?: string;
}

interface Interleaving {
  title: string;
  interferences: Interference[];
  /** Value that setState(objectId, 'raced', 'loser') must resolve with. */
  resolved: string;
  /** Commands on object_state that the call must send, in order. */
  commands: string[];
}

// Each case loses the create race on purpose: another process inserts the state document
// after the connector's update matched nothing and before its insert reaches the server.
const interleavings: Interleaving[] = [
  {
    title: 'resolves with the winner',
    interferences: [{ before: 'insert', action: 'insert', valueJson: '"winner"' }],
    resolved: 'winner',
    commands: ['update', 'insert', 'find'],
  },
  {
    title: 'resolves with a later overwrite',
    interferences: [
      { before: 'insert', action: 'insert', valueJson: '"winner"' },
      { before: 'find', action: 'update', valueJson: '"later"' },
    ],
    resolved: 'later',
    commands: ['update', 'insert', 'find'],
  },
  {
    title: 'inserts again after a delete',
    interferences: [
      { before: 'insert', action: 'insert', valueJson: '"winner"' },
      { before: 'find', action: 'delete' },
    ],
    resolved: 'loser',
    commands: ['update', 'insert', 'find', 'update', 'insert'],
  },
];

describeWithMongo('mongo create race', (server) => {
  let admin: MongoClient;
  const databases: string[] = [];

  beforeAll(async () => {
    admin = new MongoClient(server.url);
    await admin.connect();
  });

  afterAll(async () => {
    for (const name of databases) await admin.db(name).dropDatabase();
    await admin.close();
  });

  for (const interleaving of interleavings) {
    it(`lost setState insert ${interleaving.title}`, async () => {
      const database = uniqueDatabase('create_race');
      databases.push(database);
      const monitored = new MongoClient(server.url, { monitorCommands: true });
      let connector: StateConnector | undefined;
      try {
        connector = createMongoStateConnector({ client: monitored, database });
        const objectId = await connector.getObjectId('race', 'MongoTest');

        const pending = [...interleaving.interferences];
        const commands: string[] = [];
        const failures: string[] = [];
        monitored.on('commandStarted', (event: CommandStartedEvent) => {
          if (event.databaseName !== database) return;
          if (event.command[event.commandName] !== 'object_state') return;
          commands.push(event.commandName);
          const next = pending[0];
          if (next === undefined || next.before !== event.commandName) return;
          pending.shift();

          // The listener runs before the driver writes the command to its socket, so
          // blocking here puts the other process's change between two commands.
          const args = [fixture, server.url, database, String(objectId), 'raced', next.action];
          if (next.valueJson !== undefined) args.push(next.valueJson);
          const child = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
          if (child.status !== 0) failures.push(`${next.action}: ${child.stderr}`);
        });

        const resolved = await connector.setState(objectId, 'raced', 'loser');

        expect(failures).toEqual([]);
        expect(pending).toEqual([]);
        expect(commands).toEqual(interleaving.commands);
        expect(resolved).toBe(interleaving.resolved);
        const stored = await admin
          .db(database)
          .collection('object_state')
          .find({ objectid: objectId, name: 'raced' })
          .toArray();
        expect(stored).toHaveLength(1);
        expect(stored[0]?.['value_json']).toBe(JSON.stringify(interleaving.resolved));
      } finally {
        await connector?.close();
        await monitored.close();
      }
    });
  }
});
