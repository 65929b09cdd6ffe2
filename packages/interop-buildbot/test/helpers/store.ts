import type { AdministeredStateConnector } from '@state-connector/core';
import type { ConnectorTarget } from '../../src/connector-process.js';
import type { BuildbotMaster } from './buildbot-master.js';
import type { SchemaSnapshot } from './schema.js';

/** A row of `objects` as stored, with the name's stored UTF-8 bytes. */
export interface ObjectRow {
  id: number;
  name: string;
  className: string;
  nameBytes: Buffer;
}

/** A row of `object_state` as stored, with the name's stored UTF-8 bytes. */
export interface StateRow {
  name: string;
  valueJson: string;
  nameBytes: Buffer;
}

/** One test database shared by a Buildbot master and our connectors. */
export interface InteropStore {
  backend: string;
  master: BuildbotMaster;
  /** The database as our side names it: a `file:` URL or a PostgreSQL connection string. */
  url: string;
  /** How a connector child process opens this database. */
  target: ConnectorTarget;
  /** Opens a connector in the test process; {@link dispose} closes it. */
  connect(): AdministeredStateConnector;
  /** Reads `objects` directly, ordered by id. */
  objects(): Promise<ObjectRow[]>;
  /** Reads the `object_state` rows of one object directly, ordered by name. */
  stateRows(objectId: number): Promise<StateRow[]>;
  /** Runs one SQL statement directly, for tests that change the schema on purpose. */
  execute(sql: string): Promise<void>;
  /** Reads the whole schema of the database. */
  schema(): Promise<SchemaSnapshot>;
  /** Closes connectors and drivers and removes the database and the master directory. */
  dispose(): Promise<void>;
}

/** A backend on which Buildbot and our connector meet. */
export interface InteropBackend {
  name: 'sqlite' | 'postgres';
  /** Why the backend cannot run here, or `undefined`. */
  missing: string | undefined;
  /** What to install or set when it is missing. */
  hint: string;
  /**
   * Creates a database and a master directory pointing at it. By default Buildbot creates
   * the schema (`create-master`, and `upgrade-master` on PostgreSQL); with `empty: true`
   * the database has no tables yet.
   */
  createStore(options?: { empty?: boolean }): Promise<InteropStore>;
}

/** Tracks the connectors that a store opened, so that disposing closes each one. */
export class ConnectorSet {
  readonly #connectors: AdministeredStateConnector[] = [];

  add(connector: AdministeredStateConnector): AdministeredStateConnector {
    this.#connectors.push(connector);
    return connector;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#connectors.map((connector) => connector.close()));
  }
}
