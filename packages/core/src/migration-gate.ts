import type { StateConnectorEvent } from './events.js';
import type { StateStorage } from './storage.js';

/**
 * Runs a storage's migrations once, before the first call that needs them. A failed run is
 * forgotten, so that a later call tries again, for example once the server is back.
 */
export class MigrationGate {
  readonly #storage: StateStorage;
  readonly #emit: (event: StateConnectorEvent) => void;
  #ready: Promise<void> | undefined;
  #done = false;

  constructor(storage: StateStorage, emit: (event: StateConnectorEvent) => void) {
    this.#storage = storage;
    this.#emit = emit;
  }

  /** True once the migrations have succeeded; then calls skip the await. */
  get done(): boolean {
    return this.#done;
  }

  /** Runs the migrations, or joins the run in progress. */
  ensure(): Promise<void> {
    if (this.#ready !== undefined) return this.#ready;

    const started = performance.now();
    this.#ready = this.#storage.migrate().then(
      () => {
        this.#done = true;
        const durationMs = performance.now() - started;
        this.#emit({ type: 'migrated', backend: this.#storage.backend, durationMs });
      },
      (error: unknown) => {
        this.#ready = undefined;
        throw error;
      },
    );
    return this.#ready;
  }

  /** Waits for a run in progress to settle, whatever its outcome. */
  async settle(): Promise<void> {
    await this.#ready?.catch(() => undefined);
  }
}
