import type { Json, SyncTarget } from '@state-connector/core';

/** One operation that every child process runs in one round of a race. */
export type RaceOperation =
  | { kind: 'getObjectId'; name: string; className: string }
  | { kind: 'setState'; objectId: number; stateName: string; value: Json }
  /** `create` returns `value`; the result lists it in `created` if `create` ran. */
  | { kind: 'atomicCreateState'; objectId: number; stateName: string; value: Json }
  /**
   * A burst of writes for load tests: `writes` times, a `setState` on one of four shared
   * names, a `setState` on a name of this process, and a `getObjectId` of a new pair. Errors
   * are collected instead of ending the burst.
   */
  | { kind: 'writeLoad'; objectId: number; label: string; writes: number };

/** Plan of one child process, passed as JSON in its first argument. */
export interface RaceChildPlan {
  /** Module, factory and options from which the child opens its connector. */
  target: SyncTarget;
  /**
   * When true, the child makes one read before its first "ready", so that connecting and
   * migrating happen before the barrier. When false, they race too.
   */
  warmUp: boolean;
  /** One operation per round; the child waits for "go" on stdin before each. */
  rounds: RaceOperation[];
}

/** An error as a child process reports it. */
export interface RaceChildError {
  name: string;
  message: string;
  code?: string;
  /** `code` of the error's `cause`, such as `SQLITE_BUSY`. */
  causeCode?: string;
}

/**
 * When a child ran its operation, in milliseconds since the Unix epoch with fractions, so
 * that the parent can tell whether the operations of one round overlapped.
 */
export interface RaceTiming {
  startedAt: number;
  finishedAt: number;
}

/** One line that a child process prints on stdout, as JSON. */
export type RaceChildMessage =
  | { type: 'ready'; round: number }
  | ({ type: 'result'; round: number; ok: true; value: Json; created: Json[] } & RaceTiming)
  | ({ type: 'result'; round: number; ok: false; error: RaceChildError } & RaceTiming)
  | { type: 'fatal'; error: RaceChildError };

/** The result line of one child process in one round. */
export type RaceResult = Extract<RaceChildMessage, { type: 'result' }>;

/** Turns any thrown value into a {@link RaceChildError}. */
export function toRaceChildError(error: unknown): RaceChildError {
  if (!(error instanceof Error)) return { name: typeof error, message: String(error) };
  const fields = error as Error & { code?: unknown; cause?: unknown };
  const result: RaceChildError = { name: error.name, message: error.message };
  if (typeof fields.code === 'string') result.code = fields.code;
  const causeCode = (fields.cause as { code?: unknown } | undefined)?.code;
  if (typeof causeCode === 'string') result.causeCode = causeCode;
  return result;
}
