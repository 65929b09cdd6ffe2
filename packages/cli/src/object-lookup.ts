import {
  type AdministeredStateConnector,
  toStoredClassName,
  toStoredObjectName,
} from '@state-connector/core';
import type { ObjectTarget } from './arguments.js';
import { CliError } from './cli-errors.js';

/**
 * Returns the id of a target's object. With `create`, a named object that does not exist is
 * created, as `getObjectId` does. Without it, the store is only read, and an unknown object
 * rejects with a `CliError` of code `OBJECT_NOT_FOUND`.
 */
export async function lookUpObjectId(
  connector: AdministeredStateConnector,
  target: ObjectTarget,
  create: boolean,
): Promise<number> {
  if (target.objectId !== undefined) return target.objectId;

  const { name, className } = target.identity ?? { name: '', className: '' };
  if (create) return connector.getObjectId(name, className);
  return findObjectId(connector, name, className);
}

/**
 * Returns the id of `(name, className)` without creating the object. It reads the whole
 * object list, because the connector has no read-only lookup by identity.
 */
export async function findObjectId(
  connector: AdministeredStateConnector,
  name: string,
  className: string,
): Promise<number> {
  const storedName = toStoredObjectName(name);
  const storedClass = toStoredClassName(className);
  const objects = await connector.listObjects();
  const found = objects.find(
    (object) => object.name === storedName && object.className === storedClass,
  );
  if (found === undefined) {
    throw new CliError(
      'OBJECT_NOT_FOUND',
      `Object ${JSON.stringify(name)} of class ${JSON.stringify(className)} not found; ` +
        'the list command shows the objects of the store.',
    );
  }
  return found.id;
}

/**
 * Checks that an object with this id exists, because `getState` and `deleteState` cannot
 * tell an unknown object from a missing state name. It reads the whole object list, so
 * commands call it only after a lookup missed.
 *
 * @throws CliError - code `OBJECT_NOT_FOUND`, when no object has the id.
 */
export async function checkObjectExists(
  connector: AdministeredStateConnector,
  objectId: number,
): Promise<void> {
  const objects = await connector.listObjects();
  if (objects.some((object) => object.id === objectId)) return;
  throw new CliError(
    'OBJECT_NOT_FOUND',
    `Object ${objectId} not found; the list command without arguments shows the objects.`,
  );
}
