import {
  checkJsonText,
  type ObjectRecord,
  toStoredClassName,
  toStoredObjectName,
  toStoredStateName,
} from '@state-connector/core';
import { CliError } from '../cli-errors.js';

/** A line of an export that stores one object identity under its id. */
export interface ObjectLine {
  type: 'object';
  id: number;
  name: string;
  class_name: string;
}

/** A line of an export that stores one state value as its exact JSON text. */
export interface StateLine {
  type: 'state';
  objectid: number;
  name: string;
  value_json: string;
}

/** Formats an object as one line of an export, without the line break. */
export function formatObjectLine(record: ObjectRecord): string {
  const line: ObjectLine = {
    type: 'object',
    id: record.id,
    name: record.name,
    class_name: record.className,
  };
  return JSON.stringify(line);
}

/** Formats a state value as one line of an export, without the line break. */
export function formatStateLine(objectId: number, name: string, text: string): string {
  const line: StateLine = { type: 'state', objectid: objectId, name, value_json: text };
  return JSON.stringify(line);
}

/** Orders state names by their UTF-8 bytes, which is the order of Unicode code points. */
export function compareStoredNames(left: string, right: string): number {
  return Buffer.compare(Buffer.from(left, 'utf8'), Buffer.from(right, 'utf8'));
}

/**
 * Maximum object id that an import accepts: 2147483647, the limit of a 32-bit integer.
 * Buildbot (3.7, `buildbot/db/model.py`) declares `objects.id` as SQLAlchemy `Integer`, a
 * 32-bit `INTEGER` in PostgreSQL and MySQL. SQLite could hold more, but an export must fit
 * every backend, and on PostgreSQL a larger id would fail in the middle of an import.
 */
export const MAX_IMPORT_OBJECT_ID = 2_147_483_647;

/** An import line that is not a valid object or state line. */
export class InvalidLineError extends CliError {
  constructor(lineNumber: number, problem: string) {
    super('INVALID_IMPORT_LINE', `Invalid import line ${lineNumber}: ${problem}`);
    this.name = 'InvalidLineError';
  }
}

const objectKeys = ['type', 'id', 'name', 'class_name'];
const stateKeys = ['type', 'objectid', 'name', 'value_json'];

function checkKeys(
  line: Record<string, unknown>,
  expected: string[],
  kind: 'an object' | 'a state',
  lineNumber: number,
): void {
  for (const key of Object.keys(line)) {
    if (!expected.includes(key)) {
      throw new InvalidLineError(
        lineNumber,
        `unknown field ${JSON.stringify(key)}; ${kind} line has the fields ` +
          `${expected.join(', ')}.`,
      );
    }
  }
}

function checkId(value: unknown, field: string, lineNumber: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidLineError(
      lineNumber,
      `${field} must be a positive integer, got ${JSON.stringify(value) ?? typeof value}.`,
    );
  }
  if (value > MAX_IMPORT_OBJECT_ID) {
    throw new InvalidLineError(
      lineNumber,
      `${field} ${value} is over the maximum object id of ${MAX_IMPORT_OBJECT_ID}, which ` +
        "Buildbot's SQL schemas and the PostgreSQL adapter cannot store.",
    );
  }
  return value;
}

// Node's UTF-8 encoder, which every driver uses, turns a lone surrogate into U+FFFD, so the
// stored value would differ from the imported one. Its escape `\ud800` is plain ASCII.
function checkWellFormed(text: string, where: string, lineNumber: number): void {
  if (text.isWellFormed()) return;
  for (const character of text) {
    if (character.isWellFormed()) continue;
    const codePoint = character.charCodeAt(0).toString(16).toUpperCase();
    throw new InvalidLineError(
      lineNumber,
      `value_json of ${where} contains the lone surrogate U+${codePoint} as a raw character, ` +
        'which every backend would store as U+FFFD; write it as a \\u escape in the JSON text.',
    );
  }
}

function checkString(value: unknown, field: string, lineNumber: number): string {
  if (typeof value !== 'string') {
    throw new InvalidLineError(lineNumber, `${field} must be a string, got ${typeof value}.`);
  }
  return value;
}

// Applies a core rule and reports its failure with the line number.
function checkRule(lineNumber: number, rule: () => void): void {
  try {
    rule();
  } catch (error) {
    throw new InvalidLineError(lineNumber, error instanceof Error ? error.message : String(error));
  }
}

function toObjectLine(line: Record<string, unknown>, lineNumber: number): ObjectLine {
  checkKeys(line, objectKeys, 'an object', lineNumber);
  const id = checkId(line['id'], 'id', lineNumber);
  const name = checkString(line['name'], 'name', lineNumber);
  const className = checkString(line['class_name'], 'class_name', lineNumber);
  checkRule(lineNumber, () => {
    toStoredObjectName(name);
    toStoredClassName(className);
  });
  return { type: 'object', id, name, class_name: className };
}

function toStateLine(line: Record<string, unknown>, lineNumber: number): StateLine {
  checkKeys(line, stateKeys, 'a state', lineNumber);
  const objectId = checkId(line['objectid'], 'objectid', lineNumber);
  const name = checkString(line['name'], 'name', lineNumber);
  const text = checkString(line['value_json'], 'value_json', lineNumber);
  const where = `state ${JSON.stringify(name)} of object ${objectId}`;
  checkWellFormed(text, where, lineNumber);
  checkRule(lineNumber, () => {
    toStoredStateName(name);
    checkJsonText(text, where);
  });
  return { type: 'state', objectid: objectId, name, value_json: text };
}

/**
 * Parses and checks one line of an import: its JSON, its type, its fields and the name and
 * value rules of core.
 *
 * @throws InvalidLineError - naming the line number and the problem.
 */
export function parseLine(text: string, lineNumber: number): ObjectLine | StateLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidLineError(lineNumber, `not valid JSON (${reason}).`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidLineError(lineNumber, 'expected a JSON object with a "type" field.');
  }

  const line = parsed as Record<string, unknown>;
  if (line['type'] === 'object') return toObjectLine(line, lineNumber);
  if (line['type'] === 'state') return toStateLine(line, lineNumber);
  throw new InvalidLineError(
    lineNumber,
    `unknown type ${JSON.stringify(line['type']) ?? 'undefined'}; expected "object" or "state".`,
  );
}
