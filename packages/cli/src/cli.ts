import { reportError } from './cli-errors.js';
import { flushStdout, stdoutFailure, watchOutputStreams } from './output-stream.js';
import { createProgram } from './program.js';
import { STORE_URL_VARIABLE, secretsOf } from './store-url.js';

// Every credential that any URL on the command line or in the environment carries, gathered
// before parsing so that even a parse error cannot print one.
function collectSecrets(argv: readonly string[]): string[] {
  const urls = argv.filter((arg) => arg.includes('://') || arg.includes('@'));
  const fromEnvironment = process.env[STORE_URL_VARIABLE];
  if (fromEnvironment !== undefined) urls.push(fromEnvironment);
  return urls.flatMap((url) => secretsOf(url.replace(/^--url=/, '')));
}

/**
 * Runs the `state-connector` command with `argv` (as in `process.argv`, with the node and
 * script paths first) and resolves with the exit code: 0 on success, 1 when an operation
 * failed, 2 for invalid usage. A stdout closed before all output was written is a failure.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  watchOutputStreams();
  const program = createProgram();
  let failure: { error: unknown } | undefined;
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    failure = { error };
  }

  await flushStdout();
  // A closed stdout also makes later writes fail, so it is the cause to report.
  const outputError = stdoutFailure();
  if (outputError !== undefined) failure = { error: outputError };
  if (failure === undefined) {
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  }
  return reportError(failure.error, {
    json: argv.includes('--json'),
    secrets: collectSecrets(argv),
    write: (text) => process.stderr.write(text),
  });
}
