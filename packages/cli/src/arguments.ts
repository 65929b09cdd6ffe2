import { text } from 'node:stream/consumers';
import {
  encodeJson,
  InvalidNameError,
  type Json,
  StateJsonError,
  toStoredClassName,
  toStoredObjectName,
  toStoredStateName,
} from '@state-connector/core';
import { type Command, Option } from 'commander';
import { UsageError } from './cli-errors.js';

function previewOf(source: string): string {
  return JSON.stringify(source.length > 60 ? `${source.slice(0, 60)}...` : source);
}

/**
 * Parses a JSON value given on the command line; `-` reads it from stdin. The value must
 * also be one that the store accepts, so `1e400`, which parses to Infinity, is invalid.
 *
 * @throws UsageError - the text is not valid JSON, or the store would reject its value
 *   (a number out of range, nesting over MAX_JSON_DEPTH, text over MAX_JSON_BYTES).
 */
export async function parseJsonArgument(argument: string, label: string): Promise<Json> {
  const source = argument === '-' ? await text(process.stdin) : argument;
  let value: Json;
  try {
    value = JSON.parse(source) as Json;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      `Invalid JSON for ${label}: ${previewOf(source)} (${reason}). ` +
        `Quote strings as JSON, for example '"text"' in a POSIX shell.`,
      'INVALID_JSON',
    );
  }

  try {
    encodeJson(value, 'value');
  } catch (error) {
    if (!(error instanceof StateJsonError)) throw error;
    throw new UsageError(
      `Invalid JSON for ${label}: ${previewOf(source)} parses to a value that the store ` +
        `rejects. ${error.message}`,
      'INVALID_JSON',
    );
  }
  return value;
}

// Applies a name rule of core and turns its failure into a usage error.
function checkNameArgument(rule: () => void): void {
  try {
    rule();
  } catch (error) {
    if (!(error instanceof InvalidNameError)) throw error;
    throw new UsageError(error.message, error.code);
  }
}

/**
 * Checks a state name given on the command line against the name rules, before the command
 * touches the store.
 *
 * @throws UsageError - the name breaks a rule, such as containing U+0000.
 */
export function checkStateNameArgument(name: string): void {
  checkNameArgument(() => toStoredStateName(name));
}

/**
 * Checks an object name and class name given on the command line against the name rules.
 *
 * @throws UsageError - a name breaks a rule, such as a class name over 128 code points.
 */
export function checkObjectNameArguments(name: string, className: string): void {
  checkNameArgument(() => {
    toStoredObjectName(name);
    toStoredClassName(className);
  });
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
 * `--object` and `--class`, and checks the count of the remaining arguments and the names of
 * the object. It does no I/O, so a command can check all its input before it touches the store.
 *
 * @throws UsageError - an argument is missing, extra or not an object id, or a name is invalid.
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
  checkObjectNameArguments(identity.name, identity.className);
  return { objectId: undefined, identity, rest: args };
}
