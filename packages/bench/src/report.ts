import type { Measurement } from './measure.js';
import type { Result } from './run.js';
import type { SubjectKind } from './subject.js';

function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function formatMicros(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value < 100 ? value.toFixed(1) : formatCount(value);
}

function formatRatio(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '' : `${value.toFixed(2)}x`;
}

function table(header: string[], rows: string[][], leftColumns: number): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column < leftColumns
          ? cell.padEnd(widths[column] ?? 0)
          : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

/** Finds the figures of one cell. */
export function find(
  results: readonly Result[],
  backend: string,
  rows: number,
  workload: string,
  concurrency: number,
  subject: SubjectKind,
): Measurement | undefined {
  return results.find(
    (result) =>
      result.backend === backend &&
      result.rows === rows &&
      result.workload === workload &&
      result.concurrency === concurrency &&
      result.subject === subject,
  )?.measurement;
}

/**
 * Ours against raw: the p50 latency ratio at concurrency 1 (lower is better), and the
 * throughput ratio at higher concurrency (higher is better).
 */
export function versusRaw(ours: Measurement, raw: Measurement, concurrency: number): number {
  return concurrency === 1
    ? ours.p50Us / raw.p50Us
    : ours.operationsPerSecond / raw.operationsPerSecond;
}

/** Prints one table per backend and table size, a row per workload, concurrency and subject. */
export function formatResults(results: readonly Result[]): string {
  const sections: string[] = [];
  const groups = new Map<string, Result[]>();
  for (const result of results) {
    const key = `${result.backend}, ${formatCount(result.rows)} rows`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }

  for (const [title, group] of groups) {
    const rows: string[][] = [];
    let previous = '';
    for (const result of group) {
      const label = `${result.workload}|${result.concurrency}`;
      const first = label !== previous;
      previous = label;
      const cells = [
        first ? result.workload : '',
        first ? String(result.concurrency) : '',
        result.subject,
      ];
      const figures = result.measurement;
      if (figures === undefined) {
        rows.push([...cells, 'failed', '', '', '', '', `${result.failure ?? ''}`]);
        continue;
      }

      let ratioToRaw: number | undefined;
      let ratioToKeyv: number | undefined;
      if (result.subject === 'ours') {
        const at = [result.backend, result.rows, result.workload, result.concurrency] as const;
        const raw = find(group, ...at, 'raw');
        const keyv = find(group, ...at, 'keyv');
        if (raw !== undefined) ratioToRaw = versusRaw(figures, raw, result.concurrency);
        if (keyv !== undefined) {
          ratioToKeyv = figures.operationsPerSecond / keyv.operationsPerSecond;
        }
      }
      rows.push([
        ...cells,
        formatCount(figures.operationsPerSecond),
        formatMicros(figures.p50Us),
        formatMicros(figures.p99Us),
        figures.roundTripsPerOperation.toFixed(2),
        formatRatio(ratioToRaw),
        formatRatio(ratioToKeyv),
      ]);
    }
    const header = [
      'workload',
      'conc',
      'subject',
      'ops/s',
      'p50 us',
      'p99 us',
      'calls/op',
      'vs raw',
      'vs keyv',
    ];
    sections.push(`${title}\n${table(header, rows, 3)}`);
  }

  sections.push(
    [
      'vs raw: at concurrency 1, p50 latency of ours / raw (target <= 1.10x);',
      '        above 1, throughput of ours / raw (target >= 0.90x).',
      'vs keyv: throughput of ours / Keyv (target > 1.00x).',
      'calls/op: driver calls per operation (statements, batches, MongoDB commands); each',
      '          is a round trip on PostgreSQL and MongoDB, an in-process call on SQLite.',
    ].join('\n'),
  );
  return sections.join('\n\n');
}
