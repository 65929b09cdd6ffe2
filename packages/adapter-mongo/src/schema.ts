import { type Collection, type Db, type IndexDescriptionInfo, MongoServerError } from 'mongodb';
import { isDuplicateKey, MongoStorageError } from './errors.js';

/** A document of `objects`: one object identity and its integer id. */
export interface ObjectDocument {
  id: number;
  name: string;
  class_name: string;
}

/**
 * A document of `object_state`: one value per object and state name. The state name is a
 * field value, never a field name, so names such as `a.b`, `$set` or `__proto__` are stored
 * as they are and match only themselves.
 */
export interface StateDocument {
  objectid: number;
  name: string;
  /** The value as JSON text, so key order, spacing and number text survive exactly. */
  value_json: string;
}

/** A document of `counters`: the last object id handed out. */
export interface CounterDocument {
  _id: string;
  seq: number;
}

/** The collections of one store. */
export interface Collections {
  objects: Collection<ObjectDocument>;
  state: Collection<StateDocument>;
  counters: Collection<CounterDocument>;
}

/** Opens the collections of a store in `db`. */
export function openCollections(db: Db): Collections {
  return {
    objects: db.collection<ObjectDocument>('objects'),
    state: db.collection<StateDocument>('object_state'),
    counters: db.collection<CounterDocument>('counters'),
  };
}

interface UniqueIndex {
  collection: keyof Collections;
  name: string;
  key: Record<string, 1>;
}

/** The unique indexes that every identity relies on, with the SQL adapters' index names. */
export const uniqueIndexes: readonly UniqueIndex[] = [
  { collection: 'objects', name: 'object_identity', key: { name: 1, class_name: 1 } },
  { collection: 'objects', name: 'object_id', key: { id: 1 } },
  { collection: 'state', name: 'name_per_object', key: { objectid: 1, name: 1 } },
];

function sameKey(actual: Record<string, unknown>, expected: Record<string, 1>): boolean {
  const actualEntries = Object.entries(actual);
  const expectedEntries = Object.entries(expected);
  if (actualEntries.length !== expectedEntries.length) return false;
  return expectedEntries.every(([field, order], position) => {
    const entry = actualEntries[position];
    return entry !== undefined && entry[0] === field && Number(entry[1]) === order;
  });
}

function describeIndex(index: UniqueIndex): string {
  return `index ${index.name} on ${index.collection === 'state' ? 'object_state' : index.collection}`;
}

// Server codes that reject one index build: CannotCreateIndex, and IndexOptionsConflict or
// IndexKeySpecsConflict when an index of the same name or key has other options.
const indexBuildCodes = new Set([67, 85, 86]);

/**
 * Tells whether an index build failed because the collection contains documents with equal
 * keys. MongoDB reports code 11000. FerretDB 1.24.2 on SQLite reports an InternalError
 * (code 1) that quotes SQLite's "UNIQUE constraint failed".
 */
function isDuplicateKeyBuild(error: unknown): boolean {
  if (isDuplicateKey(error)) return true;
  return (
    error instanceof MongoServerError &&
    error.code === 1 &&
    error.message.includes('UNIQUE constraint failed')
  );
}

/**
 * Explains an index build failure that concerns the index itself, or returns `undefined`
 * for any other error (authentication, connection, an invalid database name), which is
 * then reported for what it is.
 */
function describeBuildFailure(index: UniqueIndex, error: unknown): string | undefined {
  const where = describeIndex(index);
  if (isDuplicateKeyBuild(error)) {
    return (
      `unique ${where} could not be built because the collection holds duplicate documents ` +
      `for ${Object.keys(index.key).join(', ')}; remove the duplicates`
    );
  }
  if (error instanceof MongoServerError && indexBuildCodes.has(Number(error.code))) {
    return (
      `unique ${where} could not be built because the server rejected it with server error ` +
      `${String(error.codeName)}, code ${String(error.code)}, so drop any other index of ` +
      'that name or key'
    );
  }
  return undefined;
}

function checkIndex(index: UniqueIndex, existing: IndexDescriptionInfo[]): void {
  const found = existing.find((candidate) => candidate.name === index.name);
  const where = describeIndex(index);
  if (found === undefined) {
    throw new MongoStorageError(`${where} is missing after createIndex; check the server`);
  }
  if (found.unique !== true || !sameKey(found.key, index.key)) {
    throw new MongoStorageError(
      `${where} exists but is not the unique index on ${Object.keys(index.key).join(', ')}; ` +
        'drop it so that it can be created again',
    );
  }
}

/**
 * Creates the unique indexes and checks that each one exists and is unique. Every write
 * waits for this, so no document is inserted before its index enforces uniqueness.
 *
 * Each index has its own `createIndex` command: FerretDB 1.24.2 crashes the command when one
 * `createIndexes` call lists several indexes that all exist already. Creating an existing
 * identical index is a no-op on MongoDB and FerretDB alike, so processes that start together
 * on a fresh database do not conflict. FerretDB also accepts a same-named index without
 * `unique` as identical, hence the check with `listIndexes` afterwards.
 */
export async function createIndexes(collections: Collections): Promise<void> {
  for (const index of uniqueIndexes) {
    try {
      await collections[index.collection].createIndex(index.key, {
        name: index.name,
        unique: true,
      });
    } catch (error) {
      const failure = describeBuildFailure(index, error);
      if (failure === undefined) throw error;
      throw new MongoStorageError(failure, { cause: error });
    }
  }

  for (const name of ['objects', 'state'] as const) {
    const existing = await collections[name].listIndexes().toArray();
    for (const index of uniqueIndexes) {
      if (index.collection === name) checkIndex(index, existing as IndexDescriptionInfo[]);
    }
  }
}
