import { expect } from 'vitest';
import type { RowCounts } from './target.js';

/** One caller of a `setState` race: the value it offered and the value it resolved with. */
export interface SetStateOutcome {
  offered: unknown;
  result: unknown;
}

/** One caller of an `atomicCreateState` race. */
export interface CreateOutcome {
  /** Values that this call's `create` returned; empty when it never ran. */
  created: unknown[];
  result: unknown;
}

const text = (value: unknown): string => JSON.stringify(value);

/**
 * Checks the first-wins rule of a `setState` race on a new name. A caller that resolves with
 * its own value wrote it: it created the name or overwrote it afterwards. Every other caller
 * lost the creation and resolves with the value stored right after its call, which is the
 * winner's value or a later overwrite's. So every result that is not the caller's own must
 * be a value that its owner resolved with as its own, and so must the stored value. When
 * only the winner resolved with its own value, every loser resolved with that one value.
 */
export function expectFirstWins(outcomes: SetStateOutcome[], stored: unknown, round: string) {
  const offered = outcomes.map((outcome) => text(outcome.offered));
  expect(new Set(offered).size, `${round}: offered values must be distinct`).toBe(offered.length);

  const own = new Set<string>();
  const foreign = new Set<string>();
  for (const outcome of outcomes) {
    const result = text(outcome.result);
    if (result === text(outcome.offered)) own.add(result);
    else foreign.add(result);
  }

  expect(own.size, `${round}: no caller resolved with its own value`).toBeGreaterThan(0);
  for (const value of foreign) {
    expect(own.has(value), `${round}: ${value} is not a value that took effect`).toBe(true);
  }
  expect(own.has(text(stored)), `${round}: stored ${text(stored)} is not a caller's value`).toBe(
    true,
  );
}

/**
 * Checks an `atomicCreateState` race on a new name: `create` ran at most once per call and
 * at least once in all, every caller resolved with one value, that value is stored, and it
 * is one that some `create` returned.
 */
export function expectSingleCreation(outcomes: CreateOutcome[], stored: unknown, round: string) {
  for (const outcome of outcomes) {
    expect(outcome.created.length, `${round}: create ran more than once`).toBeLessThanOrEqual(1);
  }
  const results = new Set(outcomes.map((outcome) => text(outcome.result)));
  expect([...results], `${round}: callers resolved with different values`).toHaveLength(1);

  const [result] = results;
  expect(text(stored), `${round}: the stored value differs from the resolved one`).toBe(result);
  const created = new Set(outcomes.flatMap((outcome) => outcome.created.map(text)));
  expect(created.has(text(stored)), `${round}: no create returned the stored value`).toBe(true);
}

/** Checks a `getObjectId` race on a new pair: one positive id, and one new object row. */
export function expectOneObject(ids: unknown[], objectRowsAdded: number, round: string): void {
  const distinct = new Set(ids);
  expect([...distinct], `${round}: callers got different ids`).toHaveLength(1);
  const [id] = distinct;
  expect(Number.isSafeInteger(id), `${round}: invalid id ${id}`).toBe(true);
  expect(id as number, `${round}: invalid id ${id}`).toBeGreaterThan(0);
  expect(objectRowsAdded, `${round}: object rows added`).toBe(1);
}

/** Checks that a race on a new state name added exactly one state row and no object. */
export function expectOneStateRow(before: RowCounts, after: RowCounts, round: string): void {
  expect(after.state - before.state, `${round}: state rows added`).toBe(1);
  expect(after.objects - before.objects, `${round}: object rows added`).toBe(0);
}

/** Tells whether at least two of the timed operations ran at the same time. */
export function overlapped(timings: Array<{ startedAt: number; finishedAt: number }>): boolean {
  return timings.some((first, index) =>
    timings
      .slice(index + 1)
      .some((second) => first.startedAt < second.finishedAt && second.startedAt < first.finishedAt),
  );
}
