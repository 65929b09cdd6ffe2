import { describe, expect, it } from 'vitest';
import { judge } from '../dist/demo/verdict.js';

function report(host: string, overrides: Record<string, unknown> = {}) {
  return {
    host,
    pid: 100,
    objectId: 1,
    secretFingerprint: 'aaaa',
    secretFingerprintAfter: 'aaaa',
    createdSecret: host === 'host-1',
    runsRecorded: 2,
    runsVisible: 4,
    lastRun: { host: 'host-2', session: 's', run: 2, at: 't' },
    ...overrides,
  };
}

const afterwards = {
  secretFingerprint: 'aaaa',
  runsVisible: 4,
  lastRun: { host: 'host-2', session: 's', run: 2, at: 't' },
};

describe('judge', () => {
  it('agrees on matching reports', () => {
    const verdict = judge([report('host-1'), report('host-2')], {
      runs: 2,
      earlierSecret: null,
      afterwards,
    });
    expect(verdict.agreed).toBe(true);
    expect(verdict.line).toContain('created by host-1');
  });

  const disagreements: Array<[label: string, changed: Record<string, unknown>, problem: string]> = [
    ['object ids', { objectId: 2 }, 'object ids differ: 1, 2'],
    ['secrets', { secretFingerprint: 'bbbb' }, 'secrets differ'],
    ['two creators', { createdSecret: true }, '2 of 2 processes created the secret, expected 1'],
    ['lost runs', { runsVisible: 3 }, 'host-2 saw 3 of 4 runs'],
    ['short runs', { runsRecorded: 1 }, 'host-2 recorded 1 of 2 runs'],
    ['lastRun', { lastRun: null }, 'host-2 saw lastRun none'],
  ];
  for (const [label, changed, problem] of disagreements) {
    it(`reports differing ${label}`, () => {
      const verdict = judge([report('host-1'), report('host-2', changed)], {
        runs: 2,
        earlierSecret: null,
        afterwards,
      });
      expect(verdict.agreed).toBe(false);
      expect(verdict.line).toMatch(/^Disagreement: /);
      expect(verdict.problems.join('; ')).toContain(problem);
    });
  }

  it('expects no creator when a secret existed', () => {
    const verdict = judge([report('host-1'), report('host-2')], {
      runs: 2,
      earlierSecret: 'aaaa',
      afterwards,
    });
    expect(verdict.problems).toEqual(['1 of 2 processes created the secret, expected 0']);
  });

  it('rejects a lastRun that is not a final run', () => {
    const early = { host: 'host-1', session: 's', run: 1, at: 't' };
    const verdict = judge(
      [report('host-1', { lastRun: early }), report('host-2', { lastRun: early })],
      {
        runs: 2,
        earlierSecret: null,
        afterwards: { ...afterwards, lastRun: early },
      },
    );
    expect(verdict.problems).toEqual(['lastRun is host-1 run 1, not a final run']);
  });
});
