import type { BackendFailure } from '@state-connector/core';
import {
  MongoClientClosedError,
  MongoError,
  MongoErrorLabel,
  MongoExpiredSessionError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';

/** Server error code of a unique-index violation. */
export const DUPLICATE_KEY = 11000;

// Server codes after which the same command may succeed on a later attempt: the server was
// unreachable, shutting down, stepping down or out of time. The `mongodb` driver 7.9.1
// retries a read after exactly these codes.
const retryableCodes = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  134, // ReadConcernMajorityNotAvailableYet
]);

const retryableLabels = [
  MongoErrorLabel.RetryableWriteError,
  MongoErrorLabel.RetryableError,
  MongoErrorLabel.SystemOverloadedError,
  MongoErrorLabel.TransientTransactionError,
  MongoErrorLabel.PoolRequestedRetry,
];

// Server codes whose cause has a plain description. The rest are described by name and code.
const serverCauses = new Map<number, string>([
  [13, 'the user is not authorized on this database'], // Unauthorized
  [18, 'authentication failed'], // AuthenticationFailed
  [73, 'invalid database or collection name'], // InvalidNamespace
  [334, 'authentication failed'], // MechanismUnavailable
  [DUPLICATE_KEY, 'duplicate key'],
]);

const nextSteps = new Map<number, string>([
  [13, 'grant the user the readWrite role on the database'],
  [18, 'check the user name, the password and authSource in the connection string'],
  [73, 'pass a database name that the server accepts'],
  [334, 'check the user name, the password and authMechanism in the connection string'],
]);

// Node.js socket error codes, as found in the `cause` chain of the driver's network errors.
const networkCauses = new Map<string, string>([
  ['ECONNREFUSED', 'connection refused'],
  ['ECONNRESET', 'connection reset'],
  ['ETIMEDOUT', 'connection timed out'],
  ['EHOSTUNREACH', 'host unreachable'],
  ['ENETUNREACH', 'network unreachable'],
  ['ENOTFOUND', 'host not found'],
  ['EAI_AGAIN', 'host name lookup failed'],
]);

/**
 * A failure that the adapter detects itself, such as an index that cannot be built. Its
 * message contains no connection string and no stored value.
 */
export class MongoStorageError extends Error {
  readonly retryable: boolean;

  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MongoStorageError';
    this.retryable = options.retryable ?? false;
  }
}

/** Tells whether an error is a violation of a unique index. */
export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

function describeServerError(error: MongoServerError): string {
  const name = typeof error.codeName === 'string' ? `${error.codeName}, ` : '';
  const described = `server error ${name}code ${String(error.code ?? 'unknown')}`;
  if (typeof error.code !== 'number') return described;

  const cause = serverCauses.get(error.code);
  const nextStep = nextSteps.get(error.code);
  if (cause === undefined) return described;
  return nextStep === undefined
    ? `${cause}, ${described}`
    : `${cause}, ${described}, so ${nextStep}`;
}

/** Returns the socket failure in the `cause` chain of a network error, in words. */
function describeNetworkCause(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && networkCauses.has(code)) return networkCauses.get(code);
    current = current.cause;
  }
  return undefined;
}

/**
 * Describes why server selection failed: the socket failure of the first server that has
 * one, with its address (a host and port, never the connection string).
 */
function describeSelectionFailure(error: MongoServerSelectionError): string {
  const timeout = 'no server answered within the server selection timeout';
  for (const [address, server] of error.reason?.servers ?? []) {
    const cause = describeNetworkCause(server.error);
    if (cause !== undefined) return `${timeout}: ${cause} at ${address}`;
  }
  const cause = describeNetworkCause(error.cause);
  return cause === undefined ? timeout : `${timeout}: ${cause}`;
}

/**
 * Tells whether the error stopped a call that was running when its MongoClient was closed.
 * The driver then ends the call's implicit session, closes its pool and its topology, and
 * the call fails with whichever of these it reached first.
 */
function isInterruptedByClose(error: unknown): boolean {
  return (
    error instanceof MongoExpiredSessionError ||
    error instanceof MongoClientClosedError ||
    error instanceof MongoTopologyClosedError ||
    (error instanceof MongoError && error.name === 'MongoPoolClosedError')
  );
}

/**
 * Classifies a driver error for core's `BackendError`. The detail is built from the error's
 * class and code only, because a server message can quote stored values.
 */
export function classifyMongoError(error: unknown): BackendFailure {
  if (error instanceof MongoStorageError) {
    return { retryable: error.retryable, detail: error.message };
  }
  if (error instanceof MongoServerSelectionError) {
    return { retryable: true, detail: describeSelectionFailure(error) };
  }
  if (error instanceof MongoNetworkTimeoutError || error instanceof MongoOperationTimeoutError) {
    return { retryable: true, detail: 'the operation timed out' };
  }
  if (error instanceof MongoNetworkError) {
    const cause = describeNetworkCause(error);
    const detail = 'the connection to the server failed';
    return { retryable: true, detail: cause === undefined ? detail : `${detail}: ${cause}` };
  }
  if (isInterruptedByClose(error)) {
    // The call itself did nothing wrong, and the same call succeeds once the client is
    // connected again (a closed MongoClient can be reopened with connect()).
    return {
      retryable: true,
      detail:
        'the MongoClient was closed while the call ran, so a retry succeeds only after ' +
        'the client is connected again',
    };
  }
  if (error instanceof MongoNotConnectedError) {
    return {
      retryable: false,
      detail:
        'the MongoClient is closed, so connect it again or create the connector with an open client',
    };
  }
  if (!(error instanceof MongoError)) return { retryable: false };

  const labelled = retryableLabels.some((label) => error.hasErrorLabel(label));
  const coded = typeof error.code === 'number' && retryableCodes.has(error.code);
  if (error instanceof MongoServerError) {
    return { retryable: labelled || coded, detail: describeServerError(error) };
  }
  return { retryable: labelled || coded, detail: `driver error ${error.name}` };
}
