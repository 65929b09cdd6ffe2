import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type Harness, TEST_CLASS, useStore } from './harness.js';
import {
  expectFirstWins,
  expectOneObject,
  expectOneStateRow,
  expectSingleCreation,
  overlapped,
} from './race-invariants.js';
import { withRaceProcesses } from './race-processes.js';
import type { RaceChildPlan, RaceOperation, RaceResult } from './race-protocol.js';
import type { ConformanceTarget, ResolvedConformanceOptions } from './target.js';

/** Fails with the child's error when a result is not a success, and returns its value. */
function expectSuccess(result: RaceResult, label: string): Extract<RaceResult, { ok: true }> {
  if (!result.ok) {
    const { name, code, message } = result.error;
    expect.fail(`${label}: ${name}${code === undefined ? '' : ` (${code})`}: ${message}`);
  }
  return result;
}

/** Checks that the operations of at least one round ran at the same time. */
function expectCollisions(collisions: number): void {
  expect(collisions, 'no round ran two operations at the same time').toBeGreaterThan(0);
}

/** Builds one plan per process from `operation(process, round)`. */
function plansFor(
  harness: Harness,
  options: ResolvedConformanceOptions,
  operation: (process: number, round: number) => RaceOperation,
): RaceChildPlan[] {
  return Array.from({ length: options.processes }, (_, process) => ({
    target: harness.store.processTarget,
    warmUp: true,
    rounds: Array.from({ length: options.processRounds }, (_, round) => operation(process, round)),
  }));
}

/**
 * Registers races between OS processes, each with its own connector, released together by
 * a barrier in every round.
 */
export function describeRacesMultiProcess(
  target: ConformanceTarget,
  options: ResolvedConformanceOptions,
): void {
  const { processes, processRounds: rounds, processTimeoutMs: timeoutMs } = options;

  describe('races across processes', () => {
    const harness = useStore(target);

    it(`getObjectId on a new pair: ${processes} processes x ${rounds} rounds`, {
      timeout: timeoutMs,
    }, async () => {
      const names = Array.from({ length: rounds }, (_, round) =>
        harness.uniqueName(`process-pair-${round}`),
      );
      const plans = plansFor(harness, options, (_, round) => ({
        kind: 'getObjectId',
        name: names[round] ?? '',
        className: TEST_CLASS,
      }));

      let collisions = 0;
      await withRaceProcesses(plans, timeoutMs, async (group) => {
        for (let round = 0; round < rounds; round++) {
          const before = await harness.countRows();
          const results = await group.runRound();
          if (overlapped(results)) collisions++;
          const after = await harness.countRows();
          const ids = results.map(
            (result, index) => expectSuccess(result, `process ${index}`).value,
          );
          expectOneObject(ids, after.objects - before.objects, `round ${round}`);
          expect(await harness.connector.getObjectId(names[round] ?? '', TEST_CLASS)).toBe(ids[0]);
        }
      });
      expectCollisions(collisions);
    });

    it(`setState on a new name: ${processes} processes x ${rounds} rounds`, {
      timeout: timeoutMs,
    }, async () => {
      const id = await harness.newObjectId();
      const plans = plansFor(harness, options, (process, round) => ({
        kind: 'setState',
        objectId: id,
        stateName: `race-${round}`,
        value: { process, round, token: randomUUID() },
      }));

      let collisions = 0;
      await withRaceProcesses(plans, timeoutMs, async (group) => {
        for (let round = 0; round < rounds; round++) {
          const before = await harness.countRows();
          const results = await group.runRound();
          if (overlapped(results)) collisions++;
          const outcomes = results.map((result, index) => {
            const operation = plans[index]?.rounds[round];
            const offered = operation?.kind === 'setState' ? operation.value : undefined;
            return { offered, result: expectSuccess(result, `process ${index}`).value };
          });
          const stored = await harness.connector.getState(id, `race-${round}`);
          expectFirstWins(outcomes, stored, `round ${round}`);
          expectOneStateRow(before, await harness.countRows(), `round ${round}`);
        }
      });
      expectCollisions(collisions);
      expect((await harness.connector.listState(id)).size).toBe(rounds);
    });

    it(`atomicCreateState on a new name: ${processes} processes x ${rounds} rounds`, {
      timeout: timeoutMs,
    }, async () => {
      const id = await harness.newObjectId();
      const plans = plansFor(harness, options, (process, round) => ({
        kind: 'atomicCreateState',
        objectId: id,
        stateName: `race-${round}`,
        value: { process, round, token: randomUUID() },
      }));

      let collisions = 0;
      await withRaceProcesses(plans, timeoutMs, async (group) => {
        for (let round = 0; round < rounds; round++) {
          const before = await harness.countRows();
          const results = await group.runRound();
          if (overlapped(results)) collisions++;
          const outcomes = results.map((result, index) => {
            const { value, created } = expectSuccess(result, `process ${index}`);
            return { result: value, created };
          });
          const stored = await harness.connector.getState(id, `race-${round}`);
          expectSingleCreation(outcomes, stored, `round ${round}`);
          expectOneStateRow(before, await harness.countRows(), `round ${round}`);
        }
      });
      expectCollisions(collisions);
      expect((await harness.connector.listState(id)).size).toBe(rounds);
    });
  });
}
