import type { AdministeredStateConnector } from '@state-connector/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import type { LineProcess } from './helpers/line-process.js';
import { expectOk, resultOf } from './helpers/responses.js';
import type { InteropStore } from './helpers/store.js';

/**
 * Each test stops Buildbot in its `_test_timing_hook`, the point between its first read and
 * its INSERT that Buildbot provides for exactly this kind of test, lets our connector write
 * in that window, then lets Buildbot continue into the conflict.
 */
describeEachBackend('writes inside Buildbot race windows', (backend) => {
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

  it('getObjectId agrees after a conflict', async () => {
    const name = 'window-ü-😀';
    const pending = buildbot.send(
      { op: 'getObjectId', name, className: 'Interleaved' },
      { pause: true },
    );
    await pending.paused;

    const ourId = await connector.getObjectId(name, 'Interleaved');
    buildbot.resume(pending.id);
    const response = expectOk(await pending.response);

    expect(response.hookCalls).toBe(1);
    expect(JSON.parse(response.resultJson)).toBe(ourId);
    const rows = (await store.objects()).filter((row) => row.className === 'Interleaved');
    expect(rows).toHaveLength(1);
  });

  it('atomicCreateState returns our value', async () => {
    const objectId = await connector.getObjectId('atomic', 'Interleaved');
    const pending = buildbot.send(
      { op: 'atomicCreateState', objectId, name: 'once', valueJson: '"buildbot"' },
      { pause: true },
    );
    await pending.paused;

    expect(await connector.atomicCreateState(objectId, 'once', () => 'connector')).toBe(
      'connector',
    );
    buildbot.resume(pending.id);
    const response = expectOk(await pending.response);

    expect(response.created).toBe(true);
    expect(JSON.parse(response.resultJson)).toBe('connector');
    const rows = await store.stateRows(objectId);
    expect(rows.map((row) => row.valueJson)).toEqual(['"connector"']);
  });

  it('Buildbot setState loses silently', async () => {
    const objectId = await connector.getObjectId('set', 'Interleaved');
    const pending = buildbot.send(
      { op: 'setState', objectId, name: 'first', valueJson: '"buildbot"' },
      { pause: true },
    );
    // Buildbot's UPDATE matched no row; it is about to INSERT.
    await pending.paused;

    expect(await connector.setState(objectId, 'first', 'connector')).toBe('connector');
    buildbot.resume(pending.id);
    const response = expectOk(await pending.response);

    // Buildbot reports success, but its value was never stored: its INSERT hit our row and
    // it swallowed the IntegrityError. Our setState resolved with what is stored.
    expect(response.resultJson).toBe('null');
    expect(response.hookCalls).toBe(1);
    const rows = await store.stateRows(objectId);
    expect(rows.map((row) => row.valueJson)).toEqual(['"connector"']);
    expect(resultOf(await buildbot.request({ op: 'getState', objectId, name: 'first' }))).toBe(
      'connector',
    );
    expect(await connector.getState(objectId, 'first')).toBe('connector');
  });

  it('our atomicCreateState wins Buildbot setState window', async () => {
    const objectId = await connector.getObjectId('set-vs-create', 'Interleaved');
    const pending = buildbot.send(
      { op: 'setState', objectId, name: 'contested', valueJson: '"buildbot"' },
      { pause: true },
    );
    await pending.paused;

    let calls = 0;
    const created = await connector.atomicCreateState(objectId, 'contested', () => {
      calls += 1;
      return 'connector';
    });
    buildbot.resume(pending.id);
    expectOk(await pending.response);

    expect(created).toBe('connector');
    expect(calls).toBe(1);
    expect(await connector.getState(objectId, 'contested')).toBe('connector');
  });
});
