import type { RunRecord, WorkerCheck, WorkerResult } from './messages.js';
import type { Observation } from './observe.js';

/** Everything that one demo process reported. */
export type HostReport = WorkerResult & WorkerCheck;

/** Expected outcome of a demo, and the store as the demo command read it afterwards. */
export interface Expectation {
  runs: number;
  /** Fingerprint of a secret that existed before the demo, or null if it had to be created. */
  earlierSecret: string | null;
  /** The store as the demo command's own connector saw it after every process finished. */
  afterwards: Observation;
}

/** Whether the demo processes agree, and each disagreement found. */
export interface Verdict {
  agreed: boolean;
  problems: string[];
  line: string;
}

function describeRun(run: RunRecord | null): string {
  return run === null ? 'none' : `${run.host} run ${run.run}`;
}

function sameRun(left: RunRecord | null, right: RunRecord | null): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/** Checks that every process saw the same object, the same secret and every run. */
export function judge(reports: HostReport[], expected: Expectation): Verdict {
  const problems: string[] = [];
  const totalRuns = reports.length * expected.runs;
  const objectIds = new Set(reports.map((report) => report.objectId));
  const fingerprints = new Set(
    reports.flatMap((report) => [report.secretFingerprint, report.secretFingerprintAfter]),
  );
  fingerprints.add(expected.afterwards.secretFingerprint);
  if (expected.earlierSecret !== null) fingerprints.add(expected.earlierSecret);
  const creators = reports.filter((report) => report.createdSecret);

  if (objectIds.size !== 1) problems.push(`object ids differ: ${[...objectIds].join(', ')}`);
  if (fingerprints.size !== 1) {
    const listed = [...fingerprints].map((value) => value ?? 'missing');
    problems.push(`secrets differ: ${listed.join(', ')}`);
  }
  const expectedCreators = expected.earlierSecret === null ? 1 : 0;
  if (creators.length !== expectedCreators) {
    problems.push(
      `${creators.length} of ${reports.length} processes created the secret, expected ${expectedCreators}`,
    );
  }

  for (const report of reports) {
    if (report.runsRecorded !== expected.runs) {
      problems.push(`${report.host} recorded ${report.runsRecorded} of ${expected.runs} runs`);
    }
    if (report.runsVisible !== totalRuns) {
      problems.push(`${report.host} saw ${report.runsVisible} of ${totalRuns} runs`);
    }
    if (!sameRun(report.lastRun, expected.afterwards.lastRun)) {
      problems.push(`${report.host} saw lastRun ${describeRun(report.lastRun)}`);
    }
  }
  if (expected.afterwards.runsVisible !== totalRuns) {
    problems.push(`the store holds ${expected.afterwards.runsVisible} of ${totalRuns} runs`);
  }
  // The last write to lastRun is the last write of some process, which is its final run.
  if (expected.afterwards.lastRun?.run !== expected.runs) {
    problems.push(`lastRun is ${describeRun(expected.afterwards.lastRun)}, not a final run`);
  }

  if (problems.length > 0) {
    return { agreed: false, problems, line: `Disagreement: ${problems.join('; ')}.` };
  }
  const [fingerprint] = fingerprints;
  const origin =
    creators[0] === undefined ? 'kept from an earlier run' : `created by ${creators[0].host}`;
  return {
    agreed: true,
    problems,
    line:
      `Agreement: ${reports.length} processes saw object ${[...objectIds][0]}, one secret ` +
      `(sha256 ${fingerprint}..., ${origin}) and all ${totalRuns} runs.`,
  };
}
