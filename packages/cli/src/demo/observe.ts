import { createHash } from 'node:crypto';
import type { AdministeredStateConnector, Json } from '@state-connector/core';
import { LAST_RUN_STATE, type RunRecord, runsStateName, SECRET_STATE } from './messages.js';

/** Returns the first 12 hex digits of the SHA-256 of a secret, which is safe to print. */
export function fingerprint(secret: Json): string {
  return createHash('sha256').update(JSON.stringify(secret)).digest('hex').slice(0, 12);
}

function isRunRecord(value: unknown): value is RunRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record['host'] === 'string' &&
    typeof record['session'] === 'string' &&
    typeof record['run'] === 'number' &&
    typeof record['at'] === 'string'
  );
}

/** View of a demo session from one connector, once every process has finished. */
export interface Observation {
  secretFingerprint: string | null;
  runsVisible: number;
  lastRun: RunRecord | null;
}

/** Reads the secret, the runs of `session` recorded by `hosts`, and the shared last run. */
export async function observe(
  connector: AdministeredStateConnector,
  objectId: number,
  session: string,
  hosts: readonly string[],
): Promise<Observation> {
  const state = await connector.listState(objectId);

  let runsVisible = 0;
  for (const host of hosts) {
    const runs = state.get(runsStateName(host));
    if (!Array.isArray(runs)) continue;
    runsVisible += runs.filter(
      (run) => isRunRecord(run) && run.session === session && run.host === host,
    ).length;
  }

  const secret = state.get(SECRET_STATE);
  const lastRun = state.get(LAST_RUN_STATE);
  return {
    secretFingerprint: secret === undefined ? null : fingerprint(secret),
    runsVisible,
    lastRun: isRunRecord(lastRun) ? lastRun : null,
  };
}
