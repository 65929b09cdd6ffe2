import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function findCli(): string | undefined {
  try {
    const manifest = createRequire(import.meta.url).resolve('@state-connector/cli/package.json');
    return join(dirname(manifest), 'dist', 'bin.js');
  } catch {
    return undefined;
  }
}

const cliScript = findCli();

function commandMissing(): string | undefined {
  if (cliScript === undefined || !existsSync(cliScript)) {
    return 'the state-connector command is not built (packages/cli/dist/bin.js)';
  }
  for (const command of ['export', 'import']) {
    const help = spawnSync(process.execPath, [cliScript, command, '--help'], { encoding: 'utf8' });
    if (help.status !== 0) return `the state-connector command has no \`${command}\``;
  }
  return undefined;
}

/** Why the `state-connector` command cannot export and import here, or `undefined`. */
export const cliMissing = commandMissing();

/** Exit code and output of one `state-connector` run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `state-connector ARGS...` as a separate process; never rejects on a non-zero exit. */
export function runCli(args: string[]): Promise<CliResult> {
  const script = cliScript;
  if (script === undefined) throw new Error(cliMissing);
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      let code = 0;
      if (error !== null) code = typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}
