import type { Subject, SubjectKind } from './subject.js';

export type Log = (line: string) => void;

/** One backend prefilled with one table size, with its subjects open. */
export interface BackendRun {
  /** Rows of the state table after the prefill. */
  rows: number;
  prefillMs: number;
  subjects: Subject[];
  /** Lines for the report about this run, such as why the table is smaller than requested. */
  notes: string[];
  /** Subjects that cannot run here, with the reason. */
  missing: Partial<Record<SubjectKind, string>>;
  /** Deletes the rows that the new-name workloads inserted, so each run starts alike. */
  removeNewRows(): Promise<void>;
  close(): Promise<void>;
}

/** A storage backend and how to reach it. */
export interface Backend {
  readonly name: 'sqlite' | 'postgres' | 'mongo';
  /** Returns why the backend cannot run here, or `undefined` when it can. */
  check(log: Log): Promise<string | undefined>;
  /** Largest table size worth measuring, if the server limits it; known after `check`. */
  maxRows?(): number | undefined;
  /** Prefills about `rows` state rows (fewer if it cannot do it in time) and opens subjects. */
  open(rows: number, log: Log): Promise<BackendRun>;
  /** Stops what `check` started, such as a server. */
  shutdown(): Promise<void>;
}

export function elapsedMs(started: number): number {
  return performance.now() - started;
}
