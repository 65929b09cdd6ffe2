import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { toStoredObjectName, toStoredStateName } from '@state-connector/core';
import { InvalidLineError, type ObjectLine, parseLine, type StateLine } from './json-lines.js';

/** An object of an import, with its state and the line numbers for error messages. */
export interface PlannedObject {
  line: ObjectLine;
  lineNumber: number;
  state: Array<{ line: StateLine; lineNumber: number }>;
}

/** Every line of an import, checked and grouped by object, in input order. */
export interface ImportPlan {
  objects: PlannedObject[];
  stateCount: number;
}

/**
 * Reads and checks a whole import before anything is written, so that an invalid line
 * leaves the target store unchanged. Blank lines are skipped. A state line must follow the
 * line of its object, and no object id, identity or state name may appear twice.
 *
 * @throws InvalidLineError - naming the first invalid line.
 */
export async function readImportPlan(input: Readable): Promise<ImportPlan> {
  const byId = new Map<number, PlannedObject>();
  const identities = new Map<string, number>();
  const stateKeys = new Set<string>();
  const objects: PlannedObject[] = [];
  let stateCount = 0;
  let lineNumber = 0;

  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    lineNumber++;
    if (text.trim() === '') continue;
    const line = parseLine(text, lineNumber);

    if (line.type === 'object') {
      const identity = JSON.stringify([toStoredObjectName(line.name), line.class_name]);
      const earlier = byId.get(line.id)?.lineNumber ?? identities.get(identity);
      if (earlier !== undefined) {
        throw new InvalidLineError(
          lineNumber,
          `object id ${line.id} or its name and class already appeared on line ${earlier}.`,
        );
      }
      const planned: PlannedObject = { line, lineNumber, state: [] };
      byId.set(line.id, planned);
      identities.set(identity, lineNumber);
      objects.push(planned);
      continue;
    }

    const owner = byId.get(line.objectid);
    if (owner === undefined) {
      throw new InvalidLineError(
        lineNumber,
        `object ${line.objectid} has no object line before this state line; ` +
          'each state line must follow the line of its object.',
      );
    }
    const key = JSON.stringify([line.objectid, toStoredStateName(line.name)]);
    if (stateKeys.has(key)) {
      throw new InvalidLineError(
        lineNumber,
        `state ${JSON.stringify(line.name)} of object ${line.objectid} appears twice.`,
      );
    }
    stateKeys.add(key);
    owner.state.push({ line, lineNumber });
    stateCount++;
  }

  return { objects, stateCount };
}
