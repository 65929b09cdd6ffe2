import type { ConnectorOptions } from './connector-options.js';
import { InvalidObjectIdError } from './errors.js';

/** Checks that an object id is one that `getObjectId` could have returned. */
export function checkObjectId(objectId: unknown): asserts objectId is number {
  if (typeof objectId !== 'number' || !Number.isSafeInteger(objectId) || objectId <= 0) {
    throw new InvalidObjectIdError(objectId);
  }
}

/** Checks the options that every adapter factory passes through to core. */
export function checkConnectorOptions(options: ConnectorOptions): void {
  const { logger, objectIdCacheSize } = options;
  if (logger !== undefined && typeof logger !== 'function') {
    throw new TypeError(`Invalid logger option: expected a function, got ${typeof logger}.`);
  }
  if (
    objectIdCacheSize !== undefined &&
    (!Number.isSafeInteger(objectIdCacheSize) || objectIdCacheSize < 1)
  ) {
    throw new TypeError(
      `Invalid objectIdCacheSize option ${String(objectIdCacheSize)}: expected a positive integer.`,
    );
  }
}
