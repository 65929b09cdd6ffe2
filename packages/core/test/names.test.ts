import { createHash } from 'node:crypto';
import {
  codePointLength,
  InvalidNameError,
  shortenName,
  toStoredClassName,
  toStoredObjectName,
  toStoredStateName,
} from '@state-connector/core';
import { describe, expect, it } from 'vitest';

function buildbotShorten(name: string, max: number): string {
  const points = Array.from(name);
  if (points.length <= max) return name;
  const digest = createHash('sha1').update(Buffer.from(name, 'utf8')).digest('hex');
  return points.slice(0, Math.floor(max / 2)).join('') + digest;
}

describe('names', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePointLength('')).toBe(0);
    expect(codePointLength('abc')).toBe(3);
    expect(codePointLength('😀')).toBe(1);
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('é')).toBe(1);
    expect(codePointLength('e\u0301')).toBe(2);
    expect(codePointLength('\ud800')).toBe(1);
    expect(codePointLength('a\ud800')).toBe(2);
    expect(codePointLength('\udc00\ud800')).toBe(2);
  });

  it('keeps object names up to 128 code points', () => {
    const name = '😀'.repeat(128);
    expect(toStoredObjectName(name)).toBe(name);
  });

  it('shortens object names over 128 code points', () => {
    for (const name of ['x'.repeat(129), '😀'.repeat(129), `${'é'.repeat(100)}${'z'.repeat(40)}`]) {
      const stored = toStoredObjectName(name);
      expect(stored).toBe(buildbotShorten(name, 128));
      expect(codePointLength(stored)).toBe(104);
    }
  });

  it('shortens state names over 255 code points', () => {
    const name = `${'s'.repeat(200)}${'😀'.repeat(56)}`;
    const stored = toStoredStateName(name);
    expect(stored).toBe(buildbotShorten(name, 255));
    expect(codePointLength(stored)).toBe(167);
    expect(toStoredStateName('s'.repeat(255))).toBe('s'.repeat(255));
  });

  it('hashes the whole name, so long names that share a prefix differ', () => {
    const a = `${'p'.repeat(200)}a`;
    const b = `${'p'.repeat(200)}b`;
    expect(shortenName(a, 128)).not.toBe(shortenName(b, 128));
  });

  it('rejects long class names', () => {
    expect(toStoredClassName('c'.repeat(128))).toBe('c'.repeat(128));
    expect(() => toStoredClassName('c'.repeat(129))).toThrow(InvalidNameError);
  });

  it('rejects malformed names', () => {
    for (const bad of ['a\u0000b', '\ud800', 'x\udc00y', 42, null, undefined, {}]) {
      expect(() => toStoredObjectName(bad)).toThrow(InvalidNameError);
      expect(() => toStoredStateName(bad)).toThrow(InvalidNameError);
      expect(() => toStoredClassName(bad)).toThrow(InvalidNameError);
    }
  });

  it('accepts the empty name', () => {
    expect(toStoredObjectName('')).toBe('');
    expect(toStoredStateName('')).toBe('');
    expect(toStoredClassName('')).toBe('');
  });
});
