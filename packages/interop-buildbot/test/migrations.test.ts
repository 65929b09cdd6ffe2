import { afterEach, expect, it } from 'vitest';
import { describeEachBackend } from './helpers/backends.js';
import { ProcessGroup, race } from './helpers/process-group.js';
import { resultOf } from './helpers/responses.js';
import { diffSchemas, duplicateIndexes, stateTablesOnly } from './helpers/schema.js';
import type { InteropStore } from './helpers/store.js';

const stateTables = ['objects', 'object_state'];

/**
 * drizzle's journal, which our migrations add next to Buildbot's tables. On SQLite its
 * AUTOINCREMENT key also creates the internal table `sqlite_sequence`.
 */
const journalEntry = /__drizzle_migrations|sqlite_sequence/;

const longName = `migrated-${'é'.repeat(300)}`;

describeEachBackend('migrations on a shared database', (backend) => {
  let store: InteropStore | undefined;
  let processes = new ProcessGroup();

  afterEach(async () => {
    await processes.closeAll();
    processes = new ProcessGroup();
    await store?.dispose();
    store = undefined;
  });

  it('accept a database Buildbot created', async () => {
    store = await backend.createStore();
    const buildbot = await store.master.startDriver();
    await buildbot.value({ op: 'dbConfigSet', name: longName, valueJson: '"before"' });
    const before = await store.schema();
    expect(duplicateIndexes(before)).toEqual([]);

    // Two host processes start together; the first call of each runs the migrations.
    const hosts = await Promise.all([
      processes.startConnector(store, 'host-0'),
      processes.startConnector(store, 'host-1'),
    ]);
    const first = { op: 'getObjectId', name: 'host', className: 'Migrations' } as const;
    const ids = (await race(hosts, [first, first])).map(resultOf);
    expect(ids[0]).toBe(ids[1]);
    await processes.closeAll();
    const after = await store.schema();

    const diff = diffSchemas(before, after);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(diff.added.filter((key) => !journalEntry.test(key))).toEqual([]);
    expect(duplicateIndexes(after)).toEqual([]);
    expect(stateTablesOnly(after)).toEqual(stateTablesOnly(before));

    // alembic's comparison against Buildbot's model, as Buildbot's own tests run it.
    expect(await buildbot.value({ op: 'compareModel', tables: stateTables })).toEqual([]);
    await buildbot.close();

    const upgrade = await store.master.upgrade();
    expect(upgrade.code, upgrade.output).toBe(0);

    const restarted = await store.master.startDriver('buildbot-after-upgrade');
    const configId = await store.connect().getObjectId('config', 'DbConfig');
    const dbConfigRow = (await store.stateRows(configId))[0];
    const read = await restarted.request({
      op: 'getState',
      objectId: configId,
      name: dbConfigRow?.name ?? '',
    });
    expect(resultOf(read)).toBe('before');
    await restarted.value({ op: 'dbConfigSet', name: 'after', valueJson: '"upgraded"' });
    expect(await store.connect().getState(configId, 'after')).toBe('upgraded');
    expect(await store.connect().getState(configId, longName)).toBe('before');
  });

  it('leave Buildbot a database we created', async () => {
    store = await backend.createStore({ empty: true });
    const connector = store.connect();
    await connector.migrate();
    const objectId = await connector.getObjectId('host-first', 'Migrations');
    await connector.setState(objectId, longName, { written: 'by connector' });
    const ours = stateTablesOnly(await store.schema());

    const upgrade = await store.master.upgrade();
    expect(upgrade.code, upgrade.output).toBe(0);
    const after = await store.schema();
    expect(duplicateIndexes(after)).toEqual([]);
    // Buildbot's create_all skips tables that exist, so the state tables stay ours.
    expect(stateTablesOnly(after)).toEqual(ours);

    const buildbot = await store.master.startDriver();
    const seen = await buildbot.value({
      op: 'getObjectId',
      name: 'host-first',
      className: 'Migrations',
    });
    expect(seen).toBe(objectId);
    const storedName = (await store.stateRows(objectId))[0]?.name ?? '';
    const read = await buildbot.request({ op: 'getState', objectId, name: storedName });
    expect(resultOf(read)).toEqual({ written: 'by connector' });
    await buildbot.value({ op: 'setState', objectId, name: 'from-buildbot', valueJson: '[1]' });
    expect(await connector.getState(objectId, 'from-buildbot')).toEqual([1]);

    const differences = await buildbot.value({ op: 'compareModel', tables: stateTables });
    expect(differences).toEqual([]);
  });

  it('duplicate index check finds one', async () => {
    store = await backend.createStore();
    await store.connect().migrate();
    expect(duplicateIndexes(await store.schema())).toEqual([]);

    // What a migration that ignored Buildbot's index of that name would leave behind.
    await store.execute('CREATE UNIQUE INDEX objects_identity_copy ON objects (name, class_name)');
    expect(duplicateIndexes(await store.schema())).toEqual([
      'objects(name, class_name) unique: object_identity, objects_identity_copy',
    ]);
  });
});
