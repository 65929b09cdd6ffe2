import { createHash } from 'node:crypto';
import { InvalidNameError } from '@state-connector/core';
import { describe, expect, it } from 'vitest';
import { expectRejection } from './expect-error.js';
import { TEST_CLASS, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';

const OBJECT_NAME_MAX = 128;
const STATE_NAME_MAX = 255;

/**
 * Returns the name that Buildbot stores for `name` in a column of `max` code points: the
 * name itself if it fits, and otherwise its first `floor(max / 2)` code points followed by
 * the SHA-1 hex digest of the whole name's UTF-8 bytes.
 */
export function buildbotStoredName(name: string, max: number): string {
  const codePoints = [...name];
  if (codePoints.length <= max) return name;
  return codePoints.slice(0, Math.floor(max / 2)).join('') + sha1Hex(name);
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(Buffer.from(text, 'utf8')).digest('hex');
}

/** Returns a name of `length` code points made of `unit`, with a unique prefix. */
function nameOfLength(prefix: string, unit: string, length: number): string {
  const prefixLength = [...prefix].length;
  return prefix + unit.repeat(length - prefixLength);
}

/** Registers the checks of name lengths and of Buildbot's shortening of long names. */
export function describeLongNames(target: ConformanceTarget): void {
  describe('long names', () => {
    const harness = useStore(target);

    for (const [unitLabel, unit] of [
      ['ASCII', 'n'],
      ['astral', '😀'],
    ] as const) {
      for (const length of [127, 128, 129, 300]) {
        it(`object name of ${length} ${unitLabel} code points`, async () => {
          const name = nameOfLength(harness.uniqueName('o'), unit, length);
          const stored = buildbotStoredName(name, OBJECT_NAME_MAX);
          const id = await harness.connector.getObjectId(name, TEST_CLASS);

          const other = await harness.connect();
          expect(await other.getObjectId(stored, TEST_CLASS)).toBe(id);
          expect(await other.getObjectId(name, TEST_CLASS)).toBe(id);
          if (length <= OBJECT_NAME_MAX) {
            // The shortened form is another object when the name fits.
            const hashed = [...name].slice(0, 64).join('') + sha1Hex(name);
            expect(await other.getObjectId(hashed, TEST_CLASS)).not.toBe(id);
          } else {
            expect([...stored]).toHaveLength(64 + 40);
          }
        });
      }

      for (const length of [254, 255, 256, 400]) {
        it(`state name of ${length} ${unitLabel} code points`, async () => {
          const id = await harness.newObjectId();
          const name = nameOfLength('s', unit, length);
          const stored = buildbotStoredName(name, STATE_NAME_MAX);
          if (length > STATE_NAME_MAX) expect([...stored]).toHaveLength(127 + 40);

          expect(await harness.connector.setState(id, name, length)).toBe(length);
          expect(await harness.connector.getState(id, name)).toBe(length);
          expect([...(await harness.connector.listState(id)).keys()]).toEqual([stored]);
          expect(await harness.connector.getState(id, stored)).toBe(length);
          expect(await harness.connector.atomicCreateState(id, name, () => 'new')).toBe(length);
          expect(await harness.connector.deleteState(id, name)).toBe(true);
          expect(await harness.connector.getState(id, stored, 'gone')).toBe('gone');
        });
      }
    }

    it('long names with one head differ by digest', async () => {
      const head = harness.uniqueName('same-head').padEnd(200, 'h');
      const first = await harness.connector.getObjectId(`${head}-1`, TEST_CLASS);
      const second = await harness.connector.getObjectId(`${head}-2`, TEST_CLASS);
      expect(second).not.toBe(first);

      const id = await harness.newObjectId();
      const stateHead = 's'.repeat(300);
      await harness.connector.setState(id, `${stateHead}1`, 1);
      await harness.connector.setState(id, `${stateHead}2`, 2);
      expect(await harness.connector.getState(id, `${stateHead}1`)).toBe(1);
      expect(await harness.connector.getState(id, `${stateHead}2`)).toBe(2);
    });

    it('class names up to 128 code points', async () => {
      for (const unit of ['c', '😀']) {
        const className = unit.repeat(OBJECT_NAME_MAX);
        const name = harness.uniqueName('class-length');
        const id = await harness.connector.getObjectId(name, className);
        const other = await harness.connect();
        expect(await other.getObjectId(name, className)).toBe(id);
      }
    });

    it('class name over 128 code points rejects', async () => {
      const before = await harness.countRows();
      for (const className of ['c'.repeat(129), '😀'.repeat(129), 'c'.repeat(1000)]) {
        const error = await expectRejection(
          harness.connector.getObjectId(harness.uniqueName('long-class'), className),
          InvalidNameError,
        );
        expect(error).toBeInstanceOf(TypeError);
      }
      await harness.expectRowsUnchanged(before);
    });
  });
}
