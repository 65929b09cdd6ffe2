import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { RaceChildMessage, RaceChildPlan, RaceResult } from './race-protocol.js';

/** Path of the child entry that runs a {@link RaceChildPlan}. */
export const RACE_CHILD_PATH = fileURLToPath(new URL('./race-child.js', import.meta.url));

const STDERR_KEPT_BYTES = 4096;
const EXIT_WAIT_MS = 10_000;

interface Child {
  index: number;
  process: ChildProcessWithoutNullStreams;
  lines: AsyncIterator<string>;
  stderr: string;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * OS processes that run one {@link RaceChildPlan} each and start every round together: the
 * parent waits until all of them print "ready", then writes "go" to each one's stdin.
 */
export class RaceProcesses {
  readonly #children: Child[];
  readonly #timeoutMs: number;

  private constructor(children: Child[], timeoutMs: number) {
    this.#children = children;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Starts one process per plan. `timeoutMs` bounds every wait for a child's message; when it
   * passes, the child is reported with the end of its stderr.
   */
  static start(plans: RaceChildPlan[], timeoutMs: number): RaceProcesses {
    const children = plans.map((plan, index): Child => {
      const child = spawn(process.execPath, [RACE_CHILD_PATH, JSON.stringify(plan)], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const record: Child = {
        index,
        process: child,
        lines: createInterface({ input: child.stdout })[Symbol.asyncIterator](),
        stderr: '',
      };
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        record.stderr = (record.stderr + chunk).slice(-STDERR_KEPT_BYTES);
      });
      // A child that died makes its stdin fail; the read of its stdout reports it instead.
      child.stdin.on('error', () => undefined);
      return record;
    });
    return new RaceProcesses(children, timeoutMs);
  }

  /** Runs the next round in every process and returns their results, in plan order. */
  async runRound(): Promise<RaceResult[]> {
    await Promise.all(this.#children.map((child) => this.#read(child, 'ready')));
    for (const child of this.#children) child.process.stdin.write('go\n');
    return Promise.all(
      this.#children.map(async (child) => (await this.#read(child, 'result')) as RaceResult),
    );
  }

  /** Ends every process: closes stdin, waits for exits, then kills what is left. */
  async stop(): Promise<void> {
    await Promise.all(
      this.#children.map(async (child) => {
        const { process: subprocess } = child;
        subprocess.stdin.end();
        if (subprocess.exitCode !== null || subprocess.signalCode !== null) return;
        const exited = once(subprocess, 'exit');
        const timer = setTimeout(() => subprocess.kill('SIGKILL'), EXIT_WAIT_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  async #read(child: Child, type: 'ready' | 'result'): Promise<RaceChildMessage> {
    const describeChild = () =>
      `race process ${child.index} (pid ${child.process.pid}); stderr: ${child.stderr || '(empty)'}`;
    for (;;) {
      const next = await withTimeout(
        child.lines.next(),
        this.#timeoutMs,
        () => `Timed out after ${this.#timeoutMs} ms waiting for "${type}" from ${describeChild()}`,
      );
      if (next.done === true) {
        throw new Error(`Expected "${type}" but stdout ended from ${describeChild()}`);
      }
      // Lines that are not messages (a library's warning) are skipped.
      if (!next.value.startsWith('{"type":')) continue;
      const message = JSON.parse(next.value) as RaceChildMessage;
      if (message.type === 'fatal') {
        throw new Error(`${message.error.name}: ${message.error.message} in ${describeChild()}`);
      }
      if (message.type !== type) {
        throw new Error(`Expected "${type}" but got "${message.type}" from ${describeChild()}`);
      }
      return message;
    }
  }
}

/** Starts processes for `plans`, runs `body` with them and always stops them afterwards. */
export async function withRaceProcesses<T>(
  plans: RaceChildPlan[],
  timeoutMs: number,
  body: (processes: RaceProcesses) => Promise<T>,
): Promise<T> {
  const processes = RaceProcesses.start(plans, timeoutMs);
  try {
    return await body(processes);
  } finally {
    await processes.stop();
  }
}
