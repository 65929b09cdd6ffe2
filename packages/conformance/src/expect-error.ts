import { ErrorCode } from '@state-connector/core';
import { expect } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: error classes take different constructor arguments.
type ErrorClass<E extends Error> = abstract new (...args: any[]) => E;

const codeByClassName: Record<string, string> = {
  StateNotFoundError: ErrorCode.stateNotFound,
  StateJsonError: ErrorCode.stateJson,
  InvalidNameError: ErrorCode.invalidName,
  InvalidObjectIdError: ErrorCode.invalidObjectId,
  ObjectNotFoundError: ErrorCode.objectNotFound,
  BackendError: ErrorCode.backend,
  ConnectorClosedError: ErrorCode.closed,
  SyncUnavailableError: ErrorCode.syncUnavailable,
};

function checkError<E extends Error>(error: unknown, errorClass: ErrorClass<E>): E {
  expect(error).toBeInstanceOf(errorClass);
  const code = codeByClassName[errorClass.name];
  if (code !== undefined) {
    expect((error as { code?: unknown }).code).toBe(code);
  }
  return error as E;
}

/**
 * Awaits `promise`, checks that it rejects with an instance of `errorClass` that carries the
 * class's stable `code`, and returns the error for further checks.
 */
export async function expectRejection<E extends Error>(
  promise: Promise<unknown>,
  errorClass: ErrorClass<E>,
): Promise<E> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return checkError(error, errorClass);
  }
  return expect.fail(
    `expected a rejection with ${errorClass.name}, but the call resolved with ` +
      `${JSON.stringify(value)}`,
  );
}

/** Synchronous form of {@link expectRejection}, for the blocking methods. */
export function expectThrow<E extends Error>(action: () => unknown, errorClass: ErrorClass<E>): E {
  let value: unknown;
  try {
    value = action();
  } catch (error) {
    return checkError(error, errorClass);
  }
  return expect.fail(
    `expected ${errorClass.name} to be thrown, but the call returned ${JSON.stringify(value)}`,
  );
}
