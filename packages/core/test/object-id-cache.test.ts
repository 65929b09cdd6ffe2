import { ObjectIdCache } from '@state-connector/core';
import { describe, expect, it } from 'vitest';

describe('ObjectIdCache', () => {
  it('shares one lookup between concurrent misses', async () => {
    const cache = new ObjectIdCache();
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return 7;
    };
    const ids = await Promise.all(Array.from({ length: 20 }, () => cache.get('n', 'c', lookup)));
    expect(ids).toEqual(Array(20).fill(7));
    expect(lookups).toBe(1);
    expect(cache.peek('n', 'c')).toBe(7);
  });

  it('does not cache a failed lookup', async () => {
    const cache = new ObjectIdCache();
    await expect(cache.get('n', 'c', () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    expect(await cache.get('n', 'c', async () => 3)).toBe(3);
  });

  it('keeps pairs with separators apart', async () => {
    const cache = new ObjectIdCache();
    await cache.get('a:b', 'c', async () => 1);
    expect(await cache.get('a', 'b:c', async () => 2)).toBe(2);
  });

  it('evicts the oldest entry', async () => {
    const cache = new ObjectIdCache(2);
    await cache.get('a', 'c', async () => 1);
    await cache.get('b', 'c', async () => 2);
    expect(await cache.get('a', 'c', async () => 99)).toBe(1);
    await cache.get('d', 'c', async () => 4);
    expect(cache.peek('a', 'c')).toBeUndefined();
    expect(cache.peek('b', 'c')).toBe(2);
    expect(cache.peek('d', 'c')).toBe(4);
  });
});
