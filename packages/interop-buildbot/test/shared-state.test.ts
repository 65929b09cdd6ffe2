import type { AdministeredStateConnector, Json } from '@state-connector/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import type { LineProcess } from './helpers/line-process.js';
import { errorName, expectOk, resultOf } from './helpers/responses.js';
import type { InteropStore } from './helpers/store.js';

/** Values that JavaScript and Python encode to the same JSON value. */
const values: Array<[string, Json]> = [
  ['null', null],
  ['true', true],
  ['false', false],
  ['zero', 0],
  ['integer', 42],
  ['negative', -7],
  ['fraction', 0.1],
  ['large float', 1e100],
  ['smallest float', 5e-324],
  ['max safe integer', Number.MAX_SAFE_INTEGER],
  ['string', 'plain text'],
  ['empty string', ''],
  ['array', [1, 'two', null, [3, [4]]]],
  ['object', { a: 1, nested: { b: [true, false] }, 'key with space': 'x' }],
  ['empty object', {}],
  ['empty array', []],
  ['special keys', { __proto__: 1, 'a.b': 2, $set: 3 } as Json],
];

describeEachBackend('shared state', (backend) => {
  let store: InteropStore;
  let buildbot: LineProcess;
  let connector: AdministeredStateConnector;

  beforeAll(async () => {
    store = await backend.createStore();
    buildbot = await store.master.startDriver();
    connector = store.connect();
  });

  afterAll(async () => {
    await store?.dispose();
  });

  it('object ids agree in both directions', async () => {
    const buildbotFirst = Number(
      await buildbot.value({ op: 'getObjectId', name: 'poller', className: 'GitPoller' }),
    );
    expect(await connector.getObjectId('poller', 'GitPoller')).toBe(buildbotFirst);

    const ourFirst = await connector.getObjectId('scheduler', 'Nightly');
    const seenByBuildbot = await buildbot.value({
      op: 'getObjectId',
      name: 'scheduler',
      className: 'Nightly',
    });
    expect(seenByBuildbot).toBe(ourFirst);
    expect(ourFirst).not.toBe(buildbotFirst);

    const rows = await store.objects();
    expect(rows.filter((row) => row.name === 'poller')).toHaveLength(1);
    expect(rows.filter((row) => row.name === 'scheduler')).toHaveLength(1);
  });

  it('DbConfig values reach the connector', async () => {
    const pythonText = '{"text": "h\\u00e9llo", "n": [1, 2, 3]}';
    await buildbot.value({ op: 'dbConfigSet', name: 'greeting', valueJson: pythonText });

    const objectId = await connector.getObjectId('config', 'DbConfig');
    expect(await connector.getState(objectId, 'greeting')).toEqual({ text: 'héllo', n: [1, 2, 3] });
    const rows = await store.stateRows(objectId);
    expect(rows.find((row) => row.name === 'greeting')?.valueJson).toBe(pythonText);
  });

  it('connector values reach DbConfig', async () => {
    const objectId = await connector.getObjectId('config', 'DbConfig');
    await connector.setState(objectId, 'workers', { count: 3, names: ['a', 'b', 'c'] });

    const read = await buildbot.value({ op: 'dbConfigGet', name: 'workers' });
    expect(read).toEqual({ count: 3, names: ['a', 'b', 'c'] });
    const missing = await buildbot.request({ op: 'dbConfigGet', name: 'absent' });
    expect(errorName(missing)).toBe('KeyError');
  });

  it('synchronous methods share DbConfig values', async () => {
    // DbConfig is Buildbot's blocking API for master.cfg; ours are the *Sync methods.
    await buildbot.value({ op: 'dbConfigSet', name: 'sync-in', valueJson: '["é", 1]' });

    const objectId = connector.getObjectIdSync('config', 'DbConfig');
    expect(objectId).toBe(await connector.getObjectId('config', 'DbConfig'));
    expect(connector.getStateSync(objectId, 'sync-in')).toEqual(['é', 1]);
    expect(connector.setStateSync(objectId, 'sync-out', { ok: true })).toEqual({ ok: true });
    expect(await buildbot.value({ op: 'dbConfigGet', name: 'sync-out' })).toEqual({ ok: true });
  });

  it('Buildbot values reach the connector', async () => {
    const objectId = Number(
      await buildbot.value({ op: 'getObjectId', name: 'writer', className: 'BuildbotSide' }),
    );
    for (const [name, value] of values) {
      await buildbot.value({ op: 'setState', objectId, name, valueJson: JSON.stringify(value) });
    }

    for (const [name, value] of values) {
      expect(await connector.getState(objectId, name), name).toEqual(value);
    }
    const listed = await connector.listState(objectId);
    expect(Object.fromEntries(listed)).toEqual(Object.fromEntries(values));
  });

  it('connector values reach Buildbot', async () => {
    const objectId = await connector.getObjectId('writer', 'ConnectorSide');
    for (const [name, value] of values) await connector.setState(objectId, name, value);

    for (const [name, value] of values) {
      const response = await buildbot.request({ op: 'getState', objectId, name });
      expect(errorName(response), name).toBe('ok');
      expect(resultOf(response), name).toEqual(value);
    }
  });

  it('overwrites are visible both ways', async () => {
    const objectId = await connector.getObjectId('counter', 'Overwrites');
    for (let round = 0; round < 5; round++) {
      await connector.setState(objectId, 'n', round * 2);
      expect(await buildbot.value({ op: 'getState', objectId, name: 'n' })).toBe(round * 2);
      await buildbot.value({ op: 'setState', objectId, name: 'n', valueJson: `${round * 2 + 1}` });
      expect(await connector.getState(objectId, 'n')).toBe(round * 2 + 1);
    }
    const rows = await store.stateRows(objectId);
    expect(rows).toHaveLength(1);
  });

  it('missing state reads alike', async () => {
    const objectId = await connector.getObjectId('empty', 'Missing');

    const buildbotMissing = await buildbot.request({ op: 'getState', objectId, name: 'none' });
    expect(errorName(buildbotMissing)).toBe('KeyError');
    await expect(connector.getState(objectId, 'none')).rejects.toMatchObject({
      code: 'STATE_NOT_FOUND',
    });

    const withDefault = { op: 'getState', objectId, name: 'none', defaultJson: '"d"' } as const;
    expect(await buildbot.value(withDefault)).toBe('d');
    expect(await connector.getState(objectId, 'none', 'd')).toBe('d');
  });

  it('deleted state is missing for Buildbot', async () => {
    const objectId = await connector.getObjectId('deleted', 'Missing');
    await buildbot.value({ op: 'setState', objectId, name: 'gone', valueJson: '1' });

    expect(await connector.deleteState(objectId, 'gone')).toBe(true);
    const response = await buildbot.request({ op: 'getState', objectId, name: 'gone' });
    expect(errorName(response)).toBe('KeyError');
  });

  it('atomicCreateState sees the other side', async () => {
    const objectId = await connector.getObjectId('created', 'AtomicCreate');

    const ours = await connector.atomicCreateState(objectId, 'ours', () => 'from connector');
    expect(ours).toBe('from connector');
    const buildbotView = await buildbot.request({
      op: 'atomicCreateState',
      objectId,
      name: 'ours',
      valueJson: '"from buildbot"',
    });
    expect(resultOf(buildbotView)).toBe('from connector');
    expect(expectOk(buildbotView).created).toBe(false);

    const theirs = await buildbot.value({
      op: 'atomicCreateState',
      objectId,
      name: 'theirs',
      valueJson: '"from buildbot"',
    });
    expect(theirs).toBe('from buildbot');
    let called = false;
    const ourView = await connector.atomicCreateState(objectId, 'theirs', () => {
      called = true;
      return 'from connector';
    });
    expect(ourView).toBe('from buildbot');
    expect(called).toBe(false);
  });
});
