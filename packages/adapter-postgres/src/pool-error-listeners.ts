import type { Pool } from 'pg';

type ErrorHandler = (error: Error) => void;

interface SharedListener {
  listener: ErrorHandler;
  handlers: Set<ErrorHandler>;
}

// One 'error' listener per pool, whatever the number of connectors on it, so that many
// connectors on one caller pool do not pass Node's default limit of 10 listeners per event.
const sharedListeners = new WeakMap<Pool, SharedListener>();

/**
 * Adds `handler` to the errors of `pool`. The first handler of a pool adds one 'error'
 * listener that calls every handler. pg-pool emits 'error' when an idle connection dies, for
 * example when the server restarts or terminates it, and an unheard 'error' event would crash
 * the process.
 */
export function addPoolErrorHandler(pool: Pool, handler: ErrorHandler): void {
  let shared = sharedListeners.get(pool);
  if (shared === undefined) {
    const handlers = new Set<ErrorHandler>();
    const listener: ErrorHandler = (error) => {
      for (const handle of handlers) handle(error);
    };
    shared = { listener, handlers };
    sharedListeners.set(pool, shared);
    pool.on('error', listener);
  }
  shared.handlers.add(handler);
}

/** Removes `handler`. Removing the last handler of a pool also removes its listener. */
export function removePoolErrorHandler(pool: Pool, handler: ErrorHandler): void {
  const shared = sharedListeners.get(pool);
  if (shared === undefined) return;

  shared.handlers.delete(handler);
  if (shared.handlers.size === 0) {
    pool.off('error', shared.listener);
    sharedListeners.delete(pool);
  }
}
