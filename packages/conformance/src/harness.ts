import { randomUUID } from 'node:crypto';
import type { StateConnector } from '@state-connector/core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ConformanceStore, ConformanceTarget, RowCounts } from './target.js';

/** Class name of every object that the suite creates. */
export const TEST_CLASS = 'ConformanceTest';

/**
 * Object ids that no store hands out during a test run. The first is just past the 32-bit
 * range, which catches an adapter that passes ids to an `integer` column unchecked.
 */
export const UNKNOWN_OBJECT_IDS = [2 ** 31 + 7, Number.MAX_SAFE_INTEGER];

/** The first of {@link UNKNOWN_OBJECT_IDS}. */
export const UNKNOWN_OBJECT_ID = 2 ** 31 + 7;

/** Access to the store of one group of tests, valid inside its tests. */
export interface Harness {
  readonly store: ConformanceStore;
  /** A connector opened in `beforeAll` and closed after the group. */
  readonly connector: StateConnector;
  /** Opens another connector on the store; the harness closes it after the group. */
  connect(): Promise<StateConnector>;
  /** Returns a name that no other test of this run uses. */
  uniqueName(prefix: string): string;
  /** Creates a new object and returns its id. */
  newObjectId(connector?: StateConnector): Promise<number>;
  countRows(): Promise<RowCounts>;
  /** Checks that the row counts are still `before`. */
  expectRowsUnchanged(before: RowCounts): Promise<void>;
}

let nameCounter = 0;

/**
 * Registers `beforeAll` and `afterAll` hooks that set up a new store for the enclosing
 * `describe` and tear it down afterwards, and returns access to it.
 */
export function useStore(target: ConformanceTarget): Harness {
  let store: ConformanceStore | undefined;
  let connector: StateConnector | undefined;
  const opened: StateConnector[] = [];

  const requireStore = (): ConformanceStore => {
    if (store === undefined) throw new Error(`The ${target.name} store is not set up yet.`);
    return store;
  };

  beforeAll(async () => {
    store = await target.setup();
    connector = await store.connect();
    opened.push(connector);
  });

  afterAll(async () => {
    // Close every connector even if one fails, then remove the store.
    const results = await Promise.allSettled(opened.map((open) => open.close()));
    opened.length = 0;
    await store?.teardown();
    store = undefined;
    for (const result of results) {
      if (result.status === 'rejected') throw result.reason;
    }
  });

  const harness: Harness = {
    get store() {
      return requireStore();
    },
    get connector() {
      if (connector === undefined) throw new Error(`No ${target.name} connector is open yet.`);
      return connector;
    },
    async connect() {
      const extra = await requireStore().connect();
      opened.push(extra);
      return extra;
    },
    uniqueName(prefix) {
      nameCounter++;
      return `${prefix}-${nameCounter}-${randomUUID().slice(0, 8)}`;
    },
    newObjectId(through = harness.connector) {
      return through.getObjectId(harness.uniqueName('object'), TEST_CLASS);
    },
    countRows() {
      return requireStore().countRows();
    },
    async expectRowsUnchanged(before) {
      expect(await requireStore().countRows()).toEqual(before);
    },
  };
  return harness;
}
