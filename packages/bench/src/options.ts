import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import type { RunSettings } from './run.js';
import { workloads } from './workloads.js';

export const backendNames = ['sqlite', 'postgres', 'mongo'] as const;
export type BackendName = (typeof backendNames)[number];

export interface BenchOptions extends RunSettings {
  backends: BackendName[];
  /** File to write every result to as JSON, if set. */
  jsonFile: string | undefined;
  /** Directory for the SQLite files. */
  sqliteDirectory: string;
}

export const usage = `Usage: pnpm bench [options]

Benchmarks each adapter against its raw driver and Keyv and prints a table.

Options:
  --quick                 1,000 rows only, 100 ms warm-up and 300 ms per measurement
  --backend NAME          sqlite, postgres or mongo; repeat or separate with commas (default: all)
  --sizes N,N             state table sizes in rows (default: 1000,1000000)
  --concurrency N,N       callers running at once (default: 1,32)
  --workload ID           run only this workload; repeatable (ids: ${workloads.map((w) => w.id).join(', ')})
  --duration-ms N         measured time per cell in milliseconds (default: 600)
  --warmup-ms N           warm-up time per cell in milliseconds (default: 150)
  --rounds N              measurements per cell and subject, keeping the fastest (default: 1)
  --max-ops N             maximum operations per measured cell (default: 500000)
  --sqlite-dir DIR        directory for the SQLite files (default: the system temp directory);
                          /dev/shm keeps fsync out of the write figures
  --json FILE             also write every result to FILE as JSON
  --help                  print this help

Servers: PostgreSQL at DATABASE_URL (default postgres://127.0.0.1:5432/postgres); MongoDB at
MONGODB_URL, or a FerretDB built from tools/ferretdb. A backend whose server is absent is
skipped with a message.`;

function numbers(text: string, option: string): number[] {
  const values = text.split(',').map((part) => Number(part.trim().replaceAll('_', '')));
  if (values.some((value) => !Number.isSafeInteger(value) || value <= 0)) {
    throw new Error(`Invalid ${option} ${JSON.stringify(text)}: expected positive integers.`);
  }
  return values;
}

function positive(text: string | undefined, option: string, fallback: number): number {
  return text === undefined ? fallback : (numbers(text, option)[0] ?? fallback);
}

/** Parses the command line; returns `undefined` after printing the help. */
export function parseOptions(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      backend: { type: 'string', multiple: true },
      sizes: { type: 'string' },
      concurrency: { type: 'string' },
      workload: { type: 'string', multiple: true },
      'duration-ms': { type: 'string' },
      'warmup-ms': { type: 'string' },
      'max-ops': { type: 'string' },
      rounds: { type: 'string' },
      json: { type: 'string' },
      'sqlite-dir': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;

  const backends = (values.backend ?? [...backendNames]).flatMap((item) => item.split(','));
  for (const name of backends) {
    if (!(backendNames as readonly string[]).includes(name)) {
      throw new Error(`Unknown backend ${JSON.stringify(name)}: use ${backendNames.join(', ')}.`);
    }
  }
  const selected = values.workload ?? [];
  for (const id of selected) {
    if (!workloads.some((workload) => workload.id === id)) {
      throw new Error(`Unknown workload ${JSON.stringify(id)}; see --help for the ids.`);
    }
  }

  const quick = values.quick;
  return {
    backends: backends as BackendName[],
    sizes:
      values.sizes === undefined
        ? quick
          ? [1000]
          : [1000, 1_000_000]
        : numbers(values.sizes, '--sizes'),
    concurrencies:
      values.concurrency === undefined ? [1, 32] : numbers(values.concurrency, '--concurrency'),
    workloads: selected,
    durationMs: positive(values['duration-ms'], '--duration-ms', quick ? 300 : 600),
    warmupMs: positive(values['warmup-ms'], '--warmup-ms', quick ? 100 : 150),
    maxOperations: positive(values['max-ops'], '--max-ops', 500_000),
    rounds: positive(values.rounds, '--rounds', 1),
    jsonFile: values.json,
    sqliteDirectory: values['sqlite-dir'] ?? tmpdir(),
  };
}
