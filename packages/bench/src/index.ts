import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import type { Backend } from './backend.js';
import { type BackendName, type BenchOptions, parseOptions, usage } from './options.js';
import { formatResults } from './report.js';
import { type Result, type RunNotes, runBackend } from './run.js';
import { sqliteBackend } from './sqlite/backend.js';
import { formatSyncOverhead, formatTargets } from './targets.js';

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    return /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim() ?? 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
}

function machineLine(): string {
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(0);
  return (
    `Machine: ${availableParallelism()} cores, ${cpuModel()}, ${memoryGiB} GiB; ` +
    `Node ${process.version}; ${new Date().toISOString()}`
  );
}

async function createBackend(name: BackendName, options: BenchOptions): Promise<Backend> {
  switch (name) {
    case 'sqlite':
      return sqliteBackend(options.sqliteDirectory);
    case 'postgres':
      return (await import('./postgres/backend.js')).postgresBackend();
    case 'mongo':
      return (await import('./mongo/backend.js')).mongoBackend();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === undefined) {
    console.log(usage);
    return;
  }

  const started = performance.now();
  const results: Result[] = [];
  const notes: RunNotes = { lines: [] };
  log(machineLine());

  for (const name of options.backends) {
    const backend = await createBackend(name, options);
    const unavailable = await backend.check(log);
    if (unavailable !== undefined) {
      const line = `SKIPPED ${name}: ${unavailable}`;
      log(line);
      notes.lines.push(line);
      continue;
    }
    try {
      results.push(...(await runBackend(backend, options, notes, log)));
    } finally {
      await backend.shutdown();
    }
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(machineLine());
  console.log(
    `Per cell: ${options.warmupMs} ms warm-up, ${options.durationMs} ms measured; ` +
      `SQLite files under ${options.sqliteDirectory}; finished in ${seconds} s.\n`,
  );
  console.log(formatResults(results));
  console.log(`\n${formatTargets(results)}`);
  console.log(`\n${formatSyncOverhead(results)}`);
  if (notes.lines.length > 0) console.log(`\nNotes\n  ${notes.lines.join('\n  ')}`);

  if (options.jsonFile !== undefined) {
    writeFileSync(options.jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  }
}

main().then(
  // Drivers and the synchronous bridge's worker may keep handles open; the report is done.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
