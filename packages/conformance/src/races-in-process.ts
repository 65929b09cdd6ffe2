import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StateConnector } from '@state-connector/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_CLASS, useStore } from './harness.js';
import {
  type CreateOutcome,
  expectFirstWins,
  expectOneObject,
  expectOneStateRow,
  expectSingleCreation,
} from './race-invariants.js';
import type { ConformanceTarget, ResolvedConformanceOptions } from './target.js';

/**
 * Registers races between separate connectors in this process, each with its own connection
 * or pool, started together in every round.
 */
export function describeRacesInProcess(
  target: ConformanceTarget,
  options: ResolvedConformanceOptions,
): void {
  const { connectors: count, rounds } = options;

  describe('races in process', () => {
    const harness = useStore(target);
    const connectors: StateConnector[] = [];

    beforeAll(async () => {
      for (let index = 0; index < count; index++) connectors.push(await harness.connect());
    });

    it(`getObjectId on a new pair: ${count} connectors x ${rounds} rounds`, async () => {
      for (let round = 0; round < rounds; round++) {
        const name = harness.uniqueName(`race-pair-${round}`);
        const before = await harness.countRows();
        const ids = await Promise.all(
          connectors.map((connector) => connector.getObjectId(name, TEST_CLASS)),
        );
        const after = await harness.countRows();
        expectOneObject(ids, after.objects - before.objects, `round ${round}`);
      }
    });

    it(`setState on a new name: ${count} connectors x ${rounds} rounds`, async () => {
      const id = await harness.newObjectId();
      for (let round = 0; round < rounds; round++) {
        const name = `race-${round}`;
        const before = await harness.countRows();
        const offered = connectors.map((_, index) => ({
          connector: index,
          round,
          token: randomUUID(),
        }));
        const results = await Promise.all(
          connectors.map((connector, index) => connector.setState(id, name, offered[index])),
        );
        const outcomes = results.map((result, index) => ({ offered: offered[index], result }));
        const stored = await harness.connector.getState(id, name);
        expectFirstWins(outcomes, stored, `round ${round}`);
        expectOneStateRow(before, await harness.countRows(), `round ${round}`);
      }
      expect((await harness.connector.listState(id)).size).toBe(rounds);
    });

    it(`atomicCreateState on a new name: ${count} connectors x ${rounds} rounds`, async () => {
      const id = await harness.newObjectId();
      for (let round = 0; round < rounds; round++) {
        const name = `race-${round}`;
        const before = await harness.countRows();
        const outcomes: CreateOutcome[] = connectors.map(() => ({
          created: [],
          result: undefined,
        }));
        const results = await Promise.all(
          connectors.map((connector, index) =>
            connector.atomicCreateState(id, name, async () => {
              // A short random pause lets other callers pass their read before this one writes.
              await sleep(Math.random() * 3);
              const value = { connector: index, round, token: randomUUID() };
              outcomes[index]?.created.push(value);
              return value;
            }),
          ),
        );
        for (const [index, result] of results.entries()) {
          const outcome = outcomes[index];
          if (outcome !== undefined) outcome.result = result;
        }
        const stored = await harness.connector.getState(id, name);
        expectSingleCreation(outcomes, stored, `round ${round}`);
        expectOneStateRow(before, await harness.countRows(), `round ${round}`);
      }
      expect((await harness.connector.listState(id)).size).toBe(rounds);
    });
  });
}
