import {
  type RaceChildPlan,
  type RaceResult,
  TEST_CLASS,
  withRaceProcesses,
} from '@state-connector/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStateConnector } from '../dist/index.js';
import { ADAPTER_MODULE, countTable, fileUrl, makeTempDir, removeTempDir } from './sqlite-store.js';

const PROCESSES = 4;
const LOAD_ROUNDS = 2;
const WRITES_PER_ROUND = 40;
const MIGRATION_ROUNDS = 3;
const TIMEOUT_MS = 120_000;

function target(url: string): RaceChildPlan['target'] {
  return { module: ADAPTER_MODULE, exportName: 'createSqliteStateConnector', options: { url } };
}

function expectSuccess(result: RaceResult | undefined, label: string) {
  if (result === undefined || !result.ok) {
    expect.fail(`${label}: ${JSON.stringify(result)}`);
  }
  return result;
}

describe('sqlite across processes', () => {
  let dir = '';

  beforeAll(async () => {
    dir = await makeTempDir();
  });

  afterAll(async () => {
    await removeTempDir(dir);
  });

  it(`write load never fails: ${PROCESSES} processes x ${LOAD_ROUNDS} rounds x ${WRITES_PER_ROUND} writes`, {
    timeout: TIMEOUT_MS,
  }, async () => {
    const url = fileUrl(dir, 'load.db');
    const setup = createSqliteStateConnector({ url });
    const id = await setup.getObjectId('load', TEST_CLASS);

    const plans = Array.from(
      { length: PROCESSES },
      (_, process): RaceChildPlan => ({
        target: target(url),
        warmUp: true,
        rounds: Array.from({ length: LOAD_ROUNDS }, (_, round) => ({
          kind: 'writeLoad',
          objectId: id,
          label: `p${process}r${round}`,
          writes: WRITES_PER_ROUND,
        })),
      }),
    );

    try {
      await withRaceProcesses(plans, TIMEOUT_MS, async (group) => {
        for (let round = 0; round < LOAD_ROUNDS; round++) {
          const results = await group.runRound();
          for (const [index, result] of results.entries()) {
            const { value } = expectSuccess(result, `process ${index} round ${round}`);
            // Failures and their first errors, such as SQLITE_BUSY, are in the value.
            expect(value, `process ${index} round ${round}`).toMatchObject({
              operations: WRITES_PER_ROUND * 3,
              failures: 0,
            });
          }
        }
      });

      const state = await setup.listState(id);
      expect(state.size).toBe(4 + PROCESSES * LOAD_ROUNDS * WRITES_PER_ROUND);
      for (let process = 0; process < PROCESSES; process++) {
        expect(state.get(`p${process}r1-${WRITES_PER_ROUND - 1}`)).toBe(WRITES_PER_ROUND - 1);
      }
      expect(await countTable(url, 'objects')).toBe(1 + PROCESSES * LOAD_ROUNDS * WRITES_PER_ROUND);
    } finally {
      await setup.close();
    }
  });

  it(`migrations run once: ${PROCESSES} processes x ${MIGRATION_ROUNDS} new files`, {
    timeout: TIMEOUT_MS,
  }, async () => {
    for (let round = 0; round < MIGRATION_ROUNDS; round++) {
      const url = fileUrl(dir, `migrate-${round}.db`);
      // No warm-up: every process migrates the new file after the barrier.
      const plans = Array.from(
        { length: PROCESSES },
        (): RaceChildPlan => ({
          target: target(url),
          warmUp: false,
          rounds: [{ kind: 'getObjectId', name: 'first', className: TEST_CLASS }],
        }),
      );
      const results = await withRaceProcesses(plans, TIMEOUT_MS, (group) => group.runRound());

      const ids = results.map((result, index) => expectSuccess(result, `process ${index}`).value);
      expect(new Set(ids).size, `round ${round}`).toBe(1);
      expect(await countTable(url, '__drizzle_migrations'), `round ${round}`).toBe(1);
      expect(await countTable(url, 'objects'), `round ${round}`).toBe(1);
    }
  });
});
