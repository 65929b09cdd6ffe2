import { StateJsonError, StateNotFoundError } from '@state-connector/core';
import { describe, expect, it } from 'vitest';
import { expectRejection } from './expect-error.js';
import { TEST_CLASS, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';

const corruptTexts = ['{"a":', 'undefined', "{'a':1}", 'NaN', ''];

// Valid JSON text whose numbers JSON.parse turns into Infinity. Python's json.dumps writes
// such text for a large int, so another client of the same database can store it.
const overflowingTexts = ['1e400', '[1, -1E+309]', `{"n": ${'9'.repeat(400)}}`];

/** Registers the behaviours that Buildbot's state connector defines. */
export function describeBuildbotBehaviours(target: ConformanceTarget): void {
  describe('buildbot behaviours', () => {
    const harness = useStore(target);

    it('getObjectId creates and finds objects', async () => {
      const before = await harness.countRows();
      const name = harness.uniqueName('poller');
      const id = await harness.connector.getObjectId(name, TEST_CLASS);
      expect(Number.isSafeInteger(id)).toBe(true);
      expect(id).toBeGreaterThan(0);
      expect(await harness.connector.getObjectId(name, TEST_CLASS)).toBe(id);

      const other = await harness.connect();
      expect(await other.getObjectId(name, TEST_CLASS)).toBe(id);
      expect(await other.getObjectId(name, 'OtherClass')).not.toBe(id);
      expect(await other.getObjectId(`${name}-2`, TEST_CLASS)).not.toBe(id);
      expect((await harness.countRows()).objects).toBe(before.objects + 3);
    });

    it('getState of a missing name without default', async () => {
      const id = await harness.newObjectId();
      const error = await expectRejection(
        harness.connector.getState(id, 'lastRevision'),
        StateNotFoundError,
      );
      expect(error.message).toContain('lastRevision');
      expect(error.message).toContain(String(id));
    });

    it('getState of a missing name with defaults', async () => {
      const id = await harness.newObjectId();
      const fallback = { revision: 'abc' };
      expect(await harness.connector.getState(id, 'missing', fallback)).toBe(fallback);
      expect(await harness.connector.getState(id, 'missing', 0)).toBe(0);
      expect(await harness.connector.getState(id, 'missing', null)).toBeNull();
      expect(await harness.connector.getState(id, 'missing', undefined)).toBeUndefined();
    });

    it('stored null is a value', async () => {
      const id = await harness.newObjectId();
      expect(await harness.connector.setState(id, 'n', null)).toBeNull();
      expect(await harness.connector.getState(id, 'n')).toBeNull();
      expect(await harness.connector.getState(id, 'n', 'default')).toBeNull();
      expect((await harness.connector.listState(id)).get('n')).toBeNull();
    });

    it('corrupt stored JSON rejects', async () => {
      const id = await harness.newObjectId();
      for (const text of corruptTexts) {
        await harness.store.writeRawState(id, 'broken', text);
        const error = await expectRejection(
          harness.connector.getState(id, 'broken'),
          StateJsonError,
        );
        expect(error).toBeInstanceOf(TypeError);
        expect(error.message).toContain('broken');
        await expectRejection(harness.connector.getState(id, 'broken', 'default'), StateJsonError);
        await expectRejection(harness.connector.getState(id, 'broken', undefined), StateJsonError);
        await expectRejection(harness.connector.listState(id), StateJsonError);
      }
    });

    it('overflowing stored numbers reject', async () => {
      const id = await harness.newObjectId();
      for (const text of overflowingTexts) {
        await harness.store.writeRawState(id, 'huge', text);
        await expectRejection(harness.connector.getState(id, 'huge'), StateJsonError);
        await expectRejection(harness.connector.getState(id, 'huge', 'default'), StateJsonError);
        await expectRejection(harness.connector.listState(id), StateJsonError);

        let created = false;
        const create = () => {
          created = true;
          return 1;
        };
        await expectRejection(
          harness.connector.atomicCreateState(id, 'huge', create),
          StateJsonError,
        );
        expect(created, text).toBe(false);
      }

      // A string that only looks like a huge number is an ordinary value.
      expect(await harness.connector.setState(id, 'text', 'e999 1e400')).toBe('e999 1e400');
      expect(await harness.connector.getState(id, 'text')).toBe('e999 1e400');
    });

    it('corrupt stored JSON can be repaired', async () => {
      const id = await harness.newObjectId();
      await harness.connector.setState(id, 'fine', 1);
      await harness.store.writeRawState(id, 'broken', '{"a":');
      expect(await harness.connector.getState(id, 'fine')).toBe(1);

      let created = 0;
      const create = () => {
        created++;
        return 'new';
      };
      await expectRejection(
        harness.connector.atomicCreateState(id, 'broken', create),
        StateJsonError,
      );
      expect(created).toBe(0);

      expect(await harness.connector.setState(id, 'broken', { repaired: true })).toEqual({
        repaired: true,
      });
      expect(await harness.connector.getState(id, 'broken')).toEqual({ repaired: true });
      await harness.store.writeRawState(id, 'broken', '[');
      expect(await harness.connector.deleteState(id, 'broken')).toBe(true);
      expect(await harness.connector.getState(id, 'broken', 'gone')).toBe('gone');
    });

    it('text written by Buildbot decodes', async () => {
      const id = await harness.newObjectId();
      await harness.store.writeRawState(id, 'dbconfig', '{"text": "h\\u00e9llo", "n": [1, 2, 3]}');
      expect(await harness.connector.getState(id, 'dbconfig')).toEqual({
        text: 'héllo',
        n: [1, 2, 3],
      });
    });

    it('setState overwrites', async () => {
      const id = await harness.newObjectId();
      const before = await harness.countRows();
      const first = { n: 1 };
      const written = await harness.connector.setState(id, 'counter', first);
      expect(written).toEqual(first);
      expect(written).not.toBe(first);
      expect(await harness.connector.setState(id, 'counter', { n: 2 })).toEqual({ n: 2 });
      expect(await harness.connector.getState(id, 'counter')).toEqual({ n: 2 });
      expect(await harness.countRows()).toEqual({
        objects: before.objects,
        state: before.state + 1,
      });
    });

    it('deleteState and listState', async () => {
      const id = await harness.newObjectId();
      expect(await harness.connector.deleteState(id, 'none')).toBe(false);
      for (const name of ['b', 'a', 'c']) await harness.connector.setState(id, name, name);
      expect([...(await harness.connector.listState(id)).entries()]).toEqual([
        ['a', 'a'],
        ['b', 'b'],
        ['c', 'c'],
      ]);
      expect(await harness.connector.deleteState(id, 'b')).toBe(true);
      expect(await harness.connector.deleteState(id, 'b')).toBe(false);
      expect([...(await harness.connector.listState(id)).keys()]).toEqual(['a', 'c']);
      expect(await harness.connector.listState(await harness.newObjectId())).toEqual(new Map());
    });
  });

  describe('buildbot atomicCreateState', () => {
    const harness = useStore(target);

    it('returns an existing value without create', async () => {
      const id = await harness.newObjectId();
      let created = 0;
      const create = () => {
        created++;
        return 'created';
      };
      await harness.connector.setState(id, 'existing', { kept: 1 });
      expect(await harness.connector.atomicCreateState(id, 'existing', create)).toEqual({
        kept: 1,
      });
      await harness.connector.setState(id, 'stored-null', null);
      expect(await harness.connector.atomicCreateState(id, 'stored-null', create)).toBeNull();
      expect(created).toBe(0);
    });

    it('creates a missing value once', async () => {
      const id = await harness.newObjectId();
      const before = await harness.countRows();
      let created = 0;
      const create = async () => {
        created++;
        return { token: 'first' };
      };
      expect(await harness.connector.atomicCreateState(id, 'token', create)).toEqual({
        token: 'first',
      });
      expect(created).toBe(1);
      expect(await harness.connector.atomicCreateState(id, 'token', create)).toEqual({
        token: 'first',
      });
      expect(created).toBe(1);
      expect(await harness.connector.getState(id, 'token')).toEqual({ token: 'first' });
      expect((await harness.countRows()).state).toBe(before.state + 1);
    });

    it('passes the error of create unchanged', async () => {
      const id = await harness.newObjectId();
      const before = await harness.countRows();
      const thrown = new Error('create failed');
      const rejected = new RangeError('create rejected');
      const notAnError = { reason: 'plain object' };
      const creators: Array<() => unknown> = [
        () => {
          throw thrown;
        },
        () => Promise.reject(rejected),
        () => {
          throw notAnError;
        },
      ];
      const expected = [thrown, rejected, notAnError];
      for (const [index, create] of creators.entries()) {
        const error = await harness.connector.atomicCreateState(id, 'value', create).then(
          () => expect.fail('atomicCreateState resolved although create failed'),
          (reason: unknown) => reason,
        );
        expect(error).toBe(expected[index]);
      }
      expect(await harness.connector.getState(id, 'value', 'missing')).toBe('missing');
      await harness.expectRowsUnchanged(before);
    });

    it('rejects a created value that is not JSON', async () => {
      const id = await harness.newObjectId();
      const before = await harness.countRows();
      const results = [undefined, Number.NaN, new Date(0), () => 1, { a: 1n }];
      for (const result of results) {
        const error = await expectRejection(
          harness.connector.atomicCreateState(id, 'value', () => result),
          StateJsonError,
        );
        expect(error.path?.startsWith('value')).toBe(true);
      }
      expect(await harness.connector.getState(id, 'value', 'missing')).toBe('missing');
      await harness.expectRowsUnchanged(before);
    });
  });
}
