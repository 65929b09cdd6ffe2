import KeyvMongo from '@keyv/mongo';
import Keyv from 'keyv';
import { Collection, type CreateIndexesOptions, type MongoClient } from 'mongodb';
import { KEYV_NAMESPACE, keyvSubject, type Subject } from '../subject.js';

type CreateIndex = (
  this: Collection,
  spec: unknown,
  options?: CreateIndexesOptions,
) => Promise<string>;

let ttlIndexReplaced = false;

/**
 * Makes `@keyv/mongo` start on FerretDB 1.24, which rejects its TTL index on `expiresAt`
 * ("Index option "expireAfterSeconds" is not implemented yet"): the index on the `keyv`
 * collection is created as an ordinary one. Writes still maintain an index on `expiresAt`, as
 * on MongoDB; only the expiry of entries, which no workload uses, is lost.
 */
function replaceKeyvTtlIndex(): void {
  if (ttlIndexReplaced) return;
  ttlIndexReplaced = true;
  const prototype = Collection.prototype as unknown as { createIndex: CreateIndex };
  const original = prototype.createIndex;
  prototype.createIndex = function createIndex(this: Collection, spec, options) {
    if (this.collectionName === 'keyv' && options?.expireAfterSeconds !== undefined) {
      const { expireAfterSeconds: _, ...rest } = options;
      return original.call(this, spec, rest);
    }
    return original.call(this, spec, options);
  };
}

/**
 * Opens Keyv on `@keyv/mongo` with its own client, whose commands `onClient` can count.
 * `@keyv/mongo` reports a failed start only as an `'error'` event, so this waits for either.
 */
export async function openMongoKeyv(
  url: string,
  database: string,
  isFerretDb: boolean,
  onClient: (client: MongoClient) => void,
): Promise<{ subject: Subject; close: () => Promise<void> }> {
  if (isFerretDb) replaceKeyvTtlIndex();

  const store = new KeyvMongo({ url, db: database, collection: 'keyv', monitorCommands: true });
  let timer: NodeJS.Timeout | undefined;
  let onError: ((error: unknown) => void) | undefined;
  const failed = new Promise<never>((_, reject) => {
    onError = reject;
    store.on('error', reject);
    timer = setTimeout(() => reject(new Error('@keyv/mongo did not connect in 30 s.')), 30_000);
  });
  try {
    const connected = await Promise.race([store.connect, failed]);
    onClient(connected.mongoClient as MongoClient);
  } finally {
    clearTimeout(timer);
    if (onError !== undefined) store.off('error', onError);
  }

  const keyv = new Keyv({ store, namespace: KEYV_NAMESPACE });
  return { subject: keyvSubject(keyv), close: () => keyv.disconnect() };
}
