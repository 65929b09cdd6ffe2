import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CliError } from '../cli-errors.js';
import type { ParentMessage, WorkerMessage } from './messages.js';

const workerPath = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Last characters of a worker's stderr kept to explain a crash. */
const STDERR_TAIL_LENGTH = 2000;

type Reply<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>;

/** One forked host process of the demo, and the replies it sent over IPC. */
export class WorkerProcess {
  readonly host: string;
  readonly #child: ChildProcess;
  readonly #replies: WorkerMessage[] = [];
  #wake: (() => void) | undefined;
  #exit: string | undefined;
  #stderr = '';

  constructor(host: string) {
    this.host = host;
    this.#child = fork(workerPath, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.#child.on('message', (message: WorkerMessage) => {
      this.#replies.push(message);
      this.#wake?.();
    });
    this.#child.stderr?.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_LENGTH);
    });
    this.#child.on('exit', (code, signal) => {
      this.#exit = signal === null ? `exit code ${code}` : `signal ${signal}`;
      this.#wake?.();
    });
  }

  /** Operating-system process id, or 0 if the fork failed. */
  get pid(): number {
    return this.#child.pid ?? 0;
  }

  send(message: ParentMessage): void {
    this.#child.send(message);
  }

  /**
   * Waits for the next reply and checks that it has the expected type.
   *
   * @throws CliError - the worker reported a failure, exited, or did not reply in time.
   */
  async receive<T extends WorkerMessage['type']>(type: T, timeoutMs: number): Promise<Reply<T>> {
    const deadline = Date.now() + timeoutMs;
    while (this.#replies.length === 0) {
      if (this.#exit !== undefined) {
        const tail = this.#stderr.trim();
        const detail = tail === '' ? '.' : `: ${tail}`;
        throw this.#failure(`exited with ${this.#exit} before sending "${type}"${detail}`);
      }
      const remainingMs = deadline - Date.now();
      if (remainingMs <= 0) {
        throw this.#failure(`sent no "${type}" within ${Math.round(timeoutMs / 1000)} s.`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remainingMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }

    const reply = this.#replies.shift() as WorkerMessage;
    if (reply.type === 'failed') throw this.#failure(`failed: ${reply.message} (${reply.code})`);
    if (reply.type !== type) throw this.#failure(`sent "${reply.type}" instead of "${type}".`);
    return reply as Reply<T>;
  }

  /** Waits until the process has exited. */
  async exited(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    await new Promise((resolve) => this.#child.once('exit', resolve));
  }

  /** Ends the process if it still runs, after a failure of the demo. */
  kill(): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill();
  }

  #failure(problem: string): CliError {
    return new CliError('DEMO_FAILED', `Demo process ${this.host} (pid ${this.pid}) ${problem}`);
  }
}
