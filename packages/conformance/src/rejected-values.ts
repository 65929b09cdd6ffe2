import { StateJsonError } from '@state-connector/core';
import { describe, expect, it } from 'vitest';
import { expectRejection } from './expect-error.js';
import { UNKNOWN_OBJECT_ID, useStore } from './harness.js';
import type { ConformanceTarget } from './target.js';
import { expectPath, invalidSamples } from './value-samples.js';

/** Registers the checks that every kind of invalid value rejects and writes nothing. */
export function describeRejectedValues(target: ConformanceTarget): void {
  describe('rejected values', () => {
    const harness = useStore(target);

    for (const sample of invalidSamples()) {
      it(`rejects ${sample.label}`, async () => {
        const id = await harness.newObjectId();
        await harness.connector.setState(id, 'kept', 'before');
        const before = await harness.countRows();

        const overwrite = await expectRejection(
          harness.connector.setState(id, 'kept', sample.value),
          StateJsonError,
        );
        expect(overwrite).toBeInstanceOf(TypeError);
        expectPath(overwrite, sample.path);

        const create = await expectRejection(
          harness.connector.setState(id, 'fresh', sample.value),
          StateJsonError,
        );
        expectPath(create, sample.path);

        const created = await expectRejection(
          harness.connector.atomicCreateState(id, 'fresh', () => sample.value),
          StateJsonError,
        );
        expectPath(created, sample.path);

        expect(await harness.connector.getState(id, 'kept')).toBe('before');
        expect(await harness.connector.getState(id, 'fresh', 'missing')).toBe('missing');
        await harness.expectRowsUnchanged(before);
      });
    }

    it('checks the value before the object id', async () => {
      const before = await harness.countRows();
      for (const sample of invalidSamples()) {
        await expectRejection(
          harness.connector.setState(UNKNOWN_OBJECT_ID, 'fresh', sample.value),
          StateJsonError,
        );
      }
      await harness.expectRowsUnchanged(before);
    });
  });
}
