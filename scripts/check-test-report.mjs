#!/usr/bin/env node
// Reads vitest's JSON report, prints the test count per conformance backend, and exits
// non-zero when a required backend did not run in full. Usage:
//   node scripts/check-test-report.mjs REPORT.json [--require sqlite,postgres,mongo]
import { readFileSync } from 'node:fs';

const [reportPath, flag, list] = process.argv.slice(2);
if (reportPath === undefined) {
  console.error('usage: check-test-report.mjs REPORT.json [--require sqlite,postgres,mongo]');
  process.exit(2);
}
const required = flag === '--require' && list ? list.split(',') : [];

const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const backends = new Map();
let passed = 0;
let failed = 0;
let skipped = 0;

for (const file of report.testResults ?? []) {
  if ((file.assertionResults ?? []).length === 0 && file.status === 'failed') failed++;
  for (const test of file.assertionResults ?? []) {
    const top = test.ancestorTitles?.[0] ?? '';
    const match = /^conformance: (.+)$/.exec(top);
    const counts = match ? (backends.get(match[1]) ?? { passed: 0, failed: 0, skipped: 0 }) : null;
    if (test.status === 'passed') {
      passed++;
      if (counts) counts.passed++;
    } else if (test.status === 'failed') {
      failed++;
      if (counts) counts.failed++;
    } else {
      skipped++;
      if (counts) counts.skipped++;
    }
    if (match) backends.set(match[1], counts);
  }
}

let problems = 0;
console.log('Conformance by backend:');
for (const name of new Set([...required, ...backends.keys()])) {
  const counts = backends.get(name);
  if (counts === undefined) {
    console.log(`  ${name}: did not run`);
    problems++;
    continue;
  }
  console.log(
    `  ${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
  );
  if (required.includes(name) && (counts.skipped > 0 || counts.failed > 0 || counts.passed === 0)) {
    problems++;
  }
}
if (required.length > 0 && skipped > 0) {
  console.log(`${skipped} tests were skipped; in CI every backend and every test must run.`);
  problems++;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(problems > 0 || failed > 0 ? 1 : 0);
