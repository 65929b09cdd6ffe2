import { reportError } from './cli-errors.js';
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
 * failed, 2 for invalid usage.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = createProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const json = argv.includes('--json');
    return reportError(error, {
      json,
      secrets: collectSecrets(argv),
      write: (text) => process.stderr.write(text),
    });
  }
}
