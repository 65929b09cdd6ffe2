import type { Json } from './json.js';

/**
 * Durable, cluster-safe state per named object, shared by every process that opens the same
 * store. Every method is atomic, and a write that resolved is durable and visible to every
 * other connector on the store.
 *
 * @example
 * ```ts
 * const objectId = await connector.getObjectId('poller-main', 'GitPoller');
 * const lastRevision = await connector.getState(objectId, 'lastRevision', null);
 * await connector.setState(objectId, 'lastRevision', 'a1b2c3');
 * ```
 */
export interface StateConnector {
  /**
   * Returns the id of the object `(name, className)`, creating the object if it does not
   * exist. All concurrent callers in all processes receive the same id. Ids are cached in
   * the process, so a repeated call costs no round trip.
   *
   * @throws InvalidNameError - a name breaks the name rules (before any I/O).
   */
  getObjectId(name: string, className: string): Promise<number>;

  /**
   * Returns a fresh copy of the stored value of `name`.
   *
   * @throws StateNotFoundError - the name has no value and no default was passed. A third
   *   argument counts as a default even when it is `undefined`.
   * @throws StateJsonError - the stored text is not valid JSON, also when a default is given.
   */
  getState(objectId: number, name: string): Promise<Json>;
  getState<T>(objectId: number, name: string, defaultValue: T): Promise<Json | T>;

  /**
   * Writes `value` and resolves with the value stored right after the call, as JSON. If the
   * name already has a value, it is overwritten and the call resolves with `value`. If
   * several callers race to create the name, the first creation wins and the others resolve
   * with the winner's value without overwriting it.
   *
   * @throws StateJsonError - `value` is not JSON that the store accepts; nothing is written.
   * @throws ObjectNotFoundError - no object has this id; nothing is written.
   */
  setState(objectId: number, name: string, value: unknown): Promise<Json>;

  /**
   * Returns the value of `name`, creating it with `create()` if it has none. `create` runs at
   * most once per call, and never when a value (even `null`) exists. Across processes it may
   * run more than once, but exactly one result is stored and every caller resolves with it.
   *
   * @throws the error of `create`, unchanged; nothing is written.
   * @throws StateJsonError - `create` returned a value that is not JSON; nothing is written.
   * @throws ObjectNotFoundError - no object has this id; `create` is not called.
   */
  atomicCreateState(
    objectId: number,
    name: string,
    create: () => unknown | Promise<unknown>,
  ): Promise<Json>;

  /** Removes the value of `name`; resolves with true if one existed. */
  deleteState(objectId: number, name: string): Promise<boolean>;

  /** Returns every state name and value of one object, ordered by stored name. */
  listState(objectId: number): Promise<Map<string, Json>>;

  /**
   * Blocking form of {@link getObjectId} for code that cannot await, such as a
   * configuration file. It runs the call in a worker thread with its own connection.
   *
   * @throws SyncUnavailableError - the connector was built from the caller's own live pool
   *   or client, or on an in-memory database, which a worker thread cannot share.
   */
  getObjectIdSync(name: string, className: string): number;

  /** Blocking form of {@link getState}, with the same errors; see {@link getObjectIdSync}. */
  getStateSync(objectId: number, name: string): Json;
  getStateSync<T>(objectId: number, name: string, defaultValue: T): Json | T;

  /** Blocking form of {@link setState}, with the same errors; see {@link getObjectIdSync}. */
  setStateSync(objectId: number, name: string, value: unknown): Json;

  /**
   * Closes what the connector opened itself, never a pool or client that the caller passed
   * in. Idempotent. Later calls reject with `ConnectorClosedError`.
   */
  close(): Promise<void>;
}
