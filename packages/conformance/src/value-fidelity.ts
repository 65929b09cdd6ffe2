import { MAX_JSON_BYTES, MAX_JSON_DEPTH, StateJsonError } from '@state-connector/core';
import { describe, expect, it } from 'vitest';
import { expectRejection } from './expect-error.js';
import { useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';
import {
  expectExactRoundTrip,
  expectPath,
  nestArrays,
  nestObjects,
  roundTripSamples,
  stringOfJsonBytes,
} from './value-samples.js';

/** Registers the checks that values come back exactly as they were written. */
export function describeValueFidelity(target: ConformanceTarget): void {
  describe('value fidelity', () => {
    const harness = useStore(target);

    for (const sample of roundTripSamples()) {
      it(`round trip: ${sample.label}`, async () => {
        const id = await harness.newObjectId();
        expectExactRoundTrip(
          await harness.connector.setState(id, 'value', sample.value),
          sample.value,
        );
        expectExactRoundTrip(await harness.connector.getState(id, 'value'), sample.value);
        expectExactRoundTrip((await harness.connector.listState(id)).get('value'), sample.value);

        const reader = await harness.connect();
        expectExactRoundTrip(await reader.getState(id, 'value'), sample.value);
      });
    }

    it('-0 is stored as 0', async () => {
      const id = await harness.newObjectId();
      expect(Object.is(await harness.connector.setState(id, 'zero', -0), 0)).toBe(true);
      expect(Object.is(await harness.connector.getState(id, 'zero'), 0)).toBe(true);

      await harness.connector.setState(id, 'nested', [-0, { z: -0 }]);
      const nested = (await harness.connector.getState(id, 'nested')) as [number, { z: number }];
      expect(Object.is(nested[0], 0)).toBe(true);
      expect(Object.is(nested[1].z, 0)).toBe(true);
    });

    it('getState returns a fresh copy', async () => {
      const id = await harness.newObjectId();
      await harness.connector.setState(id, 'list', { items: [1, 2] });
      const first = (await harness.connector.getState(id, 'list')) as { items: number[] };
      first.items.push(3);
      const second = await harness.connector.getState(id, 'list');
      expect(second).toEqual({ items: [1, 2] });
      expect(second).not.toBe(first);
    });

    it('text of exactly MAX_JSON_BYTES passes', async () => {
      const id = await harness.newObjectId();
      const value = stringOfJsonBytes(MAX_JSON_BYTES);
      expect(Buffer.byteLength(JSON.stringify(value), 'utf8')).toBe(MAX_JSON_BYTES);
      expect(await harness.connector.setState(id, 'large', value)).toBe(value);
      expect(await harness.connector.getState(id, 'large')).toBe(value);
    });

    it('text one byte over MAX_JSON_BYTES rejects', async () => {
      const id = await harness.newObjectId();
      await harness.connector.setState(id, 'large', 'before');
      const before = await harness.countRows();
      const value = stringOfJsonBytes(MAX_JSON_BYTES + 1);

      const error = await expectRejection(
        harness.connector.setState(id, 'large', value),
        StateJsonError,
      );
      expectPath(error, 'value');
      expect(error.message).toContain(String(MAX_JSON_BYTES));
      await expectRejection(harness.connector.setState(id, 'new', value), StateJsonError);
      await expectRejection(
        harness.connector.atomicCreateState(id, 'new', () => value),
        StateJsonError,
      );

      expect(await harness.connector.getState(id, 'large')).toBe('before');
      expect(await harness.connector.getState(id, 'new', 'missing')).toBe('missing');
      await harness.expectRowsUnchanged(before);
    });

    it('nesting of MAX_JSON_DEPTH passes', async () => {
      const id = await harness.newObjectId();
      for (const value of [nestArrays(MAX_JSON_DEPTH), nestObjects(MAX_JSON_DEPTH)]) {
        expectExactRoundTrip(await harness.connector.setState(id, 'deep', value), value);
        expectExactRoundTrip(await harness.connector.getState(id, 'deep'), value);
      }
    });

    it('nesting over MAX_JSON_DEPTH rejects', async () => {
      const id = await harness.newObjectId();
      const before = await harness.countRows();
      const arrays = await expectRejection(
        harness.connector.setState(id, 'deep', nestArrays(MAX_JSON_DEPTH + 1)),
        StateJsonError,
      );
      expectPath(arrays, `value${'[0]'.repeat(MAX_JSON_DEPTH)}`);
      const objects = await expectRejection(
        harness.connector.setState(id, 'deep', nestObjects(MAX_JSON_DEPTH + 1)),
        StateJsonError,
      );
      expectPath(objects, `value${'.a'.repeat(MAX_JSON_DEPTH)}`);
      expect(await harness.connector.getState(id, 'deep', 'missing')).toBe('missing');
      await harness.expectRowsUnchanged(before);
    });
  });
}
