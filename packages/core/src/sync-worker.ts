import { runAsWorker } from 'synckit';
import type { StateConnector } from './connector.js';
import { isStateConnectorError, StateNotFoundError } from './errors.js';
import type { SyncTarget } from './sync-bridge.js';
import type { SerializedError, SyncRequest, SyncResponse } from './sync-protocol.js';

type Factory = (options: unknown) => StateConnector;

// Connectors built in this thread, one per target, reused across calls.
const connectors = new Map<string, Promise<StateConnector>>();

function targetKey(target: SyncTarget): string {
  return JSON.stringify([target.module, target.exportName, target.options]);
}

async function openConnector(target: SyncTarget): Promise<StateConnector> {
  const exports = (await import(target.module)) as Record<string, unknown>;
  const factory = exports[target.exportName];
  if (typeof factory !== 'function') {
    throw new TypeError(`${target.module} does not export a function ${target.exportName}.`);
  }
  return (factory as Factory)(target.options);
}

function getConnector(target: SyncTarget): Promise<StateConnector> {
  const key = targetKey(target);
  let connector = connectors.get(key);
  if (connector === undefined) {
    connector = openConnector(target);
    connectors.set(key, connector);
    connector.catch(() => connectors.delete(key));
  }
  return connector;
}

function serialize(error: unknown): SerializedError {
  const fields = error as Record<string, unknown>;
  const message = error instanceof Error ? error.message : String(error);
  const serialized: SerializedError = {
    code: isStateConnectorError(error) ? error.code : 'BACKEND_FAILURE',
    message,
  };
  for (const key of ['objectId', 'path', 'backend', 'operation', 'retryable', 'detail'] as const) {
    if (fields[key] !== undefined)
      (serialized as unknown as Record<string, unknown>)[key] = fields[key];
  }
  if (typeof fields['stateName'] === 'string') serialized.stateName = fields['stateName'];
  const cause = fields['cause'];
  if (cause instanceof Error) serialized.causeMessage = cause.message;
  return serialized;
}

async function handle(request: SyncRequest): Promise<SyncResponse> {
  const { target, call } = request;
  if (call.op === 'close') {
    const key = targetKey(target);
    const connector = connectors.get(key);
    connectors.delete(key);
    await (await connector)?.close();
    return { ok: true, value: null };
  }

  const connector = await getConnector(target);
  switch (call.op) {
    case 'getObjectId':
      return { ok: true, value: await connector.getObjectId(call.name, call.className) };
    case 'readState':
      try {
        const value = await connector.getState(call.objectId, call.name);
        return { ok: true, value: JSON.stringify(value) };
      } catch (error) {
        if (error instanceof StateNotFoundError) return { ok: true, value: null };
        throw error;
      }
    case 'writeState': {
      const value = await connector.setState(call.objectId, call.name, JSON.parse(call.text));
      return { ok: true, value: JSON.stringify(value) };
    }
  }
}

runAsWorker(async (request: SyncRequest): Promise<SyncResponse> => {
  try {
    return await handle(request);
  } catch (error) {
    return { ok: false, error: serialize(error) };
  }
});
