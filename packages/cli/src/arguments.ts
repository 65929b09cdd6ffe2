import { text } from 'node:stream/consumers';
import {
  type AdministeredStateConnector,
  type Json,
  toStoredClassName,
  toStoredObjectName,
} from '@state-connector/core';
import { type Command, Option } from 'commander';
import { CliError, UsageError } from './cli-errors.js';

/**
 * Parses a JSON value given on the command line; `-` reads it from stdin.
 *
 * @throws UsageError - the text is not valid JSON.
 */
export async function parseJsonArgument(argument: string, label: string): Promise<Json> {
  const source = argument === '-' ? await text(process.stdin) : argument;
  try {
    return JSON.parse(source) as Json;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const preview = source.length > 60 ? `${source.slice(0, 60)}...` : source;
    throw new UsageError(
      `Invalid JSON for ${label}: ${JSON.stringify(preview)} (${reason}). ` +
        `Quote strings as JSON, for example '"text"' in a POSIX shell.`,
      'INVALID_JSON',
    );
  }
}

/**
 * Parses an object id given on the command line.
 *
 * @throws UsageError - the text is not a positive integer.
 */
export function parseObjectIdArgument(argument: string): number {
  const objectId = /^[0-9]+$/.test(argument) ? Number(argument) : Number.NaN;
  if (!Number.isSafeInteger(objectId) || objectId <= 0) {
    throw new UsageError(
      `Invalid object id ${JSON.stringify(argument)}: expected a positive integer, as printed ` +
        'by the object-id command, or use --object NAME --class CLASS.',
      'INVALID_OBJECT_ID',
    );
  }
  return objectId;
}

/** Adds `--object` and `--class`, which name an object instead of its id. */
export function addObjectOptions(command: Command): Command {
  return command
    .addOption(new Option('--object <name>', 'object name; use with --class instead of OBJECT_ID'))
    .addOption(new Option('--class <class>', 'class name of the object given with --object'));
}

/** The object that a command acts on, and the positional arguments that follow it. */
export interface ObjectTarget {
  /** The id from the first positional argument, or undefined when the object is named. */
  objectId: number | undefined;
  /** The object from `--object` and `--class`, or undefined when an id was given. */
  identity: { name: string; className: string } | undefined;
  rest: string[];
}

/**
 * Reads the object that a command acts on, from its first positional argument or from
 * `--object` and `--class`, and checks the count of the remaining arguments. It does no I/O,
 * so a command can check all its input before it touches the store.
 *
 * @throws UsageError - an argument is missing, extra or not an object id.
 */
export function readObjectTarget(command: Command, restNames: readonly string[]): ObjectTarget {
  const options = command.opts<{ object?: string; class?: string }>();
  const args = [...command.args];
  const named = options.object !== undefined || options.class !== undefined;
  if (named && (options.object === undefined || options.class === undefined)) {
    throw new UsageError('--object and --class go together: give both, or an OBJECT_ID.');
  }

  const first = named ? undefined : args.shift();
  if (!named && first === undefined) {
    throw new UsageError('missing OBJECT_ID: give an object id, or --object NAME --class CLASS.');
  }
  if (args.length < restNames.length) {
    throw new UsageError(`missing ${restNames.slice(args.length).join(' ')}.`);
  }
  if (args.length > restNames.length) {
    throw new UsageError(
      `too many arguments: expected ${restNames.join(' ') || 'none'} after the object, got ` +
        `${args.map((arg) => JSON.stringify(arg)).join(' ')}.`,
    );
  }

  if (first !== undefined) {
    return { objectId: parseObjectIdArgument(first), identity: undefined, rest: args };
  }
  const identity = { name: options.object ?? '', className: options.class ?? '' };
  return { objectId: undefined, identity, rest: args };
}

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
