import type { BackendFailure } from '@state-connector/core';
import {
  MongoClientClosedError,
  MongoError,
  MongoErrorLabel,
  MongoNetworkError,
  MongoNetworkTimeoutError,
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
  const name = typeof error.codeName === 'string' ? `${error.codeName} ` : '';
  return `server error ${name}(code ${String(error.code ?? 'unknown')})`;
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
    return {
      retryable: true,
      detail: 'no server answered within the server selection timeout',
    };
  }
  if (error instanceof MongoNetworkTimeoutError || error instanceof MongoOperationTimeoutError) {
    return { retryable: true, detail: 'the operation timed out' };
  }
  if (error instanceof MongoNetworkError) {
    return { retryable: true, detail: 'the connection to the server failed' };
  }
  if (error instanceof MongoTopologyClosedError || error instanceof MongoClientClosedError) {
    return { retryable: false, detail: 'the MongoClient was closed' };
  }
  if (!(error instanceof MongoError)) return { retryable: false };

  const labelled = retryableLabels.some((label) => error.hasErrorLabel(label));
  const coded = typeof error.code === 'number' && retryableCodes.has(error.code);
  if (error instanceof MongoServerError) {
    return { retryable: labelled || coded, detail: describeServerError(error) };
  }
  return { retryable: labelled || coded, detail: `driver error ${error.name}` };
}
