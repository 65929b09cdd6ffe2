import {
  checkJsonText,
  decodeJson,
  encodeJson,
  MAX_JSON_BYTES,
  MAX_JSON_DEPTH,
  StateJsonError,
} from '@state-connector/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function nested(depth: number): unknown {
  let value: unknown = 0;
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

function rejection(value: unknown): StateJsonError {
  try {
    encodeJson(value);
  } catch (error) {
    if (error instanceof StateJsonError) return error;
    throw error;
  }
  throw new Error('expected a StateJsonError');
}

describe('encodeJson', () => {
  it('names the path of the offending part', () => {
    const error = rejection({ runs: [1, 2, 3, { at: undefined }] });
    expect(error.path).toBe('value.runs[3].at');
    expect(error.message).toContain('value.runs[3].at');
  });

  it('names the hole of a sparse array', () => {
    // biome-ignore lint/suspicious/noSparseArray: a sparse array is the case under test
    expect(rejection({ runs: [1, , 3] }).path).toBe('value.runs[1]');
  });

  it('quotes keys that are not identifiers', () => {
    expect(rejection({ 'a.b': [Number.NaN] }).path).toBe('value["a.b"][0]');
  });

  it('rejects every kind of non-JSON value', () => {
    class Point {
      x = 1;
    }
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    const cases: unknown[] = [
      undefined,
      () => 1,
      Symbol('s'),
      { [Symbol('k')]: 1 },
      10n,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      new Date(0),
      new Map(),
      new Set(),
      /re/,
      new Uint8Array(2),
      Buffer.from('x'),
      new Point(),
      { toJSON: () => 1 },
      // biome-ignore lint/suspicious/noSparseArray: a sparse array is the case under test
      [1, , 3],
      cycle,
      nested(MAX_JSON_DEPTH + 1),
      'x'.repeat(MAX_JSON_BYTES),
    ];
    for (const value of cases) {
      expect(() => encodeJson(value)).toThrow(StateJsonError);
    }
  });

  it('accepts the depth limit', () => {
    expect(() => encodeJson(nested(MAX_JSON_DEPTH))).not.toThrow();
  });

  it('accepts the size limit exactly', () => {
    const text = 'x'.repeat(MAX_JSON_BYTES - 2);
    expect(Buffer.byteLength(encodeJson(text))).toBe(MAX_JSON_BYTES);
    expect(() => encodeJson(`${text}x`)).toThrow(StateJsonError);
  });

  it('accepts shared references that are not cycles', () => {
    const shared = { a: 1 };
    expect(encodeJson([shared, shared])).toBe('[{"a":1},{"a":1}]');
  });

  it('accepts null-prototype objects and odd keys', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare['$set'] = 1;
    expect(encodeJson(bare)).toBe('{"$set":1}');
    expect(encodeJson(JSON.parse('{"__proto__":{"x":1}}'))).toBe('{"__proto__":{"x":1}}');
  });

  it('stores -0 as 0', () => {
    expect(encodeJson(-0)).toBe('0');
  });

  it('round-trips generated JSON exactly', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = encodeJson(value);
        expect(JSON.stringify(decodeJson(text, 'test'))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('decodeJson', () => {
  it('rejects corrupt text', () => {
    expect(() => decodeJson('{not json', 'state "x"')).toThrow(StateJsonError);
  });

  it('rejects numbers that overflow', () => {
    for (const text of ['1e400', '-1E+309', `[${'9'.repeat(309)}]`]) {
      expect(() => decodeJson(text, 'state "x"'), text).toThrow(/beyond the range/);
    }
  });

  it('accepts large finite numbers and look-alike strings', () => {
    expect(decodeJson('1.7976931348623157e308', 'x')).toBe(Number.MAX_VALUE);
    expect(decodeJson('1e-400', 'x')).toBe(0);
    expect(decodeJson('"e999"', 'x')).toBe('e999');
  });
});

describe('checkJsonText', () => {
  it('accepts text kept exactly', () => {
    expect(() => checkJsonText('{"text": "h\\u00e9llo", "n": [1, 2, 3]}', 'line 1')).not.toThrow();
  });

  it('rejects text the store cannot keep', () => {
    const cases = ['{"a":', '1e400', '"\ud800"', 'x'.repeat(MAX_JSON_BYTES + 1), 42];
    for (const text of cases) {
      expect(() => checkJsonText(text, 'line 1')).toThrow(StateJsonError);
    }
  });
});
