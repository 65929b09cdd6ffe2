import {
  InvalidNameError,
  InvalidObjectIdError,
  MAX_JSON_BYTES,
  ObjectNotFoundError,
  StateJsonError,
  StateNotFoundError,
} from '@state-connector/core';
import { describe, expect, it } from 'vitest';
import { expectThrow } from './expect-error.js';
import { TEST_CLASS, UNKNOWN_OBJECT_IDS, useStore } from './harness.js';
import { buildbotStoredName } from './names-long.js';
import type { ConformanceTarget } from './target.js';
import {
  expectExactRoundTrip,
  expectPath,
  invalidSamples,
  roundTripSamples,
  stringOfJsonBytes,
} from './value-samples.js';

const malformedNames = ['\ud800', 'a\u0000', 1, null] as unknown as string[];

/**
 * Registers the checks of the blocking methods: the same results and errors as the async
 * ones, and values written by one kind visible to the other.
 */
export function describeSyncVariants(target: ConformanceTarget): void {
  describe('sync variants', () => {
    const harness = useStore(target);

    it('getObjectIdSync agrees with getObjectId', async () => {
      const name = harness.uniqueName('sync-object');
      const id = harness.connector.getObjectIdSync(name, TEST_CLASS);
      expect(Number.isSafeInteger(id)).toBe(true);
      expect(id).toBeGreaterThan(0);
      expect(harness.connector.getObjectIdSync(name, TEST_CLASS)).toBe(id);
      expect(await harness.connector.getObjectId(name, TEST_CLASS)).toBe(id);

      const other = await harness.connect();
      expect(await other.getObjectId(name, TEST_CLASS)).toBe(id);
      const asyncName = harness.uniqueName('async-object');
      const asyncId = await other.getObjectId(asyncName, TEST_CLASS);
      expect(harness.connector.getObjectIdSync(asyncName, TEST_CLASS)).toBe(asyncId);
      expect(harness.connector.getObjectIdSync(name, 'OtherClass')).not.toBe(id);
    });

    it('getStateSync defaults and missing names', async () => {
      const id = await harness.newObjectId();
      const error = expectThrow(
        () => harness.connector.getStateSync(id, 'missing'),
        StateNotFoundError,
      );
      expect(error.message).toContain('missing');
      const fallback = { revision: 'abc' };
      expect(harness.connector.getStateSync(id, 'missing', fallback)).toBe(fallback);
      expect(harness.connector.getStateSync(id, 'missing', null)).toBeNull();
      expect(harness.connector.getStateSync(id, 'missing', undefined)).toBeUndefined();

      await harness.connector.setState(id, 'stored-null', null);
      expect(harness.connector.getStateSync(id, 'stored-null')).toBeNull();
      expect(harness.connector.getStateSync(id, 'stored-null', 'default')).toBeNull();
    });

    it('getStateSync rejects corrupt JSON', async () => {
      const id = await harness.newObjectId();
      await harness.store.writeRawState(id, 'broken', '{"a":');
      expectThrow(() => harness.connector.getStateSync(id, 'broken'), StateJsonError);
      expectThrow(() => harness.connector.getStateSync(id, 'broken', 'default'), StateJsonError);
    });

    it('unknown and invalid object ids', async () => {
      const before = await harness.countRows();
      for (const id of UNKNOWN_OBJECT_IDS) {
        expectThrow(() => harness.connector.getStateSync(id, 'name'), StateNotFoundError);
        expect(harness.connector.getStateSync(id, 'name', 'default')).toBe('default');
        const error = expectThrow(
          () => harness.connector.setStateSync(id, 'name', 1),
          ObjectNotFoundError,
        );
        expect(error.message).toContain(String(id));
      }
      for (const id of [0, -1, 1.5, Number.NaN, '1'] as unknown as number[]) {
        expectThrow(() => harness.connector.getStateSync(id, 'name'), InvalidObjectIdError);
        expectThrow(() => harness.connector.setStateSync(id, 'name', 1), InvalidObjectIdError);
      }
      await harness.expectRowsUnchanged(before);
    });

    it('malformed names throw', async () => {
      const id = await harness.newObjectId();
      const before = await harness.countRows();
      for (const name of malformedNames) {
        const connector = harness.connector;
        expectThrow(() => connector.getObjectIdSync(name, TEST_CLASS), InvalidNameError);
        expectThrow(() => connector.getObjectIdSync('valid', name), InvalidNameError);
        expectThrow(() => connector.getStateSync(id, name), InvalidNameError);
        expectThrow(() => connector.setStateSync(id, name, 1), InvalidNameError);
        expectThrow(
          () => connector.setStateSync(UNKNOWN_OBJECT_IDS[0] ?? 0, name, 1),
          InvalidNameError,
        );
      }
      expectThrow(
        () => harness.connector.getObjectIdSync('valid', 'c'.repeat(129)),
        InvalidNameError,
      );
      await harness.expectRowsUnchanged(before);
    });

    it('invalid values throw and write nothing', async () => {
      const id = await harness.newObjectId();
      await harness.connector.setState(id, 'kept', 'before');
      const before = await harness.countRows();
      for (const sample of invalidSamples()) {
        const error = expectThrow(
          () => harness.connector.setStateSync(id, 'kept', sample.value),
          StateJsonError,
        );
        expectPath(error, sample.path);
        expectThrow(
          () => harness.connector.setStateSync(id, 'fresh', sample.value),
          StateJsonError,
        );
      }
      expect(await harness.connector.getState(id, 'kept')).toBe('before');
      expect(await harness.connector.getState(id, 'fresh', 'missing')).toBe('missing');
      await harness.expectRowsUnchanged(before);
    });

    it('values round-trip exactly', async () => {
      const id = await harness.newObjectId();
      const reader = await harness.connect();
      for (const [index, sample] of roundTripSamples().entries()) {
        const syncName = `sync-${index}`;
        expectExactRoundTrip(
          harness.connector.setStateSync(id, syncName, sample.value),
          sample.value,
        );
        expectExactRoundTrip(harness.connector.getStateSync(id, syncName), sample.value);
        expectExactRoundTrip(await reader.getState(id, syncName), sample.value);

        const asyncName = `async-${index}`;
        await reader.setState(id, asyncName, sample.value);
        expectExactRoundTrip(harness.connector.getStateSync(id, asyncName), sample.value);
      }
      expect(Object.is(harness.connector.setStateSync(id, 'zero', -0), 0)).toBe(true);
      expect(Object.is(harness.connector.getStateSync(id, 'zero'), 0)).toBe(true);
    });

    it('setStateSync overwrites and shortens names', async () => {
      const id = await harness.newObjectId();
      expect(harness.connector.setStateSync(id, 'counter', 1)).toBe(1);
      expect(harness.connector.setStateSync(id, 'counter', 2)).toBe(2);
      expect(await harness.connector.getState(id, 'counter')).toBe(2);

      const long = 'L'.repeat(256);
      harness.connector.setStateSync(id, long, 'long');
      expect(await harness.connector.getState(id, long)).toBe('long');
      expect(harness.connector.getStateSync(id, buildbotStoredName(long, 255))).toBe('long');
      expect([...(await harness.connector.listState(id)).keys()]).toContain(
        buildbotStoredName(long, 255),
      );
    });

    it('setStateSync size limit', async () => {
      const id = await harness.newObjectId();
      const exact = stringOfJsonBytes(MAX_JSON_BYTES);
      expect(harness.connector.setStateSync(id, 'large', exact)).toBe(exact);
      const over = stringOfJsonBytes(MAX_JSON_BYTES + 1);
      expectThrow(() => harness.connector.setStateSync(id, 'large', over), StateJsonError);
      expect(await harness.connector.getState(id, 'large')).toBe(exact);
    });
  });
}
