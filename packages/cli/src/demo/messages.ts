/** Object that every demo process registers, as a scheduler of a cluster would. */
export const DEMO_OBJECT = { name: 'nightly', className: 'state-connector.demo.Scheduler' };

/** State name of the secret that exactly one demo process creates. */
export const SECRET_STATE = 'clusterSecret';

/** State name that every demo process overwrites with its latest run. */
export const LAST_RUN_STATE = 'lastRun';

/** Returns the state name under which `host` records its own runs. */
export function runsStateName(host: string): string {
  return `runs.${host}`;
}

/** One run that a demo process recorded. */
export interface RunRecord {
  host: string;
  /** Random id of one demo invocation, so that runs of earlier demos are not counted. */
  session: string;
  run: number;
  at: string;
}

/** Messages from the demo command to a worker process. */
export type ParentMessage =
  | { type: 'start'; url: string; host: string; session: string; runs: number }
  | { type: 'go'; startAt: number }
  | { type: 'verify'; hosts: string[] };

/** Result of a worker's own runs. */
export interface WorkerResult {
  host: string;
  pid: number;
  objectId: number;
  /** First hex digits of the SHA-256 of the secret; the secret itself never leaves the store. */
  secretFingerprint: string;
  /** True when this worker's value became the secret. */
  createdSecret: boolean;
  runsRecorded: number;
}

/** A worker's view of the store once every worker has finished its runs. */
export interface WorkerCheck {
  /** Fingerprint of the secret read again at the end, or null if it was missing. */
  secretFingerprintAfter: string | null;
  runsVisible: number;
  lastRun: RunRecord | null;
}

/** Messages from a worker process to the demo command. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; result: WorkerResult }
  | { type: 'verified'; check: WorkerCheck }
  | { type: 'failed'; message: string; code: string };
