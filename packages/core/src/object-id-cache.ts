/** Default maximum number of cached object ids per connector. */
export const DEFAULT_OBJECT_ID_CACHE_SIZE = 10_000;

/**
 * Caches object ids per `(name, className)` in least-recently-used order. Concurrent misses
 * for the same pair share one lookup, and a failed lookup is not cached.
 */
export class ObjectIdCache {
  readonly #entries = new Map<string, Promise<number> | number>();
  readonly #maxSize: number;

  constructor(maxSize = DEFAULT_OBJECT_ID_CACHE_SIZE) {
    this.#maxSize = maxSize;
  }

  /** Returns the cached id, or runs `lookup` once for all concurrent callers of this pair. */
  get(name: string, className: string, lookup: () => Promise<number>): Promise<number> | number {
    // U+0000 is rejected in names, so it separates the two parts without aliasing.
    const key = `${name}\u0000${className}`;
    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, cached);
      return cached;
    }

    const pending = lookup().then(
      (id) => {
        if (this.#entries.get(key) === pending) this.#entries.set(key, id);
        return id;
      },
      (error: unknown) => {
        if (this.#entries.get(key) === pending) this.#entries.delete(key);
        throw error;
      },
    );
    this.#entries.set(key, pending);
    this.#evict();
    return pending;
  }

  /** Returns the id if it is cached and resolved, without I/O. */
  peek(name: string, className: string): number | undefined {
    const cached = this.#entries.get(`${name}\u0000${className}`);
    return typeof cached === 'number' ? cached : undefined;
  }

  clear(): void {
    this.#entries.clear();
  }

  #evict(): void {
    while (this.#entries.size > this.#maxSize) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) return;
      this.#entries.delete(oldest.value);
    }
  }
}
