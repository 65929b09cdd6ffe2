import { MAX_JSON_BYTES, MAX_JSON_DEPTH } from '@state-connector/core';
import { expect } from 'vitest';

/** A value and the name that a test shows for it. */
export interface ValueSample {
  label: string;
  value: unknown;
}

/** A value that the store must reject, and the path that its `StateJsonError` names. */
export interface InvalidSample extends ValueSample {
  path: string;
}

/** Builds an object whose own enumerable keys are exactly `entries`, in order. */
export function objectWithKeys(entries: Array<[string, unknown]>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) {
    // defineProperty, because assigning `__proto__` would set the prototype instead.
    Object.defineProperty(result, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return result;
}

/** Wraps `leaf` in `levels` arrays: `nestArrays(2, 1)` is `[[1]]`, which has depth 2. */
export function nestArrays(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}

/** Wraps `leaf` in `levels` objects under the key `a`. */
export function nestObjects(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let level = 0; level < levels; level++) value = { a: value };
  return value;
}

/** Returns a string whose JSON text is exactly `bytes` UTF-8 bytes, using 3-byte characters. */
export function stringOfJsonBytes(bytes: number): string {
  const euros = 1000;
  // Two quotes, 1000 euro signs of 3 bytes each, and ASCII for the rest.
  return '€'.repeat(euros) + 'x'.repeat(bytes - 2 - 3 * euros);
}

const shared = { reused: true };

/** Values that must round-trip exactly: equal after parsing and identical as JSON text. */
export function roundTripSamples(): ValueSample[] {
  return [
    { label: 'null', value: null },
    { label: 'true', value: true },
    { label: 'false', value: false },
    { label: 'zero', value: 0 },
    { label: 'negative fraction', value: -17.25 },
    { label: '1e21', value: 1e21 },
    { label: '5e-324', value: 5e-324 },
    { label: 'MAX_SAFE_INTEGER', value: Number.MAX_SAFE_INTEGER },
    { label: 'MIN_SAFE_INTEGER', value: Number.MIN_SAFE_INTEGER },
    { label: 'MAX_VALUE', value: Number.MAX_VALUE },
    { label: '0.1 + 0.2', value: 0.1 + 0.2 },
    { label: 'empty string', value: '' },
    { label: 'number-like string', value: '42' },
    { label: 'exponent-like string', value: '1e21' },
    { label: 'JSON-like string', value: '{"a":[1,2]}' },
    { label: 'null-like string', value: 'null' },
    { label: 'string with NUL', value: 'a\u0000b' },
    { label: 'lone high surrogate', value: '\ud800' },
    { label: 'lone low surrogate', value: 'x\udfffy' },
    { label: 'reversed surrogate pair', value: '\udc00\ud800' },
    { label: 'emoji', value: '😀 👩‍👩‍👧 🇫🇷' },
    { label: 'U+10FFFF', value: '\u{10ffff}' },
    { label: 'line separators', value: '\u2028\u2029\r\n\t' },
    { label: 'quotes and backslashes', value: '"\\/\'' },
    { label: 'control characters', value: '\u0001\u001f\u007f' },
    { label: 'byte order mark', value: '\ufeffbom' },
    { label: 'empty array', value: [] },
    { label: 'empty object', value: {} },
    { label: 'key order', value: { zeta: 1, alpha: 2, mid: { b: 1, a: 2 } } },
    { label: 'integer-like keys', value: { b: 1, 10: 2, 2: 3, a: 4 } },
    {
      label: 'keys __proto__, a.b, $set',
      value: objectWithKeys([
        ['__proto__', { polluted: true }],
        ['a.b', 1],
        ['$set', { x: 1 }],
        ['constructor', 'c'],
        ['toJSON', 'not a function'],
        ['', 'empty key'],
        ['\u0000', 'NUL key'],
        ['\ud800', 'lone surrogate key'],
      ]),
    },
    { label: 'null-prototype object', value: Object.assign(Object.create(null), { a: [1] }) },
    { label: 'shared reference', value: { left: shared, right: shared } },
    {
      label: 'nested mix',
      value: { runs: [{ at: '2024-01-01T00:00:00Z', ok: true, note: null }], deep: [[[]], {}] },
    },
    { label: 'depth MAX_JSON_DEPTH in arrays', value: nestArrays(MAX_JSON_DEPTH) },
    { label: 'depth MAX_JSON_DEPTH in objects', value: nestObjects(MAX_JSON_DEPTH) },
  ];
}

class Point {
  constructor(readonly x: number) {}
}

/** Values that must reject with `StateJsonError` naming `path`. Fresh instances each call. */
export function invalidSamples(): InvalidSample[] {
  const cycle: { runs: unknown[] } = { runs: [] };
  cycle.runs.push(cycle);
  const sparse: unknown[] = new Array(3);
  sparse[0] = 1;
  sparse[2] = 3;
  const withExtra = Object.assign([1, 2], { extra: true });
  const withGetter = Object.defineProperty({}, 'x', { get: () => 1, enumerable: true });

  return [
    { label: 'undefined', value: undefined, path: 'value' },
    { label: 'undefined property', value: { runs: [{ at: undefined }] }, path: 'value.runs[0].at' },
    { label: 'undefined element', value: [1, undefined], path: 'value[1]' },
    { label: 'function', value: { runs: [0, 1, 2, { at: () => 1 }] }, path: 'value.runs[3].at' },
    { label: 'symbol', value: { s: Symbol('s') }, path: 'value.s' },
    { label: 'symbol key', value: { meta: { [Symbol('k')]: 1 } }, path: 'value.meta' },
    { label: 'BigInt', value: { n: 1n }, path: 'value.n' },
    { label: 'NaN', value: [Number.NaN], path: 'value[0]' },
    { label: 'Infinity', value: { x: Number.POSITIVE_INFINITY }, path: 'value.x' },
    { label: '-Infinity', value: Number.NEGATIVE_INFINITY, path: 'value' },
    { label: 'Date', value: { at: new Date(0) }, path: 'value.at' },
    { label: 'Map', value: new Map([['a', 1]]), path: 'value' },
    { label: 'Set', value: { tags: new Set([1]) }, path: 'value.tags' },
    { label: 'RegExp', value: [/x/], path: 'value[0]' },
    { label: 'Uint8Array', value: { bytes: new Uint8Array(2) }, path: 'value.bytes' },
    { label: 'Float64Array', value: [new Float64Array(1)], path: 'value[0]' },
    { label: 'Buffer', value: { data: Buffer.from('hi') }, path: 'value.data' },
    { label: 'class instance', value: { point: new Point(1) }, path: 'value.point' },
    { label: 'boxed string', value: { s: new String('x') }, path: 'value.s' },
    {
      label: 'object with toJSON',
      value: { when: { toJSON: () => 'x' } },
      path: 'value.when.toJSON',
    },
    { label: 'getter', value: { g: withGetter }, path: 'value.g.x' },
    { label: 'sparse array', value: { runs: sparse }, path: 'value.runs[1]' },
    { label: 'array with extra key', value: { list: withExtra }, path: 'value.list' },
    { label: 'cycle', value: cycle, path: 'value.runs[0]' },
    {
      label: 'nesting over MAX_JSON_DEPTH',
      value: nestArrays(MAX_JSON_DEPTH + 1),
      path: `value${'[0]'.repeat(MAX_JSON_DEPTH)}`,
    },
    {
      label: 'text over MAX_JSON_BYTES',
      value: stringOfJsonBytes(MAX_JSON_BYTES + 1),
      path: 'value',
    },
  ];
}

/**
 * Checks that `actual` equals `expected` as JSON: the same types, array elements, own keys in
 * the same order, and numbers by `Object.is`. It compares keys itself, because vitest's
 * deep equality treats an own `constructor` key as the object's class.
 */
function expectJsonEqual(actual: unknown, expected: unknown, path: string): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    const array = actual as unknown[];
    expect(array.length, `${path}.length`).toBe(expected.length);
    expected.forEach((element, index) => {
      expectJsonEqual(array[index], element, `${path}[${index}]`);
    });
    return;
  }
  if (expected !== null && typeof expected === 'object') {
    expect(actual, `${path} is an object`).not.toBeNull();
    expect(typeof actual, `${path} is an object`).toBe('object');
    expect(Array.isArray(actual), `${path} is not an array`).toBe(false);
    const object = actual as Record<string, unknown>;
    const keys = Object.keys(expected);
    expect(Object.keys(object), `keys of ${path}`).toEqual(keys);
    for (const key of keys) {
      expectJsonEqual(
        object[key],
        (expected as Record<string, unknown>)[key],
        `${path}[${JSON.stringify(key)}]`,
      );
    }
    return;
  }
  expect(Object.is(actual, expected), `${path}: ${String(actual)} is ${String(expected)}`).toBe(
    true,
  );
}

/**
 * Checks that `actual` is `input` after a round trip: the same JSON text, and equal to what
 * `JSON.parse` makes of that text (so `-0` compares as `0`).
 */
export function expectExactRoundTrip(actual: unknown, input: unknown): void {
  const text = JSON.stringify(input);
  expect(JSON.stringify(actual)).toBe(text);
  expectJsonEqual(actual, JSON.parse(text), 'value');
}

/** Checks that `error.path` is `path` and that the message names it. */
export function expectPath(error: { path?: string | undefined; message: string }, path: string) {
  expect(error.path).toBe(path);
  expect(error.message).toContain(path);
}
