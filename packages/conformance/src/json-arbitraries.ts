import fc from 'fast-check';
import { objectWithKeys } from './value-samples.js';

/**
 * Pieces of strings: any code point, plus the units that stores get wrong most often (lone
 * surrogates, U+0000, line separators, quotes and backslashes).
 */
const stringUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\u0000') },
  { weight: 1, arbitrary: fc.constantFrom('\u2028', '"', '\\', '😀', '\ufeff', '\u00e9') },
);

const text = fc.string({ unit: stringUnit, maxLength: 12 });

/** Object keys, including ones that prototype-based or path-based stores mishandle. */
const key = fc.oneof(
  { weight: 3, arbitrary: text },
  {
    weight: 1,
    arbitrary: fc.constantFrom('__proto__', 'constructor', 'toJSON', 'a.b', '$set', '', '10'),
  },
);

const number = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

const leaf = fc.oneof(fc.constant(null), fc.boolean(), number, text);

/** Any JSON value: fast-check's own generator mixed with one that uses the keys above. */
export const anyJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.letrec<{ node: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('node'), { maxLength: 5 }),
    object: fc.array(fc.tuple(key, tie('node')), { maxLength: 5 }).map(objectWithKeys),
  })).node,
);

class Opaque {
  readonly id = 1;
}

function sparseArray(): unknown[] {
  const array: unknown[] = new Array(3);
  array[0] = 1;
  array[2] = 3;
  return array;
}

/** A value that the store rejects, and the suffix that it adds to its path. */
interface InvalidLeaf {
  label: string;
  make: () => unknown;
  /** Suffix that the error path adds after the path of the place where the leaf sits. */
  suffix: string;
}

const invalidLeaves: InvalidLeaf[] = [
  { label: 'undefined', make: () => undefined, suffix: '' },
  { label: 'function', make: () => () => 1, suffix: '' },
  { label: 'symbol', make: () => Symbol('x'), suffix: '' },
  { label: 'BigInt', make: () => 12n, suffix: '' },
  { label: 'NaN', make: () => Number.NaN, suffix: '' },
  { label: 'Infinity', make: () => Number.POSITIVE_INFINITY, suffix: '' },
  { label: '-Infinity', make: () => Number.NEGATIVE_INFINITY, suffix: '' },
  { label: 'Date', make: () => new Date(0), suffix: '' },
  { label: 'Map', make: () => new Map(), suffix: '' },
  { label: 'Set', make: () => new Set(), suffix: '' },
  { label: 'RegExp', make: () => /x/g, suffix: '' },
  { label: 'Int32Array', make: () => new Int32Array(1), suffix: '' },
  { label: 'Buffer', make: () => Buffer.alloc(1), suffix: '' },
  { label: 'class instance', make: () => new Opaque(), suffix: '' },
  { label: 'toJSON', make: () => ({ toJSON: () => 1 }), suffix: '.toJSON' },
  { label: 'symbol key', make: () => ({ [Symbol('k')]: 1 }), suffix: '' },
  { label: 'sparse array', make: sparseArray, suffix: '[1]' },
];

/** A place inside a value: an object key with an identifier name, or an array index. */
type Step = { key: string; siblings: Array<[string, unknown]> } | { before: unknown[] };

const identifier = fc.stringMatching(/^[a-z_$][a-z0-9_$]{0,6}$/);

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    key: identifier,
    siblings: fc.array(fc.tuple(identifier, leaf), { maxLength: 3 }),
  }),
  fc.record({ before: fc.array(leaf, { maxLength: 3 }) }),
);

/** An invalid value somewhere inside valid JSON, and the path that its error must name. */
export interface InvalidCase {
  label: string;
  value: unknown;
  path: string;
}

/** Generates valid JSON with one invalid part placed at a generated path. */
export const invalidCase: fc.Arbitrary<InvalidCase> = fc
  .tuple(fc.constantFrom(...invalidLeaves), fc.array(step, { maxLength: 4 }))
  .map(([invalid, steps]) => {
    let value = invalid.make();
    let path = '';
    for (const current of [...steps].reverse()) {
      if ('key' in current) {
        // Siblings come first and never share the key, so the invalid part is checked last.
        const siblings = current.siblings.filter(([name]) => name !== current.key);
        value = objectWithKeys([...siblings, [current.key, value]]);
        path = `.${current.key}${path}`;
      } else {
        value = [...current.before, value];
        path = `[${current.before.length}]${path}`;
      }
    }
    return { label: invalid.label, value, path: `value${path}${invalid.suffix}` };
  });
