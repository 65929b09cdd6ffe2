import { find, versusRaw } from './report.js';
import type { Result } from './run.js';

interface Check {
  label: string;
  /** Ratio and whether it meets the target. */
  evaluate(results: readonly Result[], cell: Cell): { ratio: number; met: boolean } | undefined;
}

interface Cell {
  backend: string;
  rows: number;
  workload: string;
  concurrency: number;
}

const syncWorkloads = new Set(['getStateSync', 'setStateSync overwrite']);

const checks: Check[] = [
  {
    label: 'p50 latency at concurrency 1 <= 1.10x raw',
    evaluate(results, { backend, rows, workload, concurrency }) {
      if (concurrency !== 1) return undefined;
      const ours = find(results, backend, rows, workload, concurrency, 'ours');
      const raw = find(results, backend, rows, workload, concurrency, 'raw');
      if (ours === undefined || raw === undefined) return undefined;
      const ratio = versusRaw(ours, raw, concurrency);
      return { ratio, met: ratio <= 1.1 };
    },
  },
  {
    label: 'throughput at concurrency 32 >= 0.90x raw',
    evaluate(results, { backend, rows, workload, concurrency }) {
      if (concurrency !== 32) return undefined;
      const ours = find(results, backend, rows, workload, concurrency, 'ours');
      const raw = find(results, backend, rows, workload, concurrency, 'raw');
      if (ours === undefined || raw === undefined) return undefined;
      const ratio = versusRaw(ours, raw, concurrency);
      return { ratio, met: ratio >= 0.9 };
    },
  },
  {
    label: 'throughput > Keyv',
    evaluate(results, { backend, rows, workload, concurrency }) {
      const ours = find(results, backend, rows, workload, concurrency, 'ours');
      const keyv = find(results, backend, rows, workload, concurrency, 'keyv');
      if (ours === undefined || keyv === undefined) return undefined;
      const ratio = ours.operationsPerSecond / keyv.operationsPerSecond;
      return { ratio, met: ratio > 1 };
    },
  },
  {
    label: 'cost per op at the largest size <= 1.2x the smallest',
    evaluate(results, { backend, rows, workload, concurrency }) {
      const sizes = [
        ...new Set(results.filter((r) => r.backend === backend).map((r) => r.rows)),
      ].sort((a, b) => a - b);
      const smallest = sizes[0];
      if (sizes.length < 2 || smallest === undefined || rows !== sizes[sizes.length - 1]) {
        return undefined;
      }
      const large = find(results, backend, rows, workload, concurrency, 'ours');
      const small = find(results, backend, smallest, workload, concurrency, 'ours');
      if (large === undefined || small === undefined) return undefined;
      // Cost per op: p50 latency when calls run one at a time, 1 / throughput otherwise.
      const ratio =
        concurrency === 1
          ? large.p50Us / small.p50Us
          : small.operationsPerSecond / large.operationsPerSecond;
      return { ratio, met: ratio <= 1.2 };
    },
  },
];

function cellsOf(results: readonly Result[], backend: string): Cell[] {
  const seen = new Map<string, Cell>();
  for (const result of results) {
    if (result.backend !== backend || syncWorkloads.has(result.workload)) continue;
    const { rows, workload, concurrency } = result;
    seen.set(`${rows}|${workload}|${concurrency}`, { backend, rows, workload, concurrency });
  }
  return [...seen.values()];
}

function describeCell(cell: Cell): string {
  const size = cell.rows >= 1_000_000 ? `${cell.rows / 1_000_000}M` : `${cell.rows / 1000}K`;
  return `${cell.workload} c${cell.concurrency} ${size}`;
}

/** Lists, per backend and target, how many cells meet it and which ones miss it. */
export function formatTargets(results: readonly Result[]): string {
  const backends = [...new Set(results.map((result) => result.backend))];
  const lines = ['Targets (ours against each baseline; MISS lists every cell that misses)'];

  for (const check of checks) {
    for (const backend of backends) {
      const outcomes = cellsOf(results, backend).flatMap((cell) => {
        const outcome = check.evaluate(results, cell);
        return outcome === undefined ? [] : [{ cell, ...outcome }];
      });
      if (outcomes.length === 0) continue;
      const missed = outcomes.filter((outcome) => !outcome.met);
      const status = missed.length === 0 ? 'met ' : 'MISS';
      const detail = missed
        .map((outcome) => `${describeCell(outcome.cell)} ${outcome.ratio.toFixed(2)}x`)
        .join('; ');
      lines.push(
        `  [${status}] ${backend.padEnd(8)} ${check.label}: ` +
          `${outcomes.length - missed.length}/${outcomes.length}` +
          (detail === '' ? '' : ` (missed: ${detail})`),
      );
    }
  }
  return lines.join('\n');
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}

/** Compares each synchronous variant with its async call at concurrency 1 (p50). */
export function formatSyncOverhead(results: readonly Result[]): string {
  const pairs = [
    ['getStateSync', 'getState'],
    ['setStateSync overwrite', 'setState overwrite'],
  ] as const;
  const lines = ['Synchronous variants against the async calls (ours, concurrency 1, p50)'];
  for (const result of results) {
    const pair = pairs.find(([sync]) => sync === result.workload);
    if (pair === undefined || result.measurement === undefined) continue;
    const async = find(results, result.backend, result.rows, pair[1], 1, 'ours');
    if (async === undefined) continue;
    const sync = result.measurement;
    lines.push(
      `  ${result.backend.padEnd(8)} ${String(result.rows).padStart(7)} rows  ` +
        `${pair[0]} ${sync.p50Us.toFixed(1)} us vs ${pair[1]} ${async.p50Us.toFixed(1)} us: ` +
        `${(sync.p50Us / async.p50Us).toFixed(2)}x (${signed(sync.p50Us - async.p50Us)} us)`,
    );
  }
  return lines.join('\n');
}
