import { StateJsonError } from './errors.js';

/** A JSON value as the store accepts it: what `JSON.parse` can return. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Maximum nesting depth of a value. A scalar has depth 0 and `[[1]]` has depth 2. Deeper
 * values reject with `StateJsonError`, so that encoding and decoding never exhaust the stack.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Maximum size of a value's JSON text in UTF-8 bytes (1 MiB). It is the same on every
 * adapter and well below MongoDB's 16 MiB document limit.
 */
export const MAX_JSON_BYTES = 1024 * 1024;

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function childPath(path: string, key: string): string {
  return identifier.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
  return prototype?.constructor?.name ?? 'object';
}

function reject(path: string, problem: string): never {
  throw new StateJsonError(`Invalid JSON value at ${path}: ${problem}.`, { path });
}

function checkScalar(value: unknown, path: string): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      if (!Number.isFinite(value)) {
        reject(path, `${value} is not a finite number; JSON has no NaN or Infinity`);
      }
      return true;
    case 'undefined':
      return reject(path, 'undefined is not JSON; use null or leave the key out');
    case 'bigint':
      return reject(path, 'a BigInt is not JSON; store it as a string or a safe number');
    case 'function':
      return reject(path, 'a function is not JSON');
    case 'symbol':
      return reject(path, 'a symbol is not JSON');
    default:
      return value === null;
  }
}

function checkArray(value: unknown[], path: string, depth: number, ancestors: Set<object>): void {
  if (Object.getPrototypeOf(value) !== Array.prototype) {
    reject(path, `a ${describe(value)} is not a plain array`);
  }
  for (let index = 0; index < value.length; index++) {
    if (!(index in value)) {
      reject(`${path}[${index}]`, 'the array is sparse; JSON has no holes');
    }
    checkValue(value[index], `${path}[${index}]`, depth + 1, ancestors);
  }
  if (
    Object.keys(value).length !== value.length ||
    Object.getOwnPropertySymbols(value).length > 0
  ) {
    reject(path, 'the array has properties besides its elements, which JSON would drop');
  }
}

function checkObject(value: object, path: string, depth: number, ancestors: Set<object>): void {
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    reject(path, `a ${describe(value)} is not JSON; convert it to a plain object or a string`);
  }
  if (Object.getOwnPropertySymbols(value).length > 0) {
    reject(path, 'symbol keys are not JSON');
  }
  const keys = Object.keys(value);
  if (Object.getOwnPropertyNames(value).length !== keys.length) {
    reject(path, 'the object has non-enumerable properties, which JSON would drop');
  }
  const record = value as Record<string, unknown>;
  for (const key of keys) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key);
    if (descriptor?.get !== undefined || descriptor?.set !== undefined) {
      reject(childPath(path, key), 'an accessor property is not JSON');
    }
    if (key === 'toJSON' && typeof record[key] === 'function') {
      reject(
        childPath(path, key),
        'objects with toJSON are not stored, because toJSON hides the real value',
      );
    }
    checkValue(record[key], childPath(path, key), depth + 1, ancestors);
  }
}

function checkValue(value: unknown, path: string, depth: number, ancestors: Set<object>): void {
  if (checkScalar(value, path)) return;

  const object = value as object;
  if (depth >= MAX_JSON_DEPTH) {
    reject(path, `nesting is deeper than the limit of ${MAX_JSON_DEPTH} levels`);
  }
  if (ancestors.has(object)) {
    reject(path, 'the value contains a cycle');
  }

  ancestors.add(object);
  if (Array.isArray(object)) {
    checkArray(object, path, depth, ancestors);
  } else {
    checkObject(object, path, depth, ancestors);
  }
  ancestors.delete(object);
}

/**
 * Validates `value` against the JSON rules and returns its JSON text.
 *
 * Nothing is coerced or dropped: `undefined`, functions, symbols, BigInt, NaN, the
 * infinities, class instances (`Date`, `Map`, `Buffer`, ...), objects with `toJSON`, sparse
 * arrays, cycles, nesting deeper than {@link MAX_JSON_DEPTH} and text over
 * {@link MAX_JSON_BYTES} all reject with `StateJsonError`. `-0` is encoded as `0`.
 *
 * @param label - name of the value in error paths, such as `value`.
 */
export function encodeJson(value: unknown, label = 'value'): string {
  checkValue(value, label, 0, new Set());

  const text = JSON.stringify(value);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_JSON_BYTES) {
    throw new StateJsonError(
      `Invalid JSON value at ${label}: its JSON text is ${bytes} bytes, over the limit of ` +
        `${MAX_JSON_BYTES} bytes; store large data elsewhere and keep a reference here.`,
      { path: label },
    );
  }
  return text;
}

/**
 * Parses stored JSON text. Text that does not parse rejects with `StateJsonError`, because a
 * corrupt value must never pass for a missing one.
 */
export function decodeJson(text: string, where: string): Json {
  let value: Json;
  try {
    value = JSON.parse(text) as Json;
  } catch (error) {
    throw new StateJsonError(
      `Stored value of ${where} is not valid JSON (${previewText(text)}); ` +
        'overwrite it with setState or remove it with deleteState.',
      { cause: error },
    );
  }
  if (mayOverflow.test(text) && hasNonFiniteNumber(text)) {
    throw new StateJsonError(
      `Stored value of ${where} contains a number beyond the range of a JavaScript number ` +
        `(${previewText(text)}), which would read as Infinity; overwrite it with setState.`,
    );
  }
  return value;
}

function previewText(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
}

// JSON.parse turns a number over about 1.8e308 into Infinity. Only a run of 309 or more
// digits or an exponent of three or more digits can be one, so most text skips the check.
const mayOverflow = /\d{309}|[eE][+]?\d{3}/;

function hasNonFiniteNumber(text: string): boolean {
  let found = false;
  JSON.parse(text, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) found = true;
    return value;
  });
  return found;
}

/**
 * Checks JSON text that another client wrote, such as a value in an export, before it is
 * stored exactly as given: it must parse, and its UTF-8 size must not exceed
 * {@link MAX_JSON_BYTES}. Rejects with `StateJsonError` naming `where`.
 */
export function checkJsonText(text: unknown, where: string): asserts text is string {
  if (typeof text !== 'string') {
    throw new StateJsonError(
      `Invalid JSON text for ${where}: expected a string, got ${typeof text}.`,
    );
  }
  if (!text.isWellFormed()) {
    throw new StateJsonError(
      `Invalid JSON text for ${where}: it contains a lone surrogate character, which no ` +
        'backend can store; write it as a \\u escape such as "\\ud800" instead.',
    );
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new StateJsonError(
      `Invalid JSON text for ${where} (${previewText(text)}): it does not parse as JSON.`,
      { cause: error },
    );
  }
  if (mayOverflow.test(text) && hasNonFiniteNumber(text)) {
    throw new StateJsonError(
      `Invalid JSON text for ${where} (${previewText(text)}): it contains a number beyond the ` +
        'range of a JavaScript number, which would read as Infinity.',
    );
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_JSON_BYTES) {
    throw new StateJsonError(
      `Invalid JSON text for ${where}: it is ${bytes} bytes, over the limit of ` +
        `${MAX_JSON_BYTES} bytes.`,
    );
  }
}
