import { describe, expect, it } from 'vitest';
import {
  expectFirstWins,
  expectOneObject,
  expectSingleCreation,
  overlapped,
} from '../dist/race-invariants.js';

// The race checks must reject every outcome that breaks the rules, or a race test could
// never fail.
describe('race invariants', () => {
  const a = { caller: 'a' };
  const b = { caller: 'b' };
  const c = { caller: 'c' };

  it('first wins accepts valid outcomes', () => {
    const outcomes = [
      { offered: a, result: a },
      { offered: b, result: a },
      { offered: c, result: c },
    ];
    expect(() => expectFirstWins(outcomes, c, 'valid')).not.toThrow();
  });

  it('first wins accepts a later overwrite', () => {
    // a created the name, c overwrote it, and b read c's value after losing to a.
    const outcomes = [
      { offered: a, result: a },
      { offered: b, result: c },
      { offered: c, result: c },
    ];
    expect(() => expectFirstWins(outcomes, c, 'overwrite')).not.toThrow();
  });

  it('first wins rejects a value that never took effect', () => {
    const outcomes = [
      { offered: a, result: a },
      { offered: b, result: a },
      { offered: c, result: b },
    ];
    expect(() => expectFirstWins(outcomes, a, 'lost value')).toThrow(/took effect/);
  });

  it('first wins rejects a foreign winner', () => {
    const outcomes = [
      { offered: a, result: b },
      { offered: b, result: { caller: 'x' } },
    ];
    expect(() => expectFirstWins(outcomes, a, 'foreign')).toThrow();
  });

  it('first wins rejects an unknown stored value', () => {
    const outcomes = [
      { offered: a, result: a },
      { offered: b, result: b },
    ];
    expect(() => expectFirstWins(outcomes, c, 'stored')).toThrow(/stored/);
  });

  it('single creation accepts valid outcomes', () => {
    const outcomes = [
      { created: [a], result: a },
      { created: [b], result: a },
      { created: [], result: a },
    ];
    expect(() => expectSingleCreation(outcomes, a, 'valid')).not.toThrow();
  });

  it('single creation rejects divergent results', () => {
    const outcomes = [
      { created: [a], result: a },
      { created: [b], result: b },
    ];
    expect(() => expectSingleCreation(outcomes, a, 'divergent')).toThrow(/different/);
  });

  it('single creation rejects a second create call', () => {
    const outcomes = [{ created: [a, b], result: a }];
    expect(() => expectSingleCreation(outcomes, a, 'twice')).toThrow(/more than once/);
  });

  it('single creation rejects an uncreated value', () => {
    const outcomes = [{ created: [a], result: c }];
    expect(() => expectSingleCreation(outcomes, c, 'uncreated')).toThrow(/create/);
  });

  it('one object rejects two ids or rows', () => {
    expect(() => expectOneObject([3, 3, 3], 1, 'valid')).not.toThrow();
    expect(() => expectOneObject([3, 4], 1, 'two ids')).toThrow(/different ids/);
    expect(() => expectOneObject([3, 3], 2, 'two rows')).toThrow(/rows/);
    expect(() => expectOneObject([0, 0], 1, 'zero id')).toThrow(/invalid id/);
  });

  it('overlap needs two intervals that intersect', () => {
    expect(
      overlapped([
        { startedAt: 0, finishedAt: 2 },
        { startedAt: 1, finishedAt: 3 },
      ]),
    ).toBe(true);
    expect(
      overlapped([
        { startedAt: 0, finishedAt: 1 },
        { startedAt: 1, finishedAt: 2 },
      ]),
    ).toBe(false);
  });
});
