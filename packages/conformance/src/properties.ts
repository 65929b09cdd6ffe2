import { StateJsonError } from '@state-connector/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectRejection } from './expect-error.js';
import { useStore } from './harness.js';
import { anyJsonValue, invalidCase } from './json-arbitraries.js';
import type { ConformanceTarget, ResolvedConformanceOptions } from './target.js';
import { expectExactRoundTrip, expectPath } from './value-samples.js';

/** Registers fast-check properties over generated valid and invalid values. */
export function describeProperties(
  target: ConformanceTarget,
  options: ResolvedConformanceOptions,
): void {
  const runs = options.propertyRuns;

  describe('properties', () => {
    const harness = useStore(target);

    it(`any JSON value round-trips exactly (${runs} runs)`, async () => {
      const id = await harness.newObjectId();
      const reader = await harness.connect();
      let run = 0;
      await fc.assert(
        fc.asyncProperty(anyJsonValue, async (value) => {
          // A few names, so that runs both create and overwrite.
          const name = `value-${run++ % 4}`;
          expectExactRoundTrip(await harness.connector.setState(id, name, value), value);
          expectExactRoundTrip(await reader.getState(id, name), value);
        }),
        { numRuns: runs },
      );
    });

    it(`any invalid value rejects (${runs} runs)`, async () => {
      const id = await harness.newObjectId();
      await harness.connector.setState(id, 'kept', 'before');
      const before = await harness.countRows();
      await fc.assert(
        fc.asyncProperty(invalidCase, async ({ value, path }) => {
          const overwrite = await expectRejection(
            harness.connector.setState(id, 'kept', value),
            StateJsonError,
          );
          expectPath(overwrite, path);
          const create = await expectRejection(
            harness.connector.setState(id, 'fresh', value),
            StateJsonError,
          );
          expectPath(create, path);
          expect(await harness.connector.getState(id, 'kept')).toBe('before');
          expect(await harness.connector.getState(id, 'fresh', 'missing')).toBe('missing');
        }),
        { numRuns: runs },
      );
      await harness.expectRowsUnchanged(before);
    });
  });
}
