import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { ProgressEvent, ProtocolResponse, StateOperation } from '../../src/protocol.js';

/** How long one request may take before the test fails instead of hanging, in milliseconds. */
const REQUEST_TIMEOUT_MS = 30_000;

/** A request in flight, with the progress events it can reach before its response. */
export interface PendingRequest {
  id: number;
  /** Resolves when a barrier request waits for {@link LineProcess.go}. */
  ready: Promise<void>;
  /** Resolves when a paused request waits in Buildbot's timing hook. */
  paused: Promise<void>;
  response: Promise<ProtocolResponse>;
}

interface Waiter {
  ready: () => void;
  paused: () => void;
  response: (response: ProtocolResponse) => void;
  fail: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * A child process that serves the line protocol of `src/protocol.ts`: the Buildbot driver or
 * our connector process. Requests run concurrently in the child; responses match by id.
 */
export class LineProcess {
  readonly label: string;
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiters = new Map<number, Waiter>();
  #nextId = 1;
  #stderr = '';
  #exited = false;

  private constructor(label: string, child: ChildProcessWithoutNullStreams) {
    this.label = label;
    this.#child = child;
  }

  /** Spawns the child and resolves once it reports `started`. */
  static start(label: string, command: string, args: string[]): Promise<LineProcess> {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    return new LineProcess(label, child).#waitForStart();
  }

  #waitForStart(): Promise<LineProcess> {
    return new Promise((resolve, reject) => {
      this.#child.stderr.setEncoding('utf8');
      this.#child.stderr.on('data', (text: string) => {
        this.#stderr = (this.#stderr + text).slice(-4000);
      });
      this.#child.on('exit', (code) => {
        this.#exited = true;
        const error = new Error(`${this.label} exited with code ${code}: ${this.#stderr}`);
        for (const waiter of this.#waiters.values()) waiter.fail(error);
        this.#waiters.clear();
        reject(error);
      });

      const lines = createInterface({ input: this.#child.stdout });
      lines.on('line', (line) => {
        const message = JSON.parse(line) as ProtocolResponse | ProgressEvent;
        if ('event' in message) {
          if (message.event === 'started') resolve(this);
          else if (message.event === 'failed') {
            reject(new Error(`${this.label} failed to start: ${message.message}`));
          } else if (message.event === 'ready') this.#waiters.get(message.id)?.ready();
          else this.#waiters.get(message.id)?.paused();
          return;
        }
        const waiter = this.#waiters.get(message.id);
        if (waiter === undefined) return;
        this.#waiters.delete(message.id);
        clearTimeout(waiter.timer);
        waiter.response(message);
      });
    });
  }

  /** Sends an operation; `barrier` makes it wait for {@link go}, `pause` for {@link resume}. */
  send(
    operation: StateOperation,
    flags: { barrier?: boolean; pause?: boolean } = {},
  ): PendingRequest {
    if (this.#exited) throw new Error(`${this.label} has exited: ${this.#stderr}`);
    const id = this.#nextId++;
    let ready!: () => void;
    let paused!: () => void;
    const readyPromise = new Promise<void>((resolve) => {
      ready = resolve;
    });
    const pausedPromise = new Promise<void>((resolve) => {
      paused = resolve;
    });
    const response = new Promise<ProtocolResponse>((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(id);
        reject(new Error(`${this.label}: ${operation.op} timed out: ${this.#stderr}`));
      }, REQUEST_TIMEOUT_MS);
      this.#waiters.set(id, { ready, paused, response: resolve, fail, timer });
    });
    this.#child.stdin.write(`${JSON.stringify({ ...operation, ...flags, id })}\n`);
    return { id, ready: readyPromise, paused: pausedPromise, response };
  }

  /** Sends an operation and waits for its response. */
  request(operation: StateOperation): Promise<ProtocolResponse> {
    return this.send(operation).response;
  }

  /** Sends an operation and returns its result as a value, rejecting if the child failed. */
  async value(operation: StateOperation): Promise<unknown> {
    const response = await this.request(operation);
    if (!response.ok) {
      throw new Error(
        `${this.label}: ${operation.op} failed: ${response.error}: ${response.message}`,
      );
    }
    return JSON.parse(response.resultJson);
  }

  /** Releases every request that waits at its barrier. */
  go(): void {
    this.#child.stdin.write('{"op":"go"}\n');
  }

  /** Lets a request that paused in Buildbot's timing hook continue. */
  resume(id: number): void {
    this.#child.stdin.write(`${JSON.stringify({ op: 'resume', of: id })}\n`);
  }

  /** Asks the child to exit and waits for it; kills it if it does not exit within 5 s. */
  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    this.#child.stdin.write('{"op":"exit"}\n');
    this.#child.stdin.end();
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
