import { describeIfAvailable } from './environment.js';
import { postgresBackend } from './postgres-store.js';
import { sqliteBackend } from './sqlite-store.js';
import type { InteropBackend } from './store.js';

/** Every backend that Buildbot and our connectors share, in the order the suites run them. */
export const backends: InteropBackend[] = [sqliteBackend, postgresBackend];

/** Declares `body` once per backend, skipping (or in CI failing) where one is missing. */
export function describeEachBackend(title: string, body: (backend: InteropBackend) => void) {
  for (const backend of backends) {
    describeIfAvailable(`${title} (${backend.name})`, backend.missing, backend.hint, () =>
      body(backend),
    );
  }
}
