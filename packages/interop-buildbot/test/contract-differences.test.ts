import type { AdministeredStateConnector } from '@state-connector/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import type { LineProcess } from './helpers/line-process.js';
import { errorName, expectOk, resultOf } from './helpers/responses.js';
import type { InteropStore } from './helpers/store.js';

const longStateName = `long-${'ñ'.repeat(300)}`;

/** Where Buildbot 3.7 behaves otherwise than our contract, and what our side then does. */
describeEachBackend('Buildbot behaviour outside our contract', (backend) => {
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

  it('Buildbot getState misses long names', async () => {
    const objectId = await connector.getObjectId('long-get', 'Differences');
    await buildbot.value({ op: 'setState', objectId, name: longStateName, valueJson: '1' });
    const [row] = await store.stateRows(objectId);

    // Buildbot's setState shortens, its getState does not: it cannot read its own value back.
    const byFullName = await buildbot.request({ op: 'getState', objectId, name: longStateName });
    expect(errorName(byFullName)).toBe('KeyError');
    const byStoredName = await buildbot.request({
      op: 'getState',
      objectId,
      name: row?.name ?? '',
    });
    expect(resultOf(byStoredName)).toBe(1);
    expect(await connector.getState(objectId, longStateName)).toBe(1);

    // DbConfig reads through the same getState.
    await buildbot.value({ op: 'dbConfigSet', name: longStateName, valueJson: '2' });
    const dbConfig = await buildbot.request({ op: 'dbConfigGet', name: longStateName });
    expect(errorName(dbConfig)).toBe('KeyError');
    const configId = await connector.getObjectId('config', 'DbConfig');
    expect(await connector.getState(configId, longStateName)).toBe(2);
  });

  it('Buildbot atomicCreateState keeps long names', async () => {
    const objectId = await connector.getObjectId('long-create', 'Differences');
    const response = await buildbot.request({
      op: 'atomicCreateState',
      objectId,
      name: longStateName,
      valueJson: '"buildbot"',
    });

    if (backend.name === 'sqlite') {
      // SQLite ignores varchar(255): Buildbot stores the unshortened name, which we never
      // look up, so each side ends up with its own row for one state name.
      expect(resultOf(response)).toBe('buildbot');
      expect((await store.stateRows(objectId)).map((row) => row.name)).toEqual([longStateName]);
      expect(await connector.getState(objectId, longStateName, 'absent')).toBe('absent');
      expect(await connector.atomicCreateState(objectId, longStateName, () => 'ours')).toBe('ours');
      expect(await store.stateRows(objectId)).toHaveLength(2);
      expect([...(await connector.listState(objectId)).keys()]).toContain(longStateName);
    } else {
      // PostgreSQL enforces varchar(255): Buildbot's insert fails and nothing is written.
      expect(errorName(response)).toBe('DataError');
      expect(await store.stateRows(objectId)).toHaveLength(0);
      expect(await connector.atomicCreateState(objectId, longStateName, () => 'ours')).toBe('ours');
      expect(await store.stateRows(objectId)).toHaveLength(1);
    }
  });

  it('stored null counts as missing for Buildbot', async () => {
    const objectId = await connector.getObjectId('null', 'Differences');
    await connector.setState(objectId, 'ours', null);
    await buildbot.value({ op: 'setState', objectId, name: 'theirs', valueJson: 'null' });

    for (const name of ['ours', 'theirs']) {
      // Buildbot runs its create callback, then its INSERT conflicts and it returns the null.
      const response = expectOk(
        await buildbot.request({ op: 'atomicCreateState', objectId, name, valueJson: '"new"' }),
      );
      expect(response.created, name).toBe(true);
      expect(response.resultJson, name).toBe('null');

      let called = false;
      const ours = await connector.atomicCreateState(objectId, name, () => {
        called = true;
        return 'new';
      });
      expect(ours, name).toBeNull();
      expect(called, name).toBe(false);
    }
    const texts = (await store.stateRows(objectId)).map((row) => row.valueJson);
    expect(texts).toEqual(['null', 'null']);
  });

  it('class names over 128 code points', async () => {
    const className = 'C'.repeat(129);
    const response = await buildbot.request({ op: 'getObjectId', name: 'wide', className });
    // Buildbot checks class name lengths on MySQL only.
    expect(errorName(response)).toBe(backend.name === 'sqlite' ? 'ok' : 'DataError');
    await expect(connector.getObjectId('wide', className)).rejects.toMatchObject({
      code: 'INVALID_NAME',
    });
  });

  it('state of an object that does not exist', async () => {
    const objectId = 999_999;
    const response = await buildbot.request({
      op: 'setState',
      objectId,
      name: 'orphan',
      valueJson: '1',
    });
    expect(errorName(response)).toBe('ok');
    await expect(connector.setState(objectId, 'orphan', 2)).rejects.toMatchObject({
      code: 'OBJECT_NOT_FOUND',
    });

    const orphans = await store.stateRows(objectId);
    if (backend.name === 'sqlite') {
      // Buildbot leaves SQLite's foreign keys off, so its row is stored without an object.
      expect(orphans.map((row) => row.valueJson)).toEqual(['1']);
      expect(await connector.getState(objectId, 'orphan')).toBe(1);
    } else {
      // The foreign key rejects the row and Buildbot swallows the IntegrityError.
      expect(orphans).toHaveLength(0);
      expect(await connector.getState(objectId, 'orphan', 'absent')).toBe('absent');
    }
  });
});
