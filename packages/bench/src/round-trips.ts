/**
 * Driver calls made by the whole process. One subject runs at a time, so the difference
 * across a measurement is that subject's count. On SQLite a call stays in the process; on
 * PostgreSQL and MongoDB each one is a round trip to the server.
 */
export const roundTrips = { count: 0 };

const patched = Symbol('roundTripsCounted');

type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Wraps the named methods of a driver's prototype so that each call adds one to
 * {@link roundTrips}. Patching a prototype twice counts once.
 */
export function countCalls(prototype: object, methods: readonly string[]): void {
  const target = prototype as Record<string | symbol, unknown>;
  if (target[patched] === true) return;
  target[patched] = true;

  for (const name of methods) {
    const original = target[name];
    if (typeof original !== 'function') {
      throw new Error(`Cannot count calls of ${name}: the driver has no such method.`);
    }
    const method = original as Method;
    target[name] = function counted(this: unknown, ...args: unknown[]) {
      roundTrips.count++;
      return method.apply(this, args);
    };
  }
}
