/**
 * A child process that opens one of our connectors and serves the line protocol of
 * `protocol.ts` on stdin and stdout, so that the tests can run our side as separate OS
 * processes next to the Buildbot driver.
 *
 * Usage: `node dist/connector-process.js '<target JSON>'`, where the target names the module
 * that exports the adapter's factory, the export's name and the factory's options.
 */
import { createInterface } from 'node:readline';
import type { StateConnector } from '@state-connector/core';
import type {
  Control,
  ProgressEvent,
  ProtocolRequest,
  ProtocolResponse,
  StateOperation,
} from './protocol.js';

/** The adapter factory that the child calls to build its connector, and its options. */
export interface ConnectorTarget {
  /** A `file:` URL or package specifier of the adapter. */
  module: string;
  exportName: string;
  options: unknown;
}

type Factory = (options: unknown) => StateConnector;

function send(message: ProtocolResponse | ProgressEvent): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function run(connector: StateConnector, operation: StateOperation) {
  switch (operation.op) {
    case 'getObjectId':
      return { result: await connector.getObjectId(operation.name, operation.className) };
    case 'getState':
      return {
        result:
          operation.defaultJson === undefined
            ? await connector.getState(operation.objectId, operation.name)
            : await connector.getState(
                operation.objectId,
                operation.name,
                JSON.parse(operation.defaultJson),
              ),
      };
    case 'setState':
      return {
        result: await connector.setState(
          operation.objectId,
          operation.name,
          JSON.parse(operation.valueJson),
        ),
      };
    case 'atomicCreateState': {
      let created = false;
      const result = await connector.atomicCreateState(operation.objectId, operation.name, () => {
        created = true;
        return JSON.parse(operation.valueJson);
      });
      return { result, created };
    }
    case 'deleteState':
      return { result: await connector.deleteState(operation.objectId, operation.name) };
    case 'listState':
      return { result: Object.fromEntries(await connector.listState(operation.objectId)) };
    default:
      throw new Error(`the connector process does not serve ${operation.op}`);
  }
}

function describeError(id: number, error: unknown): ProtocolResponse {
  if (!(error instanceof Error)) return { id, ok: false, error: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    id,
    ok: false,
    error: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
  };
}

async function main(): Promise<void> {
  const target = JSON.parse(process.argv[2] ?? '') as ConnectorTarget;
  const factory = (await import(target.module))[target.exportName] as Factory;
  const connector = factory(target.options);
  let waiting: Array<() => void> = [];

  const serve = async (request: ProtocolRequest): Promise<void> => {
    if (request.barrier === true) {
      const released = new Promise<void>((resolve) => waiting.push(resolve));
      send({ event: 'ready', id: request.id });
      await released;
    }
    try {
      const { result, ...extra } = await run(connector, request);
      send({ id: request.id, ok: true, resultJson: JSON.stringify(result), ...extra });
    } catch (error) {
      send(describeError(request.id, error));
    }
  };

  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    const message = JSON.parse(line) as ProtocolRequest | Control;
    if (message.op === 'go') {
      const released = waiting;
      waiting = [];
      for (const release of released) release();
    } else if (message.op === 'exit') {
      lines.close();
    } else if (message.op !== 'resume') {
      void serve(message);
    }
  });
  lines.on('close', () => {
    void connector.close().then(() => process.exit(0));
  });

  send({ event: 'started' });
}

main().catch((error: unknown) => {
  send({ event: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
