import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import type { LineProcess } from './helpers/line-process.js';
import { ProcessGroup, race } from './helpers/process-group.js';
import { expectOk } from './helpers/responses.js';
import type { InteropStore } from './helpers/store.js';

/** Rounds per race; each round uses a new object and new state names. */
const ROUNDS = 8;
/** Buildbot drivers and connector processes that race in every round. */
const PER_SIDE = 2;

function roundName(round: number): string {
  // Every third round uses a name over 128 code points, so both sides shorten it first.
  return round % 3 === 2 ? `race-${round}-${'ü'.repeat(140)}` : `race-${round}-ü`;
}

describeEachBackend('races between Buildbot and connector processes', (backend) => {
  let store: InteropStore;
  const group = new ProcessGroup();
  let participants: LineProcess[] = [];
  let isBuildbot: boolean[] = [];

  beforeAll(async () => {
    store = await backend.createStore();
    const buildbots = await Promise.all(
      Array.from({ length: PER_SIDE }, (_, index) => store.master.startDriver(`buildbot-${index}`)),
    );
    const connectors = await Promise.all(
      Array.from({ length: PER_SIDE }, (_, index) =>
        group.startConnector(store, `connector-${index}`),
      ),
    );
    participants = [...buildbots, ...connectors];
    isBuildbot = participants.map((_, index) => index < PER_SIDE);
  });

  afterAll(async () => {
    await group.closeAll();
    await store?.dispose();
  });

  /** Races every participant to create one object; returns its id and Buildbot's misses. */
  async function raceForObjectId(round: number, className: string) {
    const name = roundName(round);
    const responses = await race(
      participants,
      participants.map(() => ({ op: 'getObjectId', name, className })),
    );
    const ids = responses.map((response) => Number(JSON.parse(expectOk(response).resultJson)));
    expect(new Set(ids).size, `round ${round}: ids ${ids}`).toBe(1);
    // Buildbot's timing hook runs when its first SELECT found no row, just before its INSERT.
    const buildbotInserts = responses.filter((response) => (response.hookCalls ?? 0) > 0).length;
    return { objectId: ids[0] ?? 0, buildbotInserts };
  }

  it('all get the same new object id', async () => {
    let contested = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { objectId, buildbotInserts } = await raceForObjectId(round, 'IdRace');
      const rows = (await store.objects()).filter((row) => row.className === 'IdRace');
      expect(
        rows.filter((row) => row.id === objectId),
        `round ${round}`,
      ).toHaveLength(1);
      expect(rows, `round ${round}`).toHaveLength(round + 1);
      if (buildbotInserts > 1) contested += 1;
    }
    console.info(
      `${backend.name}: both Buildbot drivers tried to insert in ${contested}/${ROUNDS} rounds`,
    );
  });

  it('atomicCreateState stores one value', async () => {
    let contested = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { objectId } = await raceForObjectId(round, 'CreateRace');
      const proposals = participants.map((child) => JSON.stringify({ by: child.label, round }));
      const responses = await race(
        participants,
        proposals.map((valueJson) => ({
          op: 'atomicCreateState',
          objectId,
          name: 'created-once',
          valueJson,
        })),
      );

      const rows = await store.stateRows(objectId);
      expect(rows, `round ${round}`).toHaveLength(1);
      const stored = JSON.parse(rows[0]?.valueJson ?? 'null');
      const winner = proposals.indexOf(JSON.stringify(stored));
      expect(winner, `round ${round}: stored ${rows[0]?.valueJson}`).toBeGreaterThanOrEqual(0);

      const created = responses.map((response) => expectOk(response).created === true);
      for (const [index, response] of responses.entries()) {
        expect(JSON.parse(expectOk(response).resultJson), `${participants[index]?.label}`).toEqual(
          stored,
        );
      }
      expect(created[winner], `round ${round}: the winner ran create`).toBe(true);
      if (created.filter(Boolean).length > 1) contested += 1;
    }
    console.info(`${backend.name}: ${contested}/${ROUNDS} atomicCreateState rounds contested`);
    // A round is contested when more than one caller ran create, so the race really collided.
    expect(contested, 'no round collided; the race proves nothing').toBeGreaterThan(0);
  });

  it('setState creations settle on one value', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { objectId } = await raceForObjectId(round, 'SetRace');
      const proposals = participants.map((child) => JSON.stringify(`${child.label}@${round}`));
      const responses = await race(
        participants,
        proposals.map((valueJson) => ({ op: 'setState', objectId, name: 'set-race', valueJson })),
      );

      const rows = await store.stateRows(objectId);
      expect(rows, `round ${round}`).toHaveLength(1);
      const storedText = JSON.stringify(JSON.parse(rows[0]?.valueJson ?? 'null'));
      expect(proposals, `round ${round}`).toContain(storedText);

      for (const [index, response] of responses.entries()) {
        const result = expectOk(response).resultJson;
        // Buildbot's setState returns nothing; ours returns what was stored after the call.
        if (isBuildbot[index]) expect(result).toBe('null');
        else expect(proposals).toContain(result);
      }
      // The process whose value stayed stored resolved with that value.
      const lastWriter = proposals.indexOf(storedText);
      const lastResponse = responses[lastWriter];
      if (lastResponse !== undefined && !isBuildbot[lastWriter]) {
        expect(expectOk(lastResponse).resultJson, `round ${round}`).toBe(storedText);
      }
    }
  });
});
