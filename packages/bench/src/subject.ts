import type { Json, StateConnector } from '@state-connector/core';
import type Keyv from 'keyv';

/** Kind of subject that runs the workloads: our connector, the raw driver or Keyv. */
export type SubjectKind = 'ours' | 'raw' | 'keyv';

/** The operations that every workload uses, as each subject does them. */
export interface Subject {
  readonly kind: SubjectKind;
  getState(objectId: number, name: string): Promise<unknown>;
  setState(objectId: number, name: string, value: Json): Promise<unknown>;
  /** Stores `value` only if the name has none; resolves with the stored value. */
  atomicCreateState(objectId: number, name: string, value: Json): Promise<unknown>;
  getObjectId(name: string, className: string): Promise<number> | number;
  getStateSync?(objectId: number, name: string): unknown;
  setStateSync?(objectId: number, name: string, value: Json): unknown;
}

/**
 * Shape of the prefilled data: objects `1..objects`, each with the state names
 * `state-0 .. state-(namesPerObject - 1)`, plus one empty object for new names.
 */
export interface Dataset {
  objects: number;
  namesPerObject: number;
}

export const CLASS_NAME = 'BenchObject';

export function rowCount(dataset: Dataset): number {
  return dataset.objects * dataset.namesPerObject;
}

/** Splits a row count into objects and names per object, about its square root each. */
export function datasetOf(rows: number): Dataset {
  const objects = Math.max(1, 10 ** Math.floor(Math.log10(rows) / 2));
  return { objects, namesPerObject: Math.ceil(rows / objects) };
}

export function objectName(index: number): string {
  return `bench-object-${index}`;
}

/** Id of the object that receives the new names of the insert workloads. */
export function newNamesObjectId(dataset: Dataset): number {
  return dataset.objects + 1;
}

export const NEW_NAMES_OBJECT = 'bench-new-names';

/** Returns the value of row `n`; its JSON text is what the prefill writes. */
export function stateValue(n: number): Json {
  return { n, at: '2025-01-01T00:00:00.000Z', tags: ['bench', 'state'] };
}

/** SQL expression that yields the JSON text of {@link stateValue} for the integer `n`. */
export function stateValueSql(n: string): string {
  return `'{"n":' || ${n} || ',"at":"2025-01-01T00:00:00.000Z","tags":["bench","state"]}'`;
}

/** Namespace of the Keyv subjects; Keyv stores a key `k` as `state:k`. */
export const KEYV_NAMESPACE = 'state';

export function keyvStateKey(objectId: number, name: string): string {
  return `${objectId}/${name}`;
}

export function keyvObjectKey(name: string, className: string): string {
  return `object/${className}/${name}`;
}

/**
 * Our connector. The synchronous variants run on `syncConnector`, which must be built from a
 * URL, when `connector` was built from a client of the benchmark's.
 */
export function ourSubject(connector: StateConnector, syncConnector = connector): Subject {
  return {
    kind: 'ours',
    getState: (objectId, name) => connector.getState(objectId, name),
    setState: (objectId, name, value) => connector.setState(objectId, name, value),
    atomicCreateState: (objectId, name, value) =>
      connector.atomicCreateState(objectId, name, () => value),
    getObjectId: (name, className) => connector.getObjectId(name, className),
    getStateSync: (objectId, name) => syncConnector.getStateSync(objectId, name),
    setStateSync: (objectId, name, value) => syncConnector.setStateSync(objectId, name, value),
  };
}

/**
 * Keyv doing the same work: `get` and `set` of one key per state name, and an object id
 * stored under a key of its own. Keyv has no atomic create, so `atomicCreateState` is a get
 * followed by a set, which can lose a race.
 */
export function keyvSubject(keyv: Keyv): Subject {
  keyv.throwOnErrors = true;
  return {
    kind: 'keyv',
    getState: (objectId, name) => keyv.get(keyvStateKey(objectId, name)),
    setState: async (objectId, name, value) => {
      await keyv.set(keyvStateKey(objectId, name), value);
      return value;
    },
    atomicCreateState: async (objectId, name, value) => {
      const key = keyvStateKey(objectId, name);
      const existing: unknown = await keyv.get(key);
      if (existing !== undefined) return existing;
      await keyv.set(key, value);
      return value;
    },
    getObjectId: async (name, className) => {
      const id: unknown = await keyv.get(keyvObjectKey(name, className));
      if (typeof id !== 'number') throw new Error(`Keyv has no object id for ${name}.`);
      return id;
    },
  };
}
