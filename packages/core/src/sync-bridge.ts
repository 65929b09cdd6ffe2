import { createSyncFn } from 'synckit';
import {
  BackendError,
  ConnectorClosedError,
  ErrorCode,
  InvalidNameError,
  InvalidObjectIdError,
  ObjectNotFoundError,
  StateJsonError,
  StateNotFoundError,
  SyncUnavailableError,
} from './errors.js';
import type { SerializedError, SyncRequest, SyncResponse } from './sync-protocol.js';

/**
 * The recipe by which a worker thread rebuilds a connector: the module that exports the
 * adapter's factory, the export's name, and options that survive `structuredClone` (no live
 * pool or client).
 */
export interface SyncTarget {
  /** A `file:` URL or package specifier that the worker can import. */
  module: string;
  exportName: string;
  options: unknown;
}

type SyncCall = (request: SyncRequest) => SyncResponse;

let syncCall: SyncCall | undefined;

// One worker thread per process serves every connector; synckit unrefs it, so it never keeps
// the process alive.
function getSyncCall(): SyncCall {
  syncCall ??= createSyncFn<(request: SyncRequest) => Promise<SyncResponse>>(
    new URL('./sync-worker.js', import.meta.url),
  );
  return syncCall;
}

function rebuildError(error: SerializedError): Error {
  switch (error.code) {
    case ErrorCode.stateNotFound:
      return new StateNotFoundError(error.objectId ?? 0, error.stateName ?? '');
    case ErrorCode.objectNotFound:
      return new ObjectNotFoundError(error.objectId ?? 0);
    case ErrorCode.stateJson:
      return new StateJsonError(
        error.message,
        error.path === undefined ? {} : { path: error.path },
      );
    case ErrorCode.invalidName:
      return new InvalidNameError(error.message);
    case ErrorCode.invalidObjectId:
      return new InvalidObjectIdError(error.objectId);
    case ErrorCode.closed:
      return new ConnectorClosedError(error.operation ?? 'the synchronous call');
    default: {
      const cause = new Error(error.causeMessage ?? error.message);
      return new BackendError(error.backend ?? 'backend', error.operation ?? 'synchronous call', {
        retryable: error.retryable ?? false,
        cause,
        ...(error.detail === undefined ? {} : { detail: error.detail }),
      });
    }
  }
}

/** Runs the synchronous methods of one connector through the shared worker thread. */
export class SyncBridge {
  readonly #target: SyncTarget | string;
  #used = false;

  constructor(target: SyncTarget | string) {
    this.#target = target;
  }

  getObjectId(name: string, className: string): number {
    return this.#run('getObjectIdSync', { op: 'getObjectId', name, className }) as number;
  }

  /** Returns the stored JSON text, or `undefined` when the name has no value. */
  readState(objectId: number, name: string): string | undefined {
    const value = this.#run('getStateSync', { op: 'readState', objectId, name });
    return value === null ? undefined : (value as string);
  }

  /** Writes JSON text and returns the text stored right after the call. */
  writeState(objectId: number, name: string, text: string): string {
    return this.#run('setStateSync', { op: 'writeState', objectId, name, text }) as string;
  }

  /** Closes this connector's twin in the worker thread, if a synchronous call made one. */
  close(): void {
    if (!this.#used || typeof this.#target === 'string') return;
    getSyncCall()({ target: this.#target, call: { op: 'close' } });
  }

  /** Throws `SyncUnavailableError` if this connector has no synchronous methods. */
  checkAvailable(operation: string): void {
    if (typeof this.#target === 'string') {
      throw new SyncUnavailableError(operation, this.#target);
    }
  }

  #run(operation: string, call: SyncRequest['call']): number | string | null {
    this.checkAvailable(operation);
    if (typeof this.#target === 'string') return null;
    this.#used = true;

    const response = getSyncCall()({ target: this.#target, call });
    if (!response.ok) throw rebuildError(response.error);
    return response.value;
  }
}
