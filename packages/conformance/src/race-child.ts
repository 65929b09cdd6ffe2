// Child process of the multi-process races. It opens a connector from the plan in its first
// argument, then for each round prints {"type":"ready"}, waits for a "go" line on stdin (the
// parent sends it once every child is ready), runs the round's operation and prints a result.
import { createInterface } from 'node:readline';
import type { Json, StateConnector } from '@state-connector/core';
import {
  type RaceChildError,
  type RaceChildMessage,
  type RaceChildPlan,
  type RaceOperation,
  toRaceChildError,
} from './race-protocol.js';

type Factory = (options: unknown) => StateConnector | Promise<StateConnector>;

const LOAD_CLASS = 'ConformanceLoad';
const MAX_REPORTED_ERRORS = 5;

function now(): number {
  return performance.timeOrigin + performance.now();
}

function send(message: RaceChildMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

async function openConnector(plan: RaceChildPlan): Promise<StateConnector> {
  const exports = (await import(plan.target.module)) as Record<string, unknown>;
  const factory = exports[plan.target.exportName];
  if (typeof factory !== 'function') {
    throw new TypeError(
      `${plan.target.module} does not export a function ${plan.target.exportName}.`,
    );
  }
  return (factory as Factory)(plan.target.options);
}

async function runWriteLoad(
  connector: StateConnector,
  operation: Extract<RaceOperation, { kind: 'writeLoad' }>,
): Promise<Json> {
  const errors: RaceChildError[] = [];
  let failures = 0;
  const attempt = async (action: () => Promise<unknown>) => {
    try {
      await action();
    } catch (error) {
      failures++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push(toRaceChildError(error));
    }
  };

  const { objectId, label, writes } = operation;
  for (let index = 0; index < writes; index++) {
    await attempt(() => connector.setState(objectId, `shared-${index % 4}`, { label, index }));
    await attempt(() => connector.setState(objectId, `${label}-${index}`, index));
    await attempt(() => connector.getObjectId(`load-${label}-${index}`, LOAD_CLASS));
  }
  return { operations: writes * 3, failures, errors: errors as unknown as Json };
}

async function run(
  connector: StateConnector,
  operation: RaceOperation,
): Promise<{ value: Json; created: Json[] }> {
  switch (operation.kind) {
    case 'getObjectId':
      return {
        value: await connector.getObjectId(operation.name, operation.className),
        created: [],
      };
    case 'setState': {
      const { objectId, stateName, value } = operation;
      return { value: await connector.setState(objectId, stateName, value), created: [] };
    }
    case 'atomicCreateState': {
      const created: Json[] = [];
      const value = await connector.atomicCreateState(
        operation.objectId,
        operation.stateName,
        () => {
          created.push(operation.value);
          return operation.value;
        },
      );
      return { value, created };
    }
    case 'writeLoad':
      return { value: await runWriteLoad(connector, operation), created: [] };
  }
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? '') as RaceChildPlan;
  const input = createInterface({ input: process.stdin });
  const lines = input[Symbol.asyncIterator]();
  const connector = await openConnector(plan);

  try {
    // Any id does for the warm-up: a missing object reads as a missing name.
    if (plan.warmUp) await connector.getState(1, 'conformance-warm-up', null);

    for (const [round, operation] of plan.rounds.entries()) {
      send({ type: 'ready', round });
      const line = await lines.next();
      if (line.done === true || line.value.trim() !== 'go') {
        throw new Error(`Expected "go" on stdin before round ${round}; stdin ended or differed.`);
      }
      const startedAt = now();
      try {
        const { value, created } = await run(connector, operation);
        send({ type: 'result', round, ok: true, value, created, startedAt, finishedAt: now() });
      } catch (error) {
        const failure = toRaceChildError(error);
        send({ type: 'result', round, ok: false, error: failure, startedAt, finishedAt: now() });
      }
    }
  } finally {
    input.close();
    await connector.close();
  }
}

main().catch((error: unknown) => {
  send({ type: 'fatal', error: toRaceChildError(error) });
  process.exitCode = 1;
});
