import type { SyncTarget } from './sync-bridge.js';

/** A call from a synchronous method to the worker thread. */
export interface SyncRequest {
  target: SyncTarget;
  call:
    | { op: 'getObjectId'; name: string; className: string }
    | { op: 'readState'; objectId: number; name: string }
    | { op: 'writeState'; objectId: number; name: string; text: string }
    | { op: 'close' };
}

/** An error of this library, flattened so that it can cross the thread boundary. */
export interface SerializedError {
  code: string;
  message: string;
  objectId?: number;
  stateName?: string;
  path?: string;
  operation?: string;
  backend?: string;
  retryable?: boolean;
  detail?: string;
  causeMessage?: string;
}

/**
 * The worker's reply. Values cross as JSON text so that lone surrogates, `-0` and keys such
 * as `__proto__` keep their exact form; `null` in `value` means "no value stored".
 */
export type SyncResponse =
  | { ok: true; value: number | string | null }
  | { ok: false; error: SerializedError };
