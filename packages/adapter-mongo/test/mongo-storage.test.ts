import {
  BackendError,
  ObjectNotFoundError,
  type StateConnector,
  StateJsonError,
  SyncUnavailableError,
} from '@state-connector/core';
import { type CommandStartedEvent, type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMongoStateConnector } from '../dist/index.js';
import { describeWithMongo, uniqueDatabase, withDatabase } from './mongo-server.js';

const UNKNOWN_OBJECT_ID = 2 ** 31 + 7;

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected the call to reject, but it resolved');
}

describeWithMongo('mongo adapter', (server) => {
  let client: MongoClient;
  const databases: string[] = [];
  const connectors: StateConnector[] = [];

  beforeAll(async () => {
    client = new MongoClient(server.url);
    await client.connect();
  });

  afterAll(async () => {
    await Promise.allSettled(connectors.map((connector) => connector.close()));
    for (const name of databases) await client.db(name).dropDatabase();
    await client.close();
  });

  function open(options: { database?: string; client?: MongoClient } = {}) {
    const database = options.database ?? uniqueDatabase('adapter');
    databases.push(database);
    const connector =
      options.client === undefined
        ? createMongoStateConnector({ url: server.url, database })
        : createMongoStateConnector({ client: options.client, database });
    connectors.push(connector);
    return { connector, db: client.db(database), database };
  }

  it('creates the unique indexes on migrate', async () => {
    const { connector, db } = open();
    await connector.migrate();

    const objects = await db.collection('objects').listIndexes().toArray();
    const state = await db.collection('object_state').listIndexes().toArray();
    const identity = objects.find((index) => index['name'] === 'object_identity');
    const id = objects.find((index) => index['name'] === 'object_id');
    const perObject = state.find((index) => index['name'] === 'name_per_object');
    expect(identity?.['key']).toEqual({ name: 1, class_name: 1 });
    expect(identity?.['unique']).toBe(true);
    expect(id?.['key']).toEqual({ id: 1 });
    expect(id?.['unique']).toBe(true);
    expect(perObject?.['key']).toEqual({ objectid: 1, name: 1 });
    expect(perObject?.['unique']).toBe(true);
  });

  it('stores state names as field values', async () => {
    const { connector, db } = open();
    const objectId = await connector.getObjectId('names', 'MongoTest');
    const names = ['a.b', '$set', '__proto__', '{"$gt": ""}', '$where', 'constructor'];
    for (const [index, name] of names.entries()) {
      await connector.setState(objectId, name, { index });
    }

    const documents = await db
      .collection('object_state')
      .find({}, { projection: { _id: 0 } })
      .toArray();
    expect(documents).toHaveLength(names.length);
    for (const [index, name] of names.entries()) {
      const document = documents.find((candidate) => candidate['name'] === name);
      expect(document).toEqual({ objectid: objectId, name, value_json: `{"index":${index}}` });
    }
    for (const [index, name] of names.entries()) {
      expect(await connector.getState(objectId, name)).toEqual({ index });
    }
  });

  it('matches an operator-like name literally', async () => {
    const { connector } = open();
    const objectId = await connector.getObjectId('operators', 'MongoTest');
    await connector.setState(objectId, 'plain', 1);

    expect(await connector.getState(objectId, '{"$gt": ""}', 'missing')).toBe('missing');
    expect(await connector.getState(objectId, '$gt', 'missing')).toBe('missing');
    expect(await connector.deleteState(objectId, '{"$ne": null}')).toBe(false);
    expect(await connector.getState(objectId, 'plain')).toBe(1);
  });

  it('keeps ids unique when the counter falls behind', async () => {
    const { connector, db } = open();
    const first = await Promise.all(
      ['a', 'b', 'c'].map((name) => connector.getObjectId(name, 'MongoTest')),
    );
    // What a lost `$inc` does on FerretDB, in its worst form: the counter goes back to 0.
    await db.collection('counters').updateMany({}, { $set: { seq: 0 } });
    const second = await Promise.all(
      ['d', 'e', 'f', 'g'].map((name) => connector.getObjectId(name, 'MongoTest')),
    );
    await db.collection('counters').deleteMany({});
    const third = await connector.getObjectId('h', 'MongoTest');

    const ids = [...first, ...second, third];
    expect(new Set(ids).size).toBe(ids.length);
    const stored = await db.collection('objects').find({}).toArray();
    expect(stored).toHaveLength(ids.length);
    expect(new Set(stored.map((document) => document['id'])).size).toBe(ids.length);
  });

  it('hands out ids past an imported id', async () => {
    const { connector } = open();
    const admin = connector as ReturnType<typeof createMongoStateConnector>;
    expect(await admin.importObject({ id: 50, name: 'imported', className: 'MongoTest' })).toBe(50);
    const created = await connector.getObjectId('created', 'MongoTest');
    expect(created).toBeGreaterThan(50);
    expect(await admin.importObject({ id: 60, name: 'imported', className: 'MongoTest' })).toBe(50);
    const conflict = await rejection(
      admin.importObject({ id: 50, name: 'other', className: 'MongoTest' }),
    );
    expect(conflict).toBeInstanceOf(BackendError);
    expect(conflict.message).toContain('object id 50 is already used');
  });

  it('writes nothing for an unknown object id', async () => {
    const { connector, db } = open();
    await connector.getObjectId('known', 'MongoTest');

    const set = await rejection(connector.setState(UNKNOWN_OBJECT_ID, 'name', 1));
    expect(set).toBeInstanceOf(ObjectNotFoundError);
    const created = await rejection(
      connector.atomicCreateState(UNKNOWN_OBJECT_ID, 'name', () => 1),
    );
    expect(created).toBeInstanceOf(ObjectNotFoundError);
    expect(await db.collection('object_state').countDocuments()).toBe(0);
    expect(await db.collection('objects').countDocuments()).toBe(1);
  });

  it('reports a non-string value_json as corrupt', async () => {
    const { connector, db } = open();
    const objectId = await connector.getObjectId('corrupt', 'MongoTest');
    await db.collection('object_state').insertOne({ objectid: objectId, name: 'n', value_json: 5 });

    expect(await rejection(connector.getState(objectId, 'n'))).toBeInstanceOf(StateJsonError);
    expect(await rejection(connector.getState(objectId, 'n', null))).toBeInstanceOf(StateJsonError);
  });

  it('costs one command per call in the steady state', async () => {
    const database = uniqueDatabase('commands');
    const commands: string[] = [];
    const monitored = new MongoClient(server.url, { monitorCommands: true });
    monitored.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.databaseName === database) commands.push(event.commandName);
    });
    try {
      const { connector } = open({ client: monitored, database });
      const objectId = await connector.getObjectId('steady', 'MongoTest');
      await connector.setState(objectId, 'name', 1);

      const count = async (call: () => Promise<unknown>) => {
        commands.length = 0;
        await call();
        return [...commands];
      };
      expect(await count(() => connector.getObjectId('steady', 'MongoTest'))).toEqual([]);
      expect(await count(() => connector.getState(objectId, 'name'))).toEqual(['find']);
      expect(await count(() => connector.setState(objectId, 'name', 2))).toEqual(['update']);
      expect(await count(() => connector.deleteState(objectId, 'name'))).toEqual(['delete']);
      // A new name costs the failed update and the insert; the object is known already.
      expect(await count(() => connector.setState(objectId, 'other', 3))).toEqual([
        'update',
        'insert',
      ]);
      await connector.close();
    } finally {
      await monitored.close();
    }
  });

  it('leaves a caller client open', async () => {
    const own = new MongoClient(server.url);
    try {
      const { connector, db } = open({ client: own });
      const objectId = await connector.getObjectId('own-client', 'MongoTest');
      await connector.close();

      const found = await own.db(db.databaseName).collection('objects').findOne({ id: objectId });
      expect(found?.['name']).toBe('own-client');
    } finally {
      await own.close();
    }
  });

  it('rejects sync calls on a caller client', async () => {
    const own = new MongoClient(server.url);
    try {
      const { connector } = open({ client: own });
      expect(() => connector.getObjectIdSync('sync', 'MongoTest')).toThrow(SyncUnavailableError);
      expect(() => connector.getObjectIdSync('sync', 'MongoTest')).toThrow(/pass `url`/);
    } finally {
      await own.close();
    }
  });

  it('runs sync calls on a URL connector', () => {
    const { connector } = open();
    const objectId = connector.getObjectIdSync('sync', 'MongoTest');
    expect(connector.setStateSync(objectId, 'name', { a: 1 })).toEqual({ a: 1 });
    expect(connector.getStateSync(objectId, 'name')).toEqual({ a: 1 });
    expect(connector.getObjectIdSync('sync', 'MongoTest')).toBe(objectId);
  });

  it('uses the database named in the URL', async () => {
    const database = uniqueDatabase('from_url');
    databases.push(database);
    const connector = createMongoStateConnector({ url: withDatabase(server.url, database) });
    connectors.push(connector);
    const objectId = await connector.getObjectId('in-url', 'MongoTest');

    const found = await client.db(database).collection('objects').findOne({ id: objectId });
    expect(found?.['name']).toBe('in-url');
  });

  describe('start-up', () => {
    async function prepared(prepare: (db: Db) => Promise<unknown>) {
      const opened = open();
      await prepare(opened.db);
      return opened;
    }

    it('fails on a non-unique index', async () => {
      const { connector } = await prepared((db) =>
        db.collection('objects').createIndex({ id: 1 }, { name: 'object_id' }),
      );
      const error = await rejection(connector.getObjectId('a', 'MongoTest'));
      expect(error).toBeInstanceOf(BackendError);
      // FerretDB accepts the createIndex and the check finds the index not unique; MongoDB
      // rejects the createIndex with an options conflict.
      expect(error.message).toMatch(/index object_id .*(not the unique index|could not be built)/);
    });

    it('fails on duplicate identities', async () => {
      const { connector } = await prepared((db) =>
        db.collection('objects').insertMany([
          { id: 1, name: 'twice', class_name: 'MongoTest' },
          { id: 2, name: 'twice', class_name: 'MongoTest' },
        ]),
      );
      const error = await rejection(connector.getObjectId('a', 'MongoTest'));
      expect(error).toBeInstanceOf(BackendError);
      expect((error as BackendError).retryable).toBe(false);
      expect(error.message).toContain(
        'unique index object_identity on objects could not be built because the collection ' +
          'holds duplicate documents for name, class_name',
      );
    });
  });
});
