import type { Backend, BackendRun, Log } from './backend.js';
import { type Measurement, measure } from './measure.js';
import { type Dataset, datasetOf, type Subject, type SubjectKind } from './subject.js';
import { type Workload, type WorkloadContext, workloads } from './workloads.js';

/** Workloads, table sizes and durations of a run. */
export interface RunSettings {
  sizes: readonly number[];
  concurrencies: readonly number[];
  warmupMs: number;
  durationMs: number;
  maxOperations: number;
  /**
   * Measurements per cell and subject; the one with the highest throughput is kept, which
   * filters out slowdowns caused by other processes. Subjects run in turn, in a rotating order.
   */
  rounds: number;
  /** Workload ids to run; all when empty. */
  workloads: readonly string[];
}

/** One cell of the result table. */
export interface Result {
  backend: string;
  /** Rows of the state table. */
  rows: number;
  workload: string;
  concurrency: number;
  subject: SubjectKind;
  measurement?: Measurement;
  /** Reason the cell has no figures. */
  failure?: string;
}

/** Findings of a run besides its figures: prefill times, skipped backends and subjects. */
export interface RunNotes {
  lines: string[];
}

function selectedWorkloads(settings: RunSettings): Workload[] {
  if (settings.workloads.length === 0) return [...workloads];
  return workloads.filter((workload) => settings.workloads.includes(workload.id));
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Runs every selected workload on one backend at every size and concurrency. */
export async function runBackend(
  backend: Backend,
  settings: RunSettings,
  notes: RunNotes,
  log: Log,
): Promise<Result[]> {
  const results: Result[] = [];

  const maxRows = backend.maxRows?.();
  const sizes = [...new Set(settings.sizes.map((size) => Math.min(size, maxRows ?? size)))];
  for (const size of sizes) {
    const run = await backend.open(size, log);
    notes.lines.push(
      `${backend.name}: ${run.rows} rows prefilled in ${(run.prefillMs / 1000).toFixed(1)} s` +
        (run.rows < size ? ` (asked for ${size})` : ''),
    );
    for (const line of run.notes.map((note) => `${backend.name}: ${note}`)) {
      if (!notes.lines.includes(line)) notes.lines.push(line);
    }
    for (const [kind, reason] of Object.entries(run.missing)) {
      notes.lines.push(`${backend.name}: ${kind} skipped: ${reason}`);
    }
    const dataset = datasetOf(run.rows);

    try {
      for (const workload of selectedWorkloads(settings)) {
        const concurrencies = workload.concurrencies ?? settings.concurrencies;
        for (const concurrency of concurrencies.filter((c) => settings.concurrencies.includes(c))) {
          for (const figures of await measureBest(run, workload, concurrency, settings, dataset)) {
            const result: Result = { backend: backend.name, rows: run.rows, ...figures };
            results.push(result);
            log(progressLine(result));
          }
        }
      }
    } finally {
      await run.close();
    }
  }
  return results;
}

type CellFigures = Pick<Result, 'workload' | 'concurrency' | 'subject' | 'measurement' | 'failure'>;

let runNumber = 0;
let cellNumber = 0;

/** Enough samples for a rough p99 on a server that takes milliseconds per operation. */
const MIN_OPERATIONS = 30;

// Measures each subject `settings.rounds` times and keeps the best. The order of the subjects
// rotates from cell to cell and round to round, because a subject that runs right after
// another's writes on the same table finds more dead rows to skip.
async function measureBest(
  run: BackendRun,
  workload: Workload,
  concurrency: number,
  settings: RunSettings,
  dataset: Dataset,
): Promise<CellFigures[]> {
  const subjects = run.subjects.filter((subject) => workload.subjects.includes(subject.kind));
  const best = new Map<SubjectKind, CellFigures>();
  const firstTurn = cellNumber++;
  for (let round = 0; round < settings.rounds; round++) {
    for (let turn = 0; turn < subjects.length; turn++) {
      const subject = subjects[(firstTurn + round + turn) % subjects.length] as Subject;
      const context = { dataset, runTag: `${subject.kind}${runNumber++}` };
      const figures = await measureCell(workload, subject, context, concurrency, settings);
      if (workload.insertsNewNames) await run.removeNewRows();
      const kept = best.get(subject.kind);
      if (kept === undefined || isBetter(figures, kept)) best.set(subject.kind, figures);
    }
  }
  return subjects.flatMap((subject) => best.get(subject.kind) ?? []);
}

function isBetter(candidate: CellFigures, kept: CellFigures): boolean {
  if (candidate.measurement === undefined) return false;
  if (kept.measurement === undefined) return true;
  return candidate.measurement.operationsPerSecond > kept.measurement.operationsPerSecond;
}

async function measureCell(
  workload: Workload,
  subject: Subject,
  context: WorkloadContext,
  concurrency: number,
  settings: RunSettings,
): Promise<CellFigures> {
  const cell: CellFigures = { workload: workload.id, concurrency, subject: subject.kind };
  try {
    await workload.prepare?.(subject, context);
    cell.measurement = await measure(workload.operation(subject, context), {
      concurrency,
      warmupMs: settings.warmupMs,
      durationMs: settings.durationMs,
      maxOperations: settings.maxOperations,
      minOperations: MIN_OPERATIONS,
    });
  } catch (error) {
    cell.failure = describeError(error);
  }
  return cell;
}

function progressLine(result: Result): string {
  const figures =
    result.measurement === undefined
      ? `failed: ${result.failure ?? ''}`
      : `${Math.round(result.measurement.operationsPerSecond)} ops/s`;
  return `  ${result.backend} ${result.rows} ${result.workload} c${result.concurrency} ${result.subject}: ${figures}`;
}
