import { describe } from 'vitest';
import { describeBuildbotBehaviours } from './buildbot-behaviours.js';
import { describeIdsAndClose } from './ids-and-close.js';
import { describeNames } from './names.js';
import { describeLongNames } from './names-long.js';
import { describeProperties } from './properties.js';
import { describeRacesInProcess } from './races-in-process.js';
import { describeRacesMultiProcess } from './races-multi-process.js';
import { describeRejectedValues } from './rejected-values.js';
import { describeSyncVariants } from './sync-variants.js';
import { type ConformanceOptions, type ConformanceTarget, resolveOptions } from './target.js';
import { describeValueFidelity } from './value-fidelity.js';

/**
 * Registers the conformance suite of one adapter as vitest tests, under a top-level
 * `describe` named `conformance: <target.name>`. Call it at the top level of a test file.
 * Each group of tests gets its own store from `target.setup()`.
 *
 * @example
 * ```ts
 * runConformanceSuite({
 *   name: 'sqlite',
 *   async setup() {
 *     // create an empty database and return a ConformanceStore on it
 *   },
 * });
 * ```
 */
export function runConformanceSuite(
  target: ConformanceTarget,
  options: ConformanceOptions = {},
): void {
  const resolved = resolveOptions(options);

  describe(`conformance: ${target.name}`, () => {
    describeBuildbotBehaviours(target);
    describeValueFidelity(target);
    describeRejectedValues(target);
    describeNames(target);
    describeLongNames(target);
    describeIdsAndClose(target);
    describeRacesInProcess(target, resolved);
    describeRacesMultiProcess(target, resolved);
    describeProperties(target, resolved);
    describeSyncVariants(target);
  });
}
