import type { StateConnectorEvent } from './events.js';

/** One row of `objects`: an object's id and identity as stored. */
export interface ObjectRecord {
  id: number;
  name: string;
  className: string;
}

/** An adapter's classification of a driver error, for {@link BackendError}. */
export interface BackendFailure {
  /** True when the same call may succeed if tried again. */
  retryable: boolean;
  /** A short description without secrets, such as `connection refused`. */
  detail?: string;
}

/**
 * The storage primitives that an adapter implements. Core validates every argument, encodes
 * values and applies every backend-independent rule before it calls them, so each primitive
 * receives stored names (already shortened) and JSON text, and only touches storage.
 *
 * Each primitive is atomic. In the steady state, each one should cost one round trip.
 */
export interface StateStorage {
  /** Backend name used in errors and events, such as `sqlite`. */
  readonly backend: string;

  /**
   * Creates or upgrades the schema. Core calls it once before the first other primitive.
   * It must be safe when several processes call it at the same time.
   */
  migrate(): Promise<void>;

  /**
   * Returns the id of the object `(name, className)`, creating it if absent. Concurrent
   * callers in any process get the same id, and none receives a duplicate-key error.
   */
  getOrCreateObjectId(name: string, className: string): Promise<number>;

  /** Returns the stored JSON text, or `undefined` when the name or the object is missing. */
  readState(objectId: number, name: string): Promise<string | undefined>;

  /** Tells whether an object with this id exists. Used off the steady-state path only. */
  objectExists(objectId: number): Promise<boolean>;

  /**
   * Overwrites the value if the name has one, and otherwise inserts it unless a concurrent
   * writer inserted first. Returns the text stored right after the call, or `undefined`
   * when no object has this id (and then writes nothing).
   */
  writeState(objectId: number, name: string, text: string): Promise<string | undefined>;

  /**
   * Inserts the value only if the name has none. Returns the text stored right after the
   * call (this one or an earlier writer's), or `undefined` when no object has this id.
   */
  createState(objectId: number, name: string, text: string): Promise<string | undefined>;

  /** Removes the value; returns true if one existed. */
  deleteState(objectId: number, name: string): Promise<boolean>;

  /** Returns every state name and JSON text of one object, ordered by name. */
  listState(objectId: number): Promise<Array<[name: string, text: string]>>;

  /** Returns every object, ordered by id. */
  listObjects(): Promise<ObjectRecord[]>;

  /**
   * Inserts an object with the given id, for import. Returns the id that the identity has
   * afterwards: `record.id`, or the existing id if the identity was already stored.
   * Rejects if the id is taken by another identity.
   */
  importObject(record: ObjectRecord): Promise<number>;

  /** Classifies a driver error; core wraps it in a `BackendError` that keeps it as cause. */
  classifyError(error: unknown): BackendFailure;

  /** Closes what the adapter opened itself; never a pool or client the caller passed in. */
  close(): Promise<void>;
}

/** The services that core passes to an adapter's storage. */
export interface StorageContext {
  /** Sends an event to the caller's logger, if any. */
  emit(event: StateConnectorEvent): void;
}
