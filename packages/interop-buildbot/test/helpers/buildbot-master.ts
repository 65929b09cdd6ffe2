import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILDBOT_COMMAND, BUILDBOT_PYTHON } from './environment.js';
import { LineProcess } from './line-process.js';

const driverScript = fileURLToPath(new URL('../../python/buildbot_state.py', import.meta.url));

/** Exit code and combined output of a `buildbot` command. */
export interface CommandResult {
  code: number;
  output: string;
}

/** Runs `buildbot ARGS...` and collects its output; never rejects on a non-zero exit. */
export function runBuildbot(args: string[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(BUILDBOT_COMMAND, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      let code = 0;
      if (error !== null) code = typeof error.code === 'number' ? error.code : 1;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

async function runOrThrow(args: string[]): Promise<void> {
  const result = await runBuildbot(args);
  if (result.code !== 0) {
    throw new Error(`buildbot ${args[0]} failed with code ${result.code}:\n${result.output}`);
  }
}

/**
 * Returns the smallest master.cfg that Buildbot's configuration checks accept: one worker,
 * one builder and a scheduler for it. Nothing in it is started, because the tests only run
 * `upgrade-master` and the state driver, which never start the master's services.
 */
function masterConfig(dbUrl: string): string {
  return `from buildbot.plugins import schedulers, util, worker

BuildmasterConfig = {
    'db': {'db_url': ${JSON.stringify(dbUrl)}},
    'workers': [worker.Worker('interop-worker', 'unused')],
    'protocols': {'pb': {'port': 'tcp:0:interface=127.0.0.1'}},
    'builders': [util.BuilderConfig(name='interop', workernames=['interop-worker'],
                                    factory=util.BuildFactory())],
    'schedulers': [schedulers.ForceScheduler(name='force', builderNames=['interop'])],
    'buildbotNetUsageData': None,
}
`;
}

/** A Buildbot master directory whose master.cfg points at one test database. */
export class BuildbotMaster {
  readonly basedir: string;
  readonly #drivers: LineProcess[] = [];

  private constructor(basedir: string) {
    this.basedir = basedir;
  }

  /**
   * Runs `buildbot create-master` in a new temporary directory, which creates the SQLite
   * database `state.sqlite` with Buildbot's schema, and writes master.cfg with `dbUrl`.
   */
  static async create(dbUrl: string): Promise<BuildbotMaster> {
    const basedir = await mkdtemp(join(tmpdir(), 'interop-buildbot-'));
    await runOrThrow(['create-master', '-q', basedir]);
    await writeFile(join(basedir, 'master.cfg'), masterConfig(dbUrl));
    return new BuildbotMaster(basedir);
  }

  /** Runs `buildbot upgrade-master`, which creates or upgrades the schema at the db_url. */
  upgrade(): Promise<CommandResult> {
    return runBuildbot(['upgrade-master', this.basedir]);
  }

  /** Runs `buildbot upgrade-master` and throws if it fails. */
  async upgradeOrThrow(): Promise<void> {
    await runOrThrow(['upgrade-master', this.basedir]);
  }

  /** Starts a Buildbot state driver on this master's database. */
  async startDriver(label = 'buildbot'): Promise<LineProcess> {
    const driver = await LineProcess.start(label, BUILDBOT_PYTHON, [driverScript, this.basedir]);
    this.#drivers.push(driver);
    return driver;
  }

  /** Stops every driver and removes the directory. */
  async dispose(): Promise<void> {
    await Promise.all(this.#drivers.map((driver) => driver.close()));
    await rm(this.basedir, { recursive: true, force: true });
  }
}
