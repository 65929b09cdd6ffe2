import { createMongoStateConnector } from '@state-connector/adapter-mongo';
import { type AnyBulkWriteOperation, type Db, MongoClient } from 'mongodb';
import { type Backend, type BackendRun, elapsedMs, type Log } from '../backend.js';
import { roundTrips } from '../round-trips.js';
import {
  CLASS_NAME,
  type Dataset,
  datasetOf,
  KEYV_NAMESPACE,
  NEW_NAMES_OBJECT,
  newNamesObjectId,
  objectName,
  ourSubject,
  stateValue,
} from '../subject.js';
import { openMongoKeyv } from './keyv.js';
import { rawMongoSubject } from './raw.js';
import { type MongoServer, startFerretDb } from './server.js';

const DATABASE = 'state_connector_bench';
const BATCH_SIZE = 5_000;

/**
 * Largest collection measured on FerretDB. FerretDB 1.24's SQLite handler serves a filter on
 * `objectid` and `name` by reading the whole collection: getState took 12 ms at 1,000
 * documents and 110 ms at 10,000 here, so larger sizes only measure that scan, minutes long.
 */
const FERRETDB_MAX_ROWS = 1000;

const ferretDbNotes = [
  'FerretDB 1.24 (SQLite handler) reads the whole collection for each query, and an ' +
    `operation's cost grows with it; tables stop at ${FERRETDB_MAX_ROWS} rows. ` +
    'Set MONGODB_URL to measure MongoDB itself.',
  'keyv: @keyv/mongo cannot start on FerretDB 1.24, which rejects its TTL index ("Index ' +
    'option "expireAfterSeconds" is not implemented yet"); the index is created without ' +
    'expiry instead.',
];

/** Time the prefill may take; past it, the table keeps the objects filled so far. */
const PREFILL_BUDGET_MS = 60_000;

function countCommands(client: MongoClient): MongoClient {
  client.on('commandStarted', () => {
    roundTrips.count++;
  });
  return client;
}

function monitoredClient(url: string): MongoClient {
  return countCommands(new MongoClient(url, { monitorCommands: true }));
}

type KeyvDocument = { key: string; value: string; expiresAt: null };

/**
 * Inserts whole objects (all their names) with insertMany until the dataset is full or the
 * budget is spent, and returns the dataset that was filled.
 */
async function prefill(db: Db, dataset: Dataset, log: Log): Promise<Dataset> {
  const started = performance.now();
  const objects = db.collection('objects');
  const state = db.collection('object_state');
  const keyv = db.collection<KeyvDocument>('keyv');

  let filled = 0;
  let pendingState: object[] = [];
  let pendingKeyv: KeyvDocument[] = [];
  const flush = async () => {
    if (pendingState.length === 0) return;
    await state.insertMany(pendingState, { ordered: false });
    await keyv.insertMany(pendingKeyv, { ordered: false });
    pendingState = [];
    pendingKeyv = [];
  };

  for (let objectId = 1; objectId <= dataset.objects; objectId++) {
    if (elapsedMs(started) > PREFILL_BUDGET_MS) {
      log(`mongo: prefill budget of ${PREFILL_BUDGET_MS / 1000} s spent after ${filled} objects`);
      break;
    }
    for (let index = 0; index < dataset.namesPerObject; index++) {
      const n = (objectId - 1) * dataset.namesPerObject + index;
      const name = `state-${index}`;
      const text = JSON.stringify(stateValue(n));
      pendingState.push({ objectid: objectId, name, value_json: text });
      pendingKeyv.push({
        key: `${KEYV_NAMESPACE}:${objectId}/${name}`,
        value: `{"value":${text}}`,
        expiresAt: null,
      });
      if (pendingState.length >= BATCH_SIZE) await flush();
    }
    filled = objectId;
  }
  await flush();

  const filledDataset = { objects: filled, namesPerObject: dataset.namesPerObject };
  const objectDocuments: AnyBulkWriteOperation[] = [];
  const keyvObjects: KeyvDocument[] = [];
  for (let id = 1; id <= filled; id++) {
    objectDocuments.push({
      insertOne: { document: { id, name: objectName(id), class_name: CLASS_NAME } },
    });
    keyvObjects.push({
      key: `${KEYV_NAMESPACE}:object/${CLASS_NAME}/${objectName(id)}`,
      value: `{"value":${id}}`,
      expiresAt: null,
    });
  }
  // The new names go to one more object, right after the filled ones.
  const filledNewId = newNamesObjectId(filledDataset);
  objectDocuments.push({
    insertOne: { document: { id: filledNewId, name: NEW_NAMES_OBJECT, class_name: CLASS_NAME } },
  });
  await objects.bulkWrite(objectDocuments, { ordered: false });
  await keyv.insertMany(keyvObjects, { ordered: false });
  await db.collection('counters').insertOne({ _id: 'objects.id' as never, seq: filledNewId });
  return filledDataset;
}

/** Connects to the MongoDB server at MONGODB_URL, or starts FerretDB from tools/ferretdb. */
export function mongoBackend(): Backend {
  let server: MongoServer | undefined;

  return {
    name: 'mongo',

    maxRows() {
      return server?.source === 'FerretDB' ? FERRETDB_MAX_ROWS : undefined;
    },

    async check(log: Log) {
      const given = process.env['MONGODB_URL'];
      if (given !== undefined) {
        server = { url: given, source: 'MONGODB_URL', stop() {} };
      } else {
        const started = await startFerretDb(log);
        if (typeof started === 'string') return started;
        server = started;
      }
      const client = new MongoClient(server.url, { serverSelectionTimeoutMS: 3000 });
      try {
        await client.db('admin').command({ ping: 1 });
        log(`mongo: using ${server.source}`);
        return undefined;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return `no MongoDB server answered at ${server.source} (${reason}); set MONGODB_URL`;
      } finally {
        await client.close();
      }
    },

    async open(rows: number, log: Log): Promise<BackendRun> {
      if (server === undefined) throw new Error('mongo: check() did not find a server.');
      const { url } = server;
      const isFerretDb = server.source === 'FerretDB';
      const asked = datasetOf(rows);
      const admin = new MongoClient(url);
      const db = admin.db(DATABASE);
      await db.dropDatabase();

      const started = performance.now();
      const client = monitoredClient(url);
      const connector = createMongoStateConnector({ client, database: DATABASE });
      await connector.migrate();
      const dataset = await prefill(db, asked, log);
      const filledRows = dataset.objects * dataset.namesPerObject;
      const prefillMs = elapsedMs(started);
      log(`mongo: prefilled ${filledRows} rows in ${(prefillMs / 1000).toFixed(1)} s`);

      // The synchronous variants need a connector that a worker thread can rebuild from a URL.
      const syncConnector = createMongoStateConnector({ url, database: DATABASE });
      const rawClient = monitoredClient(url);
      const keyv = await openMongoKeyv(url, DATABASE, isFerretDb, countCommands);
      const newId = newNamesObjectId(dataset);

      return {
        rows: filledRows,
        prefillMs,
        subjects: [
          rawMongoSubject(rawClient.db(DATABASE)),
          ourSubject(connector, syncConnector),
          keyv.subject,
        ],
        notes: isFerretDb ? ferretDbNotes : [],
        missing: {},
        async removeNewRows() {
          await db.collection('object_state').deleteMany({ objectid: newId });
          await db
            .collection('keyv')
            .deleteMany({ key: { $regex: `^${KEYV_NAMESPACE}:${newId}/` } });
        },
        async close() {
          await connector.close();
          await syncConnector.close();
          await keyv.close();
          await client.close();
          await rawClient.close();
          await db.dropDatabase();
          await admin.close();
        },
      };
    },

    async shutdown() {
      server?.stop();
    },
  };
}
