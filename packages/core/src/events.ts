/** Events that a connector sends to the `logger` option. Nothing is printed by default. */
export type StateConnectorEvent =
  | { type: 'migrated'; backend: string; durationMs: number }
  | {
      type: 'retry';
      backend: string;
      operation: string;
      attempt: number;
      delayMs: number;
      error: unknown;
    }
  | {
      type: 'backend-error';
      backend: string;
      operation: string;
      retryable: boolean;
      error: unknown;
    }
  | { type: 'pool-error'; backend: string; error: unknown };

/** Receives every event of a connector. It must not throw. */
export type StateConnectorLogger = (event: StateConnectorEvent) => void;
