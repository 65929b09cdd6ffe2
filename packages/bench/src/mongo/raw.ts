import { type Db, MongoServerError } from 'mongodb';
import type { Subject } from '../subject.js';

interface StateDocument {
  objectid: number;
  name: string;
  value_json: string;
}

interface ObjectDocument {
  id: number;
  name: string;
  class_name: string;
}

const valueOnly = { projection: { _id: 0, value_json: 1 } };

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/**
 * Sends the MongoDB adapter's commands through the mongodb driver with no library around
 * them: `findOne` to read, `updateOne` to overwrite, and `insertOne` with a duplicate-key
 * re-read to create. Like the adapter, it checks each object id with `findOne` once and keeps
 * a `Map` in front of the object-id lookup. Values are JSON text, as the adapter stores them.
 */
export function rawMongoSubject(db: Db): Subject {
  const state = db.collection<StateDocument>('object_state');
  const objects = db.collection<ObjectDocument>('objects');
  const objectIds = new Map<string, number>();
  const knownObjects = new Set<number>();

  const objectExists = async (objectId: number): Promise<boolean> => {
    if (knownObjects.has(objectId)) return true;
    const found = await objects.findOne({ id: objectId }, { projection: { _id: 0, id: 1 } });
    if (found !== null) knownObjects.add(objectId);
    return found !== null;
  };

  const insertOrRead = async (objectId: number, name: string, text: string) => {
    if (!(await objectExists(objectId))) {
      throw new Error(`raw: object ${objectId} does not exist.`);
    }
    try {
      await state.insertOne({ objectid: objectId, name, value_json: text });
      return JSON.parse(text);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const winner = await state.findOne({ objectid: objectId, name }, valueOnly);
      return JSON.parse(String(winner?.value_json));
    }
  };

  return {
    kind: 'raw',
    async getState(objectId, name) {
      const found = await state.findOne({ objectid: objectId, name }, valueOnly);
      return found === null ? undefined : JSON.parse(found.value_json);
    },
    async setState(objectId, name, value) {
      const text = JSON.stringify(value);
      const updated = await state.updateOne(
        { objectid: objectId, name },
        { $set: { value_json: text } },
      );
      if (updated.matchedCount > 0) return JSON.parse(text);
      return insertOrRead(objectId, name, text);
    },
    async atomicCreateState(objectId, name, value) {
      const found = await state.findOne({ objectid: objectId, name }, valueOnly);
      if (found !== null) return JSON.parse(found.value_json);
      return insertOrRead(objectId, name, JSON.stringify(value));
    },
    getObjectId(name, className) {
      const key = `${name}\u0000${className}`;
      const cached = objectIds.get(key);
      if (cached !== undefined) return cached;
      return objects
        .findOne({ name, class_name: className }, { projection: { _id: 0, id: 1 } })
        .then((found) => {
          if (found === null) throw new Error(`raw: object ${name} does not exist.`);
          objectIds.set(key, found.id);
          return found.id;
        });
    },
  };
}
