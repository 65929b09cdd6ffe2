import { InvalidNameError } from '@state-connector/core';
import { describe, expect, it } from 'vitest';
import { expectRejection } from './expect-error.js';
import { TEST_CLASS, UNKNOWN_OBJECT_ID, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';

/** Names that are not well-formed strings without U+0000. */
const malformedNames = ['\ud800', 'a\udc00', '\udc00\ud800', '\u0000', 'a\u0000b'];

const nonStringNames: unknown[] = [1, null, undefined, {}, ['a'], Symbol('name'), true];

/** Pairs of `[name, className]` that a naive key joined with a separator would confuse. */
const aliasingPairs: Array<[[string, string], [string, string]]> = [
  [
    ['a:b', 'c'],
    ['a', 'b:c'],
  ],
  [
    ['a/b', 'c'],
    ['a', 'b/c'],
  ],
  [
    ['a.b', 'c'],
    ['a', 'b.c'],
  ],
  [
    ['a\u0001b', 'c'],
    ['a', 'b\u0001c'],
  ],
  [
    ['ab', ''],
    ['a', 'b'],
  ],
  [
    ['', 'ab'],
    ['a', 'b'],
  ],
];

/** Registers the checks of name identity and of the name rules. */
export function describeNames(target: ConformanceTarget): void {
  describe('names', () => {
    const harness = useStore(target);

    it('empty names are allowed', async () => {
      const connector = harness.connector;
      const empty = await connector.getObjectId('', '');
      expect(empty).toBeGreaterThan(0);
      expect(await connector.getObjectId('', TEST_CLASS)).not.toBe(empty);
      expect(await connector.getObjectId('', '')).toBe(empty);

      const id = await harness.newObjectId();
      expect(await connector.setState(id, '', 'empty name')).toBe('empty name');
      expect(await connector.getState(id, '')).toBe('empty name');
      expect([...(await connector.listState(id)).keys()]).toEqual(['']);
      expect(await connector.deleteState(id, '')).toBe(true);
    });

    it('case and normalization make other objects', async () => {
      const suffix = harness.uniqueName('');
      const pairs: Array<[string, string]> = [
        [`Poller${suffix}`, TEST_CLASS],
        [`poller${suffix}`, TEST_CLASS],
        [`POLLER${suffix}`, TEST_CLASS],
        [`caf\u00e9${suffix}`, TEST_CLASS],
        [`cafe\u0301${suffix}`, TEST_CLASS],
        [`Poller${suffix}`, 'gitpoller'],
        [`Poller${suffix}`, 'GitPoller'],
        [`Poller${suffix}`, 'Caf\u00e9'],
        [`Poller${suffix}`, 'Cafe\u0301'],
      ];
      const ids = [];
      for (const [name, className] of pairs) {
        ids.push(await harness.connector.getObjectId(name, className));
      }
      expect(new Set(ids).size).toBe(pairs.length);
    });

    it('case and normalization make other states', async () => {
      const id = await harness.newObjectId();
      const names = ['rev', 'Rev', 'REV', 'caf\u00e9', 'cafe\u0301', 'r\u00e9v ', 'r\u00e9v'];
      for (const [index, name] of names.entries()) {
        await harness.connector.setState(id, name, index);
      }
      for (const [index, name] of names.entries()) {
        expect(await harness.connector.getState(id, name)).toBe(index);
      }
      expect((await harness.connector.listState(id)).size).toBe(names.length);
    });

    it('separators do not alias', async () => {
      const suffix = harness.uniqueName('');
      for (const [[nameA, classA], [nameB, classB]] of aliasingPairs) {
        const first = await harness.connector.getObjectId(nameA + suffix, classA);
        const second = await harness.connector.getObjectId(nameB + suffix, classB);
        expect(second, `${nameA}|${classA} vs ${nameB}|${classB}`).not.toBe(first);
      }
    });

    it('malformed names reject before any I/O', async () => {
      const id = await harness.newObjectId();
      await harness.connector.setState(id, 'kept', 1);
      const before = await harness.countRows();
      let created = 0;
      const create = () => {
        created++;
        return 1;
      };

      for (const name of malformedNames) {
        const connector = harness.connector;
        await expectRejection(connector.getObjectId(name, TEST_CLASS), InvalidNameError);
        await expectRejection(connector.getObjectId('valid', name), InvalidNameError);
        await expectRejection(connector.getState(id, name), InvalidNameError);
        await expectRejection(connector.getState(id, name, 'default'), InvalidNameError);
        await expectRejection(connector.setState(id, name, 1), InvalidNameError);
        await expectRejection(connector.atomicCreateState(id, name, create), InvalidNameError);
        await expectRejection(connector.deleteState(id, name), InvalidNameError);
        // An unknown object would fail on the first read, so the name check came first.
        await expectRejection(connector.setState(UNKNOWN_OBJECT_ID, name, 1), InvalidNameError);
      }
      expect(created).toBe(0);
      expect(await harness.connector.getState(id, 'kept')).toBe(1);
      await harness.expectRowsUnchanged(before);
    });

    it('non-string names reject', async () => {
      const id = await harness.newObjectId();
      const before = await harness.countRows();
      const connector = harness.connector as unknown as Record<
        string,
        (...args: unknown[]) => Promise<unknown>
      >;
      for (const name of nonStringNames) {
        const typeName = typeof name;
        const calls: Array<[string, unknown[]]> = [
          ['getObjectId', [name, TEST_CLASS]],
          ['getObjectId', ['valid', name]],
          ['getState', [id, name]],
          ['getState', [id, name, null]],
          ['setState', [id, name, 1]],
          ['atomicCreateState', [id, name, () => 1]],
          ['deleteState', [id, name]],
        ];
        for (const [method, args] of calls) {
          const promise = Promise.resolve().then(() => connector[method]?.(...args));
          const error = await expectRejection(promise, InvalidNameError);
          expect(error.message, `${method} with a ${typeName}`).toContain(typeName);
        }
      }
      await harness.expectRowsUnchanged(before);
    });
  });
}
