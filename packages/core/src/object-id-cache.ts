/** Default maximum number of cached object ids per connector. */
export const DEFAULT_OBJECT_ID_CACHE_SIZE = 10_000;

/**
 * Caches object ids per `(name, className)` as the caller passed them. Concurrent misses for
 * the same pair share one lookup, and a failed lookup is not cached. When the cache is full,
 * the entry inserted first is evicted; a hit does not reorder entries, so that it costs one
 * `Map.get`.
 */
export class ObjectIdCache {
  readonly #entries = new Map<string, Promise<number> | number>();
  readonly #maxSize: number;

  constructor(maxSize = DEFAULT_OBJECT_ID_CACHE_SIZE) {
    this.#maxSize = maxSize;
  }

  /** Returns the cached id, or runs `lookup` once for all concurrent callers of this pair. */
  get(name: string, className: string, lookup: () => Promise<number>): Promise<number> | number {
    // Only valid pairs are stored, and valid names have no U+0000, so a stored key has
    // exactly one and no other pair can alias it.
    const key = `${name}\u0000${className}`;
    const cached = this.#entries.get(key);
    if (cached !== undefined) return cached;

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
