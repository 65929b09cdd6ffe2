export { expectRejection, expectThrow } from './expect-error.js';
export { TEST_CLASS } from './harness.js';
export { RACE_CHILD_PATH, RaceProcesses, withRaceProcesses } from './race-processes.js';
export type {
  RaceChildError,
  RaceChildMessage,
  RaceChildPlan,
  RaceOperation,
  RaceResult,
} from './race-protocol.js';
export { skipUnlessAvailable } from './skip.js';
export { runConformanceSuite } from './suite.js';
export type {
  ConformanceOptions,
  ConformanceStore,
  ConformanceTarget,
  ResolvedConformanceOptions,
  RowCounts,
} from './target.js';
