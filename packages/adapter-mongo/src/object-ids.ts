import type { ObjectRecord, StorageContext } from '@state-connector/core';
import { isDuplicateKey, MongoStorageError } from './errors.js';
import type { Collections } from './schema.js';

/** `_id` of the counter document in `counters` that hands out object ids. */
const OBJECT_ID_COUNTER = 'objects.id';

/**
 * Attempts to insert a new object before giving up. Each failed attempt means that another
 * writer took the id in the meantime, so reaching the limit takes that many concurrent
 * creations in a row.
 */
const MAX_INSERT_ATTEMPTS = 100;

/**
 * Hands out integer object ids and creates objects without transactions.
 *
 * Uniqueness rests on the unique index on `id`, not on the counter: FerretDB 1.x runs `$inc`
 * as read-modify-write, so two callers can receive the same counter value. The one whose
 * insert then fails on `id` takes another id and tries again.
 */
export class ObjectIds {
  readonly #collections: Collections;
  readonly #context: StorageContext;
  readonly #backend: string;

  constructor(collections: Collections, context: StorageContext, backend: string) {
    this.#collections = collections;
    this.#context = context;
    this.#backend = backend;
  }

  /** Returns the id of `(name, className)`; a racing creator's id wins over this one's. */
  async getOrCreate(name: string, className: string): Promise<number> {
    const existing = await this.#find(name, className);
    if (existing !== undefined) return existing;

    for (let attempt = 1; ; attempt++) {
      const id = await this.#nextId();
      try {
        await this.#collections.objects.insertOne({ id, name, class_name: className });
        return id;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;

        // The server does not say which index rejected the insert (FerretDB leaves out
        // keyPattern), so look for the identity first: if it exists, another caller won.
        const winner = await this.#find(name, className);
        if (winner !== undefined) return winner;
        if (attempt >= MAX_INSERT_ATTEMPTS) {
          throw new MongoStorageError(
            `no free object id found after ${attempt} attempts; every id taken from the ` +
              'counter was already in use',
            { retryable: true, cause: error },
          );
        }
        this.#context.emit({
          type: 'retry',
          backend: this.#backend,
          operation: 'getObjectId',
          attempt,
          delayMs: 0,
          error,
        });
        await this.#raiseCounter(await this.#maxId());
      }
    }
  }

  /**
   * Stores an object under a given id. Returns the identity's id afterwards, which is the
   * existing one if the identity was stored already.
   */
  async import(record: ObjectRecord): Promise<number> {
    try {
      await this.#collections.objects.insertOne({
        id: record.id,
        name: record.name,
        class_name: record.className,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.#find(record.name, record.className);
      if (existing !== undefined) return existing;
      throw new MongoStorageError(`object id ${record.id} is already used by another identity`, {
        cause: error,
      });
    }

    // New objects must not collide with imported ids; a collision would still be caught by
    // the unique index, at the cost of a retry.
    await this.#raiseCounter(record.id);
    return record.id;
  }

  async #find(name: string, className: string): Promise<number | undefined> {
    const found = await this.#collections.objects.findOne(
      { name, class_name: className },
      { projection: { _id: 0, id: 1 } },
    );
    return found === null ? undefined : Number(found.id);
  }

  async #maxId(): Promise<number> {
    const [last] = await this.#collections.objects
      .find({}, { projection: { _id: 0, id: 1 } })
      .sort({ id: -1 })
      .limit(1)
      .toArray();
    return last === undefined ? 0 : Number(last.id);
  }

  async #nextId(): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const counter = await this.#collections.counters.findOneAndUpdate(
          { _id: OBJECT_ID_COUNTER },
          { $inc: { seq: 1 } },
          // No projection: FerretDB 1.24.2 does not implement it for findAndModify.
          { upsert: true, returnDocument: 'after' },
        );
        if (counter === null) throw new MongoStorageError('the id counter update returned nothing');
        return Number(counter.seq);
      } catch (error) {
        // Two upserts that create the counter at once: FerretDB rejects the second on `_id`.
        if (!isDuplicateKey(error) || attempt >= 3) throw error;
      }
    }
  }

  async #raiseCounter(id: number): Promise<void> {
    try {
      await this.#collections.counters.updateOne(
        { _id: OBJECT_ID_COUNTER },
        { $max: { seq: id } },
        { upsert: true },
      );
    } catch (error) {
      // Another writer created the counter first; its value only makes collisions likelier,
      // and every collision is caught by the unique index on `id`.
      if (!isDuplicateKey(error)) throw error;
    }
  }
}
