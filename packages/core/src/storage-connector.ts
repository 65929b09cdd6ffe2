import { checkConnectorOptions, checkObjectId } from './arguments.js';
import type { AdministeredStateConnector, ConnectorSetup } from './connector-options.js';
import {
  BackendError,
  ConnectorClosedError,
  isStateConnectorError,
  ObjectNotFoundError,
  quoteForMessage,
  StateNotFoundError,
} from './errors.js';
import type { StateConnectorEvent, StateConnectorLogger } from './events.js';
import { checkJsonText, decodeJson, encodeJson, type Json } from './json.js';
import { MigrationGate } from './migration-gate.js';
import { toStoredClassName, toStoredObjectName, toStoredStateName } from './names.js';
import { DEFAULT_OBJECT_ID_CACHE_SIZE, ObjectIdCache } from './object-id-cache.js';
import type { ObjectRecord, StateStorage, StorageContext } from './storage.js';
import { SyncBridge } from './sync-bridge.js';

class StorageConnector implements AdministeredStateConnector {
  readonly #storage: StateStorage;
  readonly #cache: ObjectIdCache;
  readonly #logger: StateConnectorLogger | undefined;
  readonly #sync: SyncBridge;
  readonly #migrations: MigrationGate;
  #closed = false;
  #closing: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Ids that this connector saw exist; bounded by the object-id cache size. */
  readonly #knownObjects = new Set<number>();
  readonly #maxKnownObjects: number;

  constructor(createStorage: (context: StorageContext) => StateStorage, setup: ConnectorSetup) {
    checkConnectorOptions(setup);
    this.#logger = setup.logger;
    this.#cache = new ObjectIdCache(setup.objectIdCacheSize);
    this.#maxKnownObjects = setup.objectIdCacheSize ?? DEFAULT_OBJECT_ID_CACHE_SIZE;
    this.#storage = createStorage({ emit: (event) => this.#emit(event) });
    this.#migrations = new MigrationGate(this.#storage, (event) => this.#emit(event));
    this.#sync = new SyncBridge(setup.sync);
  }

  async getObjectId(name: string, className: string): Promise<number> {
    // Only validated pairs enter the cache, so a hit needs no validation.
    if (typeof name === 'string' && typeof className === 'string' && !this.#closed) {
      const cached = this.#cache.peek(name, className);
      if (cached !== undefined) return cached;
    }

    const storedName = toStoredObjectName(name);
    const storedClass = toStoredClassName(className);
    this.#checkOpen('getObjectId');
    return this.#cache.get(name, className, async () => {
      const id = await this.#call('getObjectId', () =>
        this.#storage.getOrCreateObjectId(storedName, storedClass),
      );
      this.#rememberObject(id);
      return id;
    });
  }

  getState(objectId: number, name: string): Promise<Json>;
  getState<T>(objectId: number, name: string, defaultValue: T): Promise<Json | T>;
  async getState(objectId: number, name: string, ...rest: unknown[]): Promise<unknown> {
    checkObjectId(objectId);
    const storedName = toStoredStateName(name);
    this.#checkOpen('getState');

    const text = await this.#call('getState', () => this.#storage.readState(objectId, storedName));
    if (text !== undefined) return decodeJson(text, describeState(objectId, name));
    if (rest.length > 0) return rest[0];
    throw new StateNotFoundError(objectId, name);
  }

  async setState(objectId: number, name: string, value: unknown): Promise<Json> {
    checkObjectId(objectId);
    const storedName = toStoredStateName(name);
    const text = encodeJson(value);
    this.#checkOpen('setState');

    const stored = await this.#call('setState', () =>
      this.#storage.writeState(objectId, storedName, text),
    );
    if (stored === undefined) throw new ObjectNotFoundError(objectId);
    this.#rememberObject(objectId);
    return decodeJson(stored, describeState(objectId, name));
  }

  async atomicCreateState(
    objectId: number,
    name: string,
    create: () => unknown | Promise<unknown>,
  ): Promise<Json> {
    checkObjectId(objectId);
    const storedName = toStoredStateName(name);
    if (typeof create !== 'function') {
      throw new TypeError('atomicCreateState expects a function that returns the new value.');
    }
    this.#checkOpen('atomicCreateState');

    const where = describeState(objectId, name);
    const existing = await this.#call('atomicCreateState', () =>
      this.#storage.readState(objectId, storedName),
    );
    if (existing !== undefined) return decodeJson(existing, where);

    // Objects are never deleted, so an id known to exist saves this round trip.
    if (!this.#knownObjects.has(objectId)) {
      const exists = await this.#call('atomicCreateState', () =>
        this.#storage.objectExists(objectId),
      );
      if (!exists) throw new ObjectNotFoundError(objectId);
      this.#rememberObject(objectId);
    }

    // Errors of `create` reach the caller unchanged: they are not the backend's.
    const text = encodeJson(await create());
    this.#checkOpen('atomicCreateState');

    const stored = await this.#call('atomicCreateState', () =>
      this.#storage.createState(objectId, storedName, text),
    );
    if (stored === undefined) throw new ObjectNotFoundError(objectId);
    return decodeJson(stored, where);
  }

  async deleteState(objectId: number, name: string): Promise<boolean> {
    checkObjectId(objectId);
    const storedName = toStoredStateName(name);
    this.#checkOpen('deleteState');
    return this.#call('deleteState', () => this.#storage.deleteState(objectId, storedName));
  }

  async listState(objectId: number): Promise<Map<string, Json>> {
    checkObjectId(objectId);
    this.#checkOpen('listState');

    const rows = await this.#call('listState', () => this.#storage.listState(objectId));
    const state = new Map<string, Json>();
    for (const [name, text] of rows) {
      state.set(name, decodeJson(text, describeState(objectId, name)));
    }
    return state;
  }

  async listStateText(objectId: number): Promise<Array<[name: string, text: string]>> {
    checkObjectId(objectId);
    this.#checkOpen('listStateText');
    return this.#call('listStateText', () => this.#storage.listState(objectId));
  }

  async importStateText(objectId: number, name: string, text: string): Promise<void> {
    checkObjectId(objectId);
    const storedName = toStoredStateName(name);
    checkJsonText(text, describeState(objectId, name));
    this.#checkOpen('importStateText');

    const stored = await this.#call('importStateText', () =>
      this.#storage.writeState(objectId, storedName, text),
    );
    if (stored === undefined) throw new ObjectNotFoundError(objectId);
  }

  async listObjects(): Promise<ObjectRecord[]> {
    this.#checkOpen('listObjects');
    return this.#call('listObjects', () => this.#storage.listObjects());
  }

  async importObject(record: ObjectRecord): Promise<number> {
    checkObjectId(record.id);
    const stored = {
      id: record.id,
      name: toStoredObjectName(record.name),
      className: toStoredClassName(record.className),
    };
    this.#checkOpen('importObject');
    return this.#call('importObject', () => this.#storage.importObject(stored));
  }

  async migrate(): Promise<void> {
    this.#checkOpen('migrate');
    try {
      await this.#migrations.ensure();
    } catch (error) {
      throw this.#toPublicError('migrate', error);
    }
  }

  getObjectIdSync(name: string, className: string): number {
    toStoredObjectName(name);
    toStoredClassName(className);
    this.#checkOpen('getObjectIdSync');
    // A cached id must not hide that this connector has no synchronous methods.
    this.#sync.checkAvailable('getObjectIdSync');

    const cached = this.#cache.peek(name, className);
    if (cached !== undefined) return cached;
    return this.#sync.getObjectId(name, className);
  }

  getStateSync(objectId: number, name: string): Json;
  getStateSync<T>(objectId: number, name: string, defaultValue: T): Json | T;
  getStateSync(objectId: number, name: string, ...rest: unknown[]): unknown {
    checkObjectId(objectId);
    toStoredStateName(name);
    this.#checkOpen('getStateSync');

    const text = this.#sync.readState(objectId, name);
    if (text !== undefined) return decodeJson(text, describeState(objectId, name));
    if (rest.length > 0) return rest[0];
    throw new StateNotFoundError(objectId, name);
  }

  setStateSync(objectId: number, name: string, value: unknown): Json {
    checkObjectId(objectId);
    toStoredStateName(name);
    const text = encodeJson(value);
    this.#checkOpen('setStateSync');

    return decodeJson(this.#sync.writeState(objectId, name, text), describeState(objectId, name));
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#closed = true;
    this.#cache.clear();
    this.#sync.close();

    // Calls that started before close() settle as they would have, so none is left pending
    // on a pool or client that is being shut down.
    await this.#migrations.settle();
    await Promise.allSettled(this.#inFlight);
    await this.#storage.close();
  }

  #rememberObject(objectId: number): void {
    if (this.#knownObjects.size >= this.#maxKnownObjects) this.#knownObjects.clear();
    this.#knownObjects.add(objectId);
  }

  #checkOpen(operation: string): void {
    if (this.#closed) throw new ConnectorClosedError(operation);
  }

  #emit(event: StateConnectorEvent): void {
    if (this.#logger === undefined) return;
    try {
      this.#logger(event);
    } catch {
      // A failing logger must not turn a successful call into a failed one.
    }
  }

  #call<T>(operation: string, action: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new ConnectorClosedError(operation));

    const pending = this.#callStorage(operation, action);
    this.#inFlight.add(pending);
    const forget = () => this.#inFlight.delete(pending);
    pending.then(forget, forget);
    return pending;
  }

  async #callStorage<T>(operation: string, action: () => Promise<T>): Promise<T> {
    try {
      if (!this.#migrations.done) await this.#migrations.ensure();
      return await action();
    } catch (error) {
      throw this.#toPublicError(operation, error);
    }
  }

  #toPublicError(operation: string, error: unknown): Error {
    if (isStateConnectorError(error)) return error;

    const backend = this.#storage.backend;
    const failure = this.#storage.classifyError(error);
    this.#emit({ type: 'backend-error', backend, operation, retryable: failure.retryable, error });
    return new BackendError(backend, operation, {
      retryable: failure.retryable,
      cause: error,
      ...(failure.detail === undefined ? {} : { detail: failure.detail }),
    });
  }
}

function describeState(objectId: number, name: string): string {
  return `state ${quoteForMessage(name)} of object ${objectId}`;
}

/**
 * Builds a connector on an adapter's storage primitives. Core applies every rule that does
 * not depend on the backend: validation, encoding, name shortening, caching and errors.
 * Adapters call it from their factory; hosts call the factories.
 */
export function createStateConnector(
  createStorage: (context: StorageContext) => StateStorage,
  setup: ConnectorSetup,
): AdministeredStateConnector {
  return new StorageConnector(createStorage, setup);
}
