import { createHash } from 'node:crypto';
import { InvalidNameError, quoteForMessage } from './errors.js';

/** Column width of `objects.name` and `objects.class_name`, in code points, as in Buildbot. */
export const MAX_OBJECT_NAME_LENGTH = 128;

/** Column width of `object_state.name`, in code points, as in Buildbot. */
export const MAX_STATE_NAME_LENGTH = 255;

/** Counts Unicode code points, as PostgreSQL `varchar` and Python `len` do. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    // A surrogate pair counts once. A lone surrogate counts once, as Python counts it.
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      length--;
      index++;
    }
  }
  return length;
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/**
 * Shortens `name` the way Buildbot's `ensureLength` does when it is longer than `maxLength`
 * code points: the first `maxLength / 2` (rounded down) code points, then the 40 hex digits
 * of the SHA-1 of the whole name's UTF-8 bytes.
 */
export function shortenName(name: string, maxLength: number): string {
  if (name.length <= maxLength || codePointLength(name) <= maxLength) return name;

  const head = Array.from(name)
    .slice(0, Math.floor(maxLength / 2))
    .join('');
  return head + sha1Hex(name);
}

/** Checks the rules that every name shares: a well-formed string without U+0000. */
export function checkName(name: unknown, role: string): asserts name is string {
  if (typeof name !== 'string') {
    throw new InvalidNameError(`Invalid ${role}: expected a string, got ${typeof name}.`);
  }
  if (!name.isWellFormed()) {
    throw new InvalidNameError(
      `Invalid ${role} ${quoteForMessage(name)}: it contains a lone surrogate; ` +
        'names must be well-formed Unicode.',
    );
  }
  if (name.includes('\u0000')) {
    throw new InvalidNameError(
      `Invalid ${role} ${quoteForMessage(name)}: it contains U+0000, which no backend stores.`,
    );
  }
}

/** Validates an object name and returns the form stored in `objects.name`. */
export function toStoredObjectName(name: unknown): string {
  checkName(name, 'object name');
  return shortenName(name, MAX_OBJECT_NAME_LENGTH);
}

/** Validates a class name, which is never shortened, and returns it. */
export function toStoredClassName(className: unknown): string {
  checkName(className, 'class name');
  const length = codePointLength(className);
  if (length > MAX_OBJECT_NAME_LENGTH) {
    throw new InvalidNameError(
      `Invalid class name: ${length} code points, over the limit of ` +
        `${MAX_OBJECT_NAME_LENGTH}; use a shorter class name.`,
    );
  }
  return className;
}

/** Validates a state name and returns the form stored in `object_state.name`. */
export function toStoredStateName(name: unknown): string {
  checkName(name, 'state name');
  return shortenName(name, MAX_STATE_NAME_LENGTH);
}
