/**
 * Stable codes of the errors that a connector rejects with. They never change between
 * releases, so callers can branch on `error.code` instead of on the class or the message.
 */
export const ErrorCode = {
  stateNotFound: 'STATE_NOT_FOUND',
  stateJson: 'STATE_JSON_INVALID',
  invalidName: 'INVALID_NAME',
  invalidObjectId: 'INVALID_OBJECT_ID',
  objectNotFound: 'OBJECT_NOT_FOUND',
  backend: 'BACKEND_FAILURE',
  closed: 'CONNECTOR_CLOSED',
  syncUnavailable: 'SYNC_UNAVAILABLE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const MAX_QUOTED_LENGTH = 120;

/**
 * Quotes a name or value for an error message as a JSON string, cut to its first 120 UTF-16
 * units so that a huge argument cannot make a huge message.
 */
export function quoteForMessage(text: string): string {
  if (text.length <= MAX_QUOTED_LENGTH) return JSON.stringify(text);
  return `${JSON.stringify(text.slice(0, MAX_QUOTED_LENGTH))}... (${text.length} UTF-16 units)`;
}

/** Any error of this library: every class below has a `code` from {@link ErrorCode}. */
export interface StateConnectorError extends Error {
  readonly code: ErrorCode;
}

/** Tells whether `error` is one of this library's errors, whatever its class. */
export function isStateConnectorError(error: unknown): error is StateConnectorError {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (Object.values(ErrorCode) as unknown[]).includes(code);
}

/**
 * The state name has no value on this object, and the call gave no default. It is the
 * counterpart of the `KeyError` that Buildbot's `getState` raises.
 */
export class StateNotFoundError extends Error {
  readonly code = ErrorCode.stateNotFound;
  readonly objectId: number;
  readonly stateName: string;

  constructor(objectId: number, stateName: string) {
    super(
      `State ${quoteForMessage(stateName)} not found on object ${objectId}; ` +
        'pass a default as the third argument of getState to get a value instead.',
    );
    this.name = 'StateNotFoundError';
    this.objectId = objectId;
    this.stateName = stateName;
  }
}

/**
 * A value is not JSON that the store accepts (the message names the path of the offending
 * part), or a stored value is not valid JSON text.
 */
export class StateJsonError extends TypeError {
  readonly code = ErrorCode.stateJson;
  /** Path of the offending part, such as `value.runs[3].at`; absent for stored text. */
  readonly path: string | undefined;

  constructor(message: string, options?: { path?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StateJsonError';
    this.path = options?.path;
  }
}

/** An object name, class name or state name breaks the name rules. */
export class InvalidNameError extends TypeError {
  readonly code = ErrorCode.invalidName;

  constructor(message: string) {
    super(message);
    this.name = 'InvalidNameError';
  }
}

/** An object id is not a number that `getObjectId` could have returned. */
export class InvalidObjectIdError extends TypeError {
  readonly code = ErrorCode.invalidObjectId;

  constructor(objectId: unknown) {
    const shown = typeof objectId === 'number' ? String(objectId) : typeof objectId;
    super(`Invalid object id ${shown}: expected a positive safe integer from getObjectId.`);
    this.name = 'InvalidObjectIdError';
  }
}

/** No object has this id in the store. */
export class ObjectNotFoundError extends Error {
  readonly code = ErrorCode.objectNotFound;
  readonly objectId: number;

  constructor(objectId: number) {
    super(
      `Object ${objectId} not found; get a valid id from getObjectId(name, className) ` +
        'on the same store.',
    );
    this.name = 'ObjectNotFoundError';
    this.objectId = objectId;
  }
}

/**
 * The backend failed: a lost connection, a timeout, a server error. The driver's error is
 * kept as `cause`. `retryable` is true when the same call may succeed if tried again, for
 * example after a dropped connection or a lock timeout.
 */
export class BackendError extends Error {
  readonly code = ErrorCode.backend;
  readonly retryable: boolean;
  /** Name of the backend, such as `sqlite`, `postgres` or `mongo`. */
  readonly backend: string;
  /** The connector method that failed, such as `setState`. */
  readonly operation: string;
  /** A description of the failure in words and without secrets, when the adapter has one. */
  readonly detail: string | undefined;

  constructor(
    backend: string,
    operation: string,
    options: { retryable: boolean; cause: unknown; detail?: string },
  ) {
    const advice = options.retryable
      ? 'The call may succeed if retried.'
      : 'Retrying will not help until the cause is fixed: check the connection settings, ' +
        'the server and the database.';
    const detail = options.detail === undefined ? '' : ` (${options.detail})`;
    super(`${backend} ${operation} failed${detail}. ${advice}`, { cause: options.cause });
    this.name = 'BackendError';
    this.retryable = options.retryable;
    this.backend = backend;
    this.operation = operation;
    this.detail = options.detail;
  }
}

/** The connector was closed; create a new one to go on. */
export class ConnectorClosedError extends Error {
  readonly code = ErrorCode.closed;

  constructor(operation: string) {
    super(`Cannot call ${operation}: the connector is closed. Create a new connector.`);
    this.name = 'ConnectorClosedError';
  }
}

/**
 * A synchronous method was called on a connector that cannot be rebuilt in a worker thread,
 * because it was made from the caller's own live pool or client.
 */
export class SyncUnavailableError extends Error {
  readonly code = ErrorCode.syncUnavailable;

  constructor(operation: string, reason: string) {
    super(`${operation} is unavailable: ${reason}`);
    this.name = 'SyncUnavailableError';
  }
}
