import { fileURLToPath } from 'node:url';
import type { ProtocolResponse, StateOperation } from '../../src/protocol.js';
import { LineProcess } from './line-process.js';
import type { InteropStore } from './store.js';

const connectorProcessScript = fileURLToPath(
  new URL('../../dist/connector-process.js', import.meta.url),
);

/** Child processes of one suite, closed together. */
export class ProcessGroup {
  readonly #processes: LineProcess[] = [];

  /** Starts a process that serves our connector on the store's database. */
  async startConnector(store: InteropStore, label: string): Promise<LineProcess> {
    const args = [connectorProcessScript, JSON.stringify(store.target)];
    const child = await LineProcess.start(label, process.execPath, args);
    this.#processes.push(child);
    return child;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#processes.map((child) => child.close()));
  }
}

/**
 * Sends `operations[i]` to `participants[i]` behind a barrier: every child parses its
 * request and reports ready, then all are released at once.
 */
export async function race(
  participants: LineProcess[],
  operations: StateOperation[],
): Promise<ProtocolResponse[]> {
  const pending = participants.map((child, index) => {
    const operation = operations[index];
    if (operation === undefined) throw new Error(`no operation for ${child.label}`);
    return child.send(operation, { barrier: true });
  });
  await Promise.all(pending.map((request) => request.ready));
  for (const child of participants) child.go();
  return Promise.all(pending.map((request) => request.response));
}
