/** Maximum number of object ids remembered as existing; the oldest is forgotten first. */
export const MAX_KNOWN_OBJECTS = 10_000;

/**
 * Object ids that this process has seen in `objects`, so that creating a state name checks
 * the object once instead of on every insert. The connector never deletes objects, so an id
 * stays valid once seen.
 *
 * NOTE: an object removed by another program (or a dropped database) stays in this set, and
 * a later insert of a new state name for it is then not rejected.
 */
export class KnownObjects {
  readonly #ids = new Set<number>();

  has(objectId: number): boolean {
    return this.#ids.has(objectId);
  }

  add(objectId: number): void {
    if (this.#ids.has(objectId)) return;
    this.#ids.add(objectId);
    if (this.#ids.size > MAX_KNOWN_OBJECTS) {
      const oldest = this.#ids.values().next().value;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
  }
}
