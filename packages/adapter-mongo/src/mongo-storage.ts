import {
  type BackendFailure,
  type ObjectRecord,
  StateJsonError,
  type StateStorage,
  type StorageContext,
} from '@state-connector/core';
import type { MongoClient } from 'mongodb';
import { classifyMongoError, isDuplicateKey, MongoStorageError } from './errors.js';
import { KnownObjects } from './known-objects.js';
import { ObjectIds } from './object-ids.js';
import { type Collections, createIndexes, openCollections } from './schema.js';

/** Settings of {@link MongoStorage}. */
export interface MongoStorageSettings {
  client: MongoClient;
  /** True when the storage opened the client and must close it. */
  ownsClient: boolean;
  database: string;
}

/**
 * Attempts of an update-or-insert loop. A retry happens only when a concurrent `deleteState`
 * removes the value between this writer's two steps.
 */
const MAX_WRITE_ATTEMPTS = 10;

const valueOnly = { projection: { _id: 0, value_json: 1 } };

function storedText(value: unknown, objectId: number, name: string): string {
  if (typeof value === 'string') return value;
  // Only another program can store a non-string here; it is a corrupt value, not a missing one.
  throw new StateJsonError(
    `Stored value of state ${JSON.stringify(name)} of object ${objectId} is not JSON text: ` +
      `its value_json field holds ${value === null ? 'null' : typeof value}. ` +
      'Overwrite it with setState.',
  );
}

/**
 * The storage primitives on one MongoDB database, without transactions: every identity has a
 * unique index, so an insert that loses a race fails with a duplicate-key error, and the
 * loser then reads the winner's document and never overwrites it.
 */
export class MongoStorage implements StateStorage {
  readonly backend = 'mongo';
  readonly #client: MongoClient;
  readonly #ownsClient: boolean;
  readonly #collections: Collections;
  readonly #objectIds: ObjectIds;
  readonly #knownObjects = new KnownObjects();

  constructor(settings: MongoStorageSettings, context: StorageContext) {
    this.#client = settings.client;
    this.#ownsClient = settings.ownsClient;
    this.#collections = openCollections(settings.client.db(settings.database));
    this.#objectIds = new ObjectIds(this.#collections, context, this.backend);
  }

  migrate(): Promise<void> {
    return createIndexes(this.#collections);
  }

  async getOrCreateObjectId(name: string, className: string): Promise<number> {
    const id = await this.#objectIds.getOrCreate(name, className);
    this.#knownObjects.add(id);
    return id;
  }

  async readState(objectId: number, name: string): Promise<string | undefined> {
    const found = await this.#collections.state.findOne({ objectid: objectId, name }, valueOnly);
    return found === null ? undefined : storedText(found.value_json, objectId, name);
  }

  async objectExists(objectId: number): Promise<boolean> {
    if (this.#knownObjects.has(objectId)) return true;

    const found = await this.#collections.objects.findOne(
      { id: objectId },
      { projection: { _id: 0, id: 1 } },
    );
    if (found === null) return false;
    this.#knownObjects.add(objectId);
    return true;
  }

  async writeState(objectId: number, name: string, text: string): Promise<string | undefined> {
    for (let attempt = 1; ; attempt++) {
      // The steady state: the name has a value, so one update is the whole call. A state
      // document exists only for an existing object, so a match also proves the object.
      const updated = await this.#collections.state.updateOne(
        { objectid: objectId, name },
        { $set: { value_json: text } },
      );
      if (updated.matchedCount > 0) return text;

      if (!(await this.objectExists(objectId))) return undefined;
      const stored = await this.#insertOrReadWinner(objectId, name, text);
      if (stored !== undefined) return stored;
      this.#checkAttempts(attempt, objectId, name);
    }
  }

  async createState(objectId: number, name: string, text: string): Promise<string | undefined> {
    for (let attempt = 1; ; attempt++) {
      if (!(await this.objectExists(objectId))) return undefined;
      const stored = await this.#insertOrReadWinner(objectId, name, text);
      if (stored !== undefined) return stored;
      this.#checkAttempts(attempt, objectId, name);
    }
  }

  /**
   * Inserts the value and returns it. If another writer created the name first, its value
   * wins and is not overwritten: returns the value stored now (the winner's, or a later
   * overwrite of it), or `undefined` if a concurrent delete removed it in between.
   */
  async #insertOrReadWinner(objectId: number, name: string, text: string) {
    try {
      await this.#collections.state.insertOne({ objectid: objectId, name, value_json: text });
      return text;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return this.readState(objectId, name);
  }

  #checkAttempts(attempt: number, objectId: number, name: string): void {
    if (attempt < MAX_WRITE_ATTEMPTS) return;
    throw new MongoStorageError(
      `state ${JSON.stringify(name)} of object ${objectId} was deleted ${attempt} times ` +
        'between a failed insert and its re-read',
      { retryable: true },
    );
  }

  async deleteState(objectId: number, name: string): Promise<boolean> {
    const result = await this.#collections.state.deleteOne({ objectid: objectId, name });
    return result.deletedCount > 0;
  }

  async listState(objectId: number): Promise<Array<[string, string]>> {
    const documents = await this.#collections.state
      .find({ objectid: objectId }, { projection: { _id: 0, name: 1, value_json: 1 } })
      .sort({ name: 1 })
      .toArray();
    return documents.map((document) => [
      document.name,
      storedText(document.value_json, objectId, document.name),
    ]);
  }

  async listObjects(): Promise<ObjectRecord[]> {
    const documents = await this.#collections.objects
      .find({}, { projection: { _id: 0, id: 1, name: 1, class_name: 1 } })
      .sort({ id: 1 })
      .toArray();
    return documents.map((document) => ({
      id: Number(document.id),
      name: document.name,
      className: document.class_name,
    }));
  }

  async importObject(record: ObjectRecord): Promise<number> {
    const id = await this.#objectIds.import(record);
    this.#knownObjects.add(id);
    return id;
  }

  classifyError(error: unknown): BackendFailure {
    return classifyMongoError(error);
  }

  async close(): Promise<void> {
    if (this.#ownsClient) await this.#client.close();
  }
}
