import type { StateConnector, SyncTarget } from '@state-connector/core';

/** Row counts of one store, as {@link ConformanceStore.countRows} reports them. */
export interface RowCounts {
  /** Rows (or documents) in `objects`. */
  objects: number;
  /** Rows (or documents) in `object_state`. */
  state: number;
}

/** One empty store that a group of conformance tests uses, and how to reach it. */
export interface ConformanceStore {
  /** Opens a new connector with its own connection or pool on this store. */
  connect(): StateConnector | Promise<StateConnector>;
  /**
   * The recipe by which a child process opens a connector on this store: a module that it
   * can import, the name of the factory it exports, and options that survive
   * `JSON.stringify`.
   */
  processTarget: SyncTarget;
  /**
   * Writes raw text as the value of a state name, bypassing every check, so that the suite
   * can test how a corrupt stored value is reported. `storedName` is the name as stored.
   */
  writeRawState(objectId: number, storedName: string, text: string): Promise<void>;
  /**
   * Counts the rows (or documents) in `objects` and `object_state`. It must work right after
   * `setup`, so a store whose schema is created lazily must create it in `setup`.
   */
  countRows(): Promise<RowCounts>;
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

/** Tuning of the race and property tests; the defaults collide reliably on two cores. */
export interface ConformanceOptions {
  /** Connectors per in-process race round; 8 by default. */
  connectors?: number;
  /** Rounds of each in-process race; 20 by default. */
  rounds?: number;
  /** OS processes per multi-process race round; 4 by default. */
  processes?: number;
  /** Rounds of each multi-process race; 5 by default. */
  processRounds?: number;
  /** Generated values per fast-check property; 60 by default. */
  propertyRuns?: number;
  /** Time limit of one multi-process race test, in milliseconds; 120,000 by default. */
  processTimeoutMs?: number;
}

/** {@link ConformanceOptions} with every default filled in. */
export type ResolvedConformanceOptions = Required<ConformanceOptions>;

/** Fills in the defaults of {@link ConformanceOptions} and checks that counts are positive. */
export function resolveOptions(options: ConformanceOptions = {}): ResolvedConformanceOptions {
  const resolved: ResolvedConformanceOptions = {
    connectors: options.connectors ?? 8,
    rounds: options.rounds ?? 20,
    processes: options.processes ?? 4,
    processRounds: options.processRounds ?? 5,
    propertyRuns: options.propertyRuns ?? 60,
    processTimeoutMs: options.processTimeoutMs ?? 120_000,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`Invalid conformance option ${key}: ${value}; use a positive integer.`);
    }
  }
  if (resolved.connectors < 2 || resolved.processes < 2) {
    throw new RangeError('A race needs at least 2 connectors and 2 processes.');
  }
  return resolved;
}
