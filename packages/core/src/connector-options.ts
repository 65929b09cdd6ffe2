import type { StateConnector } from './connector.js';
import type { StateConnectorLogger } from './events.js';
import type { ObjectRecord } from './storage.js';
import type { SyncTarget } from './sync-bridge.js';

/** Options that every adapter factory accepts. */
export interface ConnectorOptions {
  /** Receives typed events (migrations, retries, backend errors). Nothing is logged by default. */
  logger?: StateConnectorLogger;
  /** Maximum number of object ids cached in the process; 10,000 by default. */
  objectIdCacheSize?: number;
}

/** The settings that an adapter passes to {@link createStateConnector} besides its storage. */
export interface ConnectorSetup extends ConnectorOptions {
  /**
   * The recipe by which a worker thread rebuilds this connector for the synchronous methods,
   * or the reason it cannot (for example, the caller passed a live pool).
   */
  sync: SyncTarget | string;
}

/** A connector with the extra methods that tools such as the CLI use. */
export interface AdministeredStateConnector extends StateConnector {
  /** Returns every object, ordered by id. */
  listObjects(): Promise<ObjectRecord[]>;
  /**
   * Stores an object identity under a given id, for import between stores. Resolves with
   * the id that the identity has afterwards; an identity already stored keeps its id.
   */
  importObject(record: ObjectRecord): Promise<number>;
  /**
   * Returns every state name of one object with its stored JSON text, undecoded and ordered
   * by stored name, so that an export keeps the text byte for byte and a corrupt value does
   * not hide the others.
   */
  listStateText(objectId: number): Promise<Array<[name: string, text: string]>>;
  /**
   * Stores JSON text exactly as given, for import between stores: key order, spacing and
   * escapes survive. Overwrites the value if the name has one.
   *
   * @throws StateJsonError - `text` does not parse as JSON or is over the size limit.
   * @throws ObjectNotFoundError - no object has this id; nothing is written.
   */
  importStateText(objectId: number, name: string, text: string): Promise<void>;
  /** Runs the schema migrations now instead of before the first call. */
  migrate(): Promise<void>;
}
