import type { Operation } from './measure.js';
import {
  CLASS_NAME,
  type Dataset,
  newNamesObjectId,
  objectName,
  type Subject,
  type SubjectKind,
  stateValue,
} from './subject.js';

/** Inputs of a workload's operation besides its subject. */
export interface WorkloadContext {
  dataset: Dataset;
  /** Differs between measurements, so that new names are new in every run. */
  runTag: string;
}

/** One benchmarked call pattern. */
export interface Workload {
  readonly id: string;
  /** True when the workload inserts rows that must be removed after each run. */
  readonly insertsNewNames: boolean;
  /** Subjects that can run it; the synchronous variants exist only on our connector. */
  readonly subjects: readonly SubjectKind[];
  /** Concurrencies at which it runs; `undefined` means all. */
  readonly concurrencies?: readonly number[];
  /** Runs before the measurement, such as filling a cache. */
  prepare?(subject: Subject, context: WorkloadContext): Promise<void>;
  operation(subject: Subject, context: WorkloadContext): Operation;
}

const everySubject: readonly SubjectKind[] = ['raw', 'ours', 'keyv'];

function randomIndex(count: number): number {
  return Math.floor(Math.random() * count);
}

function randomObjectId(dataset: Dataset): number {
  return 1 + randomIndex(dataset.objects);
}

function randomStateName(dataset: Dataset): string {
  return `state-${randomIndex(dataset.namesPerObject)}`;
}

// A read of a prefilled name must find it; a miss would mean the subject measured nothing.
async function readExisting(subject: Subject, dataset: Dataset): Promise<unknown> {
  const objectId = randomObjectId(dataset);
  const name = randomStateName(dataset);
  const value = await subject.getState(objectId, name);
  if (value === undefined) {
    throw new Error(`${subject.kind}: state ${name} of object ${objectId} is missing.`);
  }
  return value;
}

function overwrite(subject: Subject, dataset: Dataset, sequence: number): Promise<unknown> {
  return subject.setState(randomObjectId(dataset), randomStateName(dataset), stateValue(sequence));
}

export const workloads: readonly Workload[] = [
  {
    id: 'getState',
    insertsNewNames: false,
    subjects: everySubject,
    operation:
      (subject, { dataset }) =>
      () =>
        readExisting(subject, dataset),
  },
  {
    id: 'setState overwrite',
    insertsNewNames: false,
    subjects: everySubject,
    operation:
      (subject, { dataset }) =>
      (sequence) =>
        overwrite(subject, dataset, sequence),
  },
  {
    id: 'setState new name',
    insertsNewNames: true,
    subjects: everySubject,
    operation: (subject, { dataset, runTag }) => {
      const objectId = newNamesObjectId(dataset);
      return (sequence) => subject.setState(objectId, `new-${runTag}-${sequence}`, sequence);
    },
  },
  {
    id: 'atomicCreateState new',
    insertsNewNames: true,
    subjects: everySubject,
    operation: (subject, { dataset, runTag }) => {
      const objectId = newNamesObjectId(dataset);
      return (sequence) =>
        subject.atomicCreateState(objectId, `create-${runTag}-${sequence}`, sequence);
    },
  },
  {
    id: 'getObjectId cached',
    insertsNewNames: false,
    subjects: everySubject,
    prepare: async (subject, { dataset }) => {
      for (let index = 1; index <= dataset.objects; index++) {
        const id = await subject.getObjectId(objectName(index), CLASS_NAME);
        if (id !== index) throw new Error(`${subject.kind}: object ${index} has id ${id}.`);
      }
    },
    operation:
      (subject, { dataset }) =>
      () =>
        subject.getObjectId(objectName(randomObjectId(dataset)), CLASS_NAME),
  },
  {
    id: 'mixed 90% get',
    insertsNewNames: false,
    subjects: everySubject,
    operation:
      (subject, { dataset }) =>
      (sequence) =>
        sequence % 10 === 9
          ? overwrite(subject, dataset, sequence)
          : readExisting(subject, dataset),
  },
  {
    id: 'getStateSync',
    insertsNewNames: false,
    subjects: ['ours'],
    concurrencies: [1],
    operation: (subject, { dataset }) => {
      const getStateSync = requireSync(subject.getStateSync);
      return () => getStateSync(randomObjectId(dataset), randomStateName(dataset));
    },
  },
  {
    id: 'setStateSync overwrite',
    insertsNewNames: false,
    subjects: ['ours'],
    concurrencies: [1],
    operation: (subject, { dataset }) => {
      const setStateSync = requireSync(subject.setStateSync);
      return (sequence) =>
        setStateSync(randomObjectId(dataset), randomStateName(dataset), stateValue(sequence));
    },
  },
];

function requireSync<T>(method: T | undefined): T {
  if (method === undefined) throw new Error('This subject has no synchronous methods.');
  return method;
}
