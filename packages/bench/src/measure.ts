import { roundTrips } from './round-trips.js';

/** How long and how wide one measurement runs. */
export interface MeasureSettings {
  /** Number of callers that each run one operation after another. */
  concurrency: number;
  /** Time spent running the operation before measuring, in milliseconds. */
  warmupMs: number;
  /** Measured time, in milliseconds. The run also stops after `maxOperations`. */
  durationMs: number;
  maxOperations: number;
  /**
   * Operations that the measured part completes at least, so that a slow server still gives
   * percentiles; it may then run up to ten times `durationMs`.
   */
  minOperations: number;
}

/** Figures of one measurement. */
export interface Measurement {
  operations: number;
  operationsPerSecond: number;
  p50Us: number;
  p99Us: number;
  /** Driver calls per operation: statements, batches or MongoDB commands. */
  roundTripsPerOperation: number;
}

/** One operation; `sequence` counts the calls of the run from 0. */
export type Operation = (sequence: number) => Promise<unknown> | unknown;

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

interface Limits {
  durationMs: number;
  minOperations: number;
  maxOperations: number;
}

async function runCallers(
  operation: Operation,
  concurrency: number,
  limits: Limits,
  latencies: Float64Array | undefined,
): Promise<{ operations: number; elapsedMs: number }> {
  let started = 0;
  let finished = 0;
  const begin = performance.now();
  const deadline = begin + limits.durationMs;
  const lastDeadline = begin + 10 * limits.durationMs;
  const goOn = (): boolean => {
    if (started >= limits.maxOperations) return false;
    const now = performance.now();
    return now < deadline || (started < limits.minOperations && now < lastDeadline);
  };

  const caller = async (): Promise<void> => {
    while (goOn()) {
      const sequence = started++;
      const before = performance.now();
      await operation(sequence);
      if (latencies !== undefined) latencies[finished] = performance.now() - before;
      finished++;
    }
  };

  await Promise.all(Array.from({ length: concurrency }, caller));
  return { operations: finished, elapsedMs: performance.now() - begin };
}

/**
 * Runs `operation` from `concurrency` callers for a warm-up, then for the measured time, and
 * returns throughput, latency percentiles (of each call, queueing included) and the driver
 * calls that the measured part made.
 */
export async function measure(
  operation: Operation,
  settings: MeasureSettings,
): Promise<Measurement> {
  const { concurrency, warmupMs, maxOperations } = settings;
  let sequence = 0;
  const counted: Operation = () => operation(sequence++);

  const warmup = { durationMs: warmupMs, minOperations: 0, maxOperations };
  await runCallers(counted, concurrency, warmup, undefined);

  const latencies = new Float64Array(maxOperations);
  const roundTripsBefore = roundTrips.count;
  const { operations, elapsedMs } = await runCallers(counted, concurrency, settings, latencies);
  const roundTripCount = roundTrips.count - roundTripsBefore;

  const sorted = latencies.subarray(0, operations).sort();
  return {
    operations,
    operationsPerSecond: operations / (elapsedMs / 1000),
    p50Us: percentile(sorted, 0.5) * 1000,
    p99Us: percentile(sorted, 0.99) * 1000,
    roundTripsPerOperation: operations === 0 ? Number.NaN : roundTripCount / operations,
  };
}
