import { randomBytes } from 'node:crypto';
import type { AdministeredStateConnector } from '@state-connector/core';
import { type Command, InvalidArgumentError } from 'commander';
import { EXIT_FAILURE, UsageError } from '../cli-errors.js';
import { globalOptions, printJson, printLine, withStore } from '../context.js';
import { WorkerProcess } from '../demo/cluster.js';
import { DEMO_OBJECT, SECRET_STATE, type WorkerCheck } from '../demo/messages.js';
import { fingerprint, observe } from '../demo/observe.js';
import { type HostReport, judge } from '../demo/verdict.js';
import { renderTable } from '../table.js';

function isInMemory(url: string): boolean {
  return url.includes(':memory:') || url.includes('mode=memory');
}

/** Delay between sending "go" and the common start time of the processes, in milliseconds. */
const START_DELAY_MS = 100;

/** Time each demo step may take in every process, in milliseconds. */
const STEP_TIMEOUT_MS = 60_000;

function parseCount(maximum: number): (text: string) => number {
  return (text) => {
    const count = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(count) || count < 1 || count > maximum) {
      throw new InvalidArgumentError(`expected an integer from 1 to ${maximum}.`);
    }
    return count;
  };
}

// Reads the secret without creating the demo object, so that the processes still race for it.
async function readEarlierSecret(connector: AdministeredStateConnector): Promise<string | null> {
  const objects = await connector.listObjects();
  const object = objects.find(
    (candidate) =>
      candidate.name === DEMO_OBJECT.name && candidate.className === DEMO_OBJECT.className,
  );
  if (object === undefined) return null;
  const secret = await connector.getState(object.id, SECRET_STATE, undefined);
  return secret === undefined ? null : fingerprint(secret);
}

async function runCluster(
  connector: AdministeredStateConnector,
  url: string,
  options: { processes: number; runs: number },
) {
  const session = randomBytes(4).toString('hex');
  const hosts = Array.from({ length: options.processes }, (_, index) => `host-${index + 1}`);
  const workers = hosts.map((host) => new WorkerProcess(host));
  const all = <T>(step: (worker: WorkerProcess) => Promise<T>) => Promise.all(workers.map(step));

  try {
    for (const worker of workers) {
      worker.send({ type: 'start', url, host: worker.host, session, runs: options.runs });
    }
    await all((worker) => worker.receive('ready', STEP_TIMEOUT_MS));
    const earlierSecret = await readEarlierSecret(connector);

    const startAt = Date.now() + START_DELAY_MS;
    for (const worker of workers) worker.send({ type: 'go', startAt });
    const results = await all((worker) => worker.receive('done', STEP_TIMEOUT_MS));
    for (const worker of workers) worker.send({ type: 'verify', hosts });
    const checks = await all((worker) => worker.receive('verified', STEP_TIMEOUT_MS));
    await all((worker) => worker.exited());

    const objectId = results[0]?.result.objectId ?? 0;
    const afterwards = await observe(connector, objectId, session, hosts);
    const reports: HostReport[] = results.map((done, index) => ({
      ...done.result,
      ...(checks[index]?.check as WorkerCheck),
    }));
    return { reports, verdict: judge(reports, { runs: options.runs, earlierSecret, afterwards }) };
  } finally {
    for (const worker of workers) worker.kill();
  }
}

function printReport(reports: HostReport[]): void {
  const rows = reports.map((report) => [
    report.host,
    report.pid,
    report.objectId,
    `${report.secretFingerprint}...`,
    report.createdSecret ? 'yes' : 'no',
    report.runsRecorded,
    report.runsVisible,
    report.lastRun === null ? 'none' : `${report.lastRun.host} run ${report.lastRun.run}`,
  ]);
  const head = [
    'process',
    'pid',
    'object id',
    'secret sha256',
    'created secret',
    'runs recorded',
    'runs visible',
    'lastRun seen',
  ];
  printLine(renderTable(head, rows));
}

/** Registers `demo`, which runs a small cluster of host processes on one store. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .summary('run a small cluster of host processes on one store and check they agree')
    .description(
      'Start separate OS processes on the store. Each registers the same scheduler object, ' +
        'races to create one cluster secret (a random value; exactly one must win) and ' +
        'records its runs under its own state name and the shared name lastRun. Then every ' +
        'process reads the store back. Exit code 0 when all processes agree, 1 otherwise. ' +
        'The secret itself is never printed, only the start of its SHA-256.',
    )
    .option('--processes <count>', 'number of host processes, 1 to 16', parseCount(16), 4)
    .option('--runs <count>', 'runs that each process records, 1 to 1000', parseCount(1000), 5)
    .action(async (options: { processes: number; runs: number }, command: Command) => {
      if (isInMemory(globalOptions(command).url)) {
        throw new UsageError(
          'The demo needs a store that several processes share, and an in-memory database ' +
            'exists in one process only; use a file: URL or a server.',
        );
      }
      await withStore(command, async ({ connector, backend, shownUrl }, { json, url }) => {
        const { reports, verdict } = await runCluster(connector, url, options);

        if (json) {
          printJson({ backend, url: shownUrl, ...verdict, processes: reports });
        } else {
          printLine(`Demo on the ${backend} store ${shownUrl}:`);
          printReport(reports);
          printLine(verdict.line);
        }
        // The verdict line already explains a disagreement, so only the exit code changes.
        if (!verdict.agreed) process.exitCode = EXIT_FAILURE;
      });
    });
}
