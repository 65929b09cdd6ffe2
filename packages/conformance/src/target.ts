import type { StateConnector, SyncTarget } from '@state-connector/core';

/** One empty store that a group of conformance tests uses, and how to reach it. */
export interface ConformanceStore {
  /** Opens a new connector with its own connection or pool on this store. */
  connect(): StateConnector | Promise<StateConnector>;
  /**
   * How a child process opens a connector on this store: a module that it can import, the
   * name of the factory it exports, and options that survive `JSON.stringify`.
   */
  processTarget: SyncTarget;
  /**
   * Writes raw text as the value of a state name, bypassing every check, so that the suite
   * can test how a corrupt stored value is reported. `storedName` is the name as stored.
   */
  writeRawState(objectId: number, storedName: string, text: string): Promise<void>;
  /** Counts the rows (or documents) in `objects` and `object_state`. */
  countRows(): Promise<{ objects: number; state: number }>;
  /** Removes the store and closes what `setup` opened. */
  teardown(): Promise<void>;
}

/** An adapter under test. */
export interface ConformanceTarget {
  /** Backend name shown in test names, such as `sqlite`. */
  name: string;
  /** Creates a new, empty store. Called once per group of tests. */
  setup(): Promise<ConformanceStore>;
}

/** Tuning of the race tests; the defaults collide reliably on two cores. */
export interface ConformanceOptions {
  /** Connectors per in-process race round; 8 by default. */
  connectors?: number;
  /** Rounds of each in-process race; 20 by default. */
  rounds?: number;
  /** OS processes per multi-process race round; 4 by default. */
  processes?: number;
  /** Rounds of each multi-process race; 5 by default. */
  processRounds?: number;
}
