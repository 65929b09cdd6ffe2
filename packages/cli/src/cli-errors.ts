import { isStateConnectorError, StateNotFoundError } from '@state-connector/core';
import { CommanderError } from 'commander';
import { scrubSecrets } from './store-url.js';

/** Exit code of a failed operation, such as a missing state name or a backend failure. */
export const EXIT_FAILURE = 1;

/** Exit code of invalid usage: an unknown option, a missing argument, invalid JSON input. */
export const EXIT_USAGE = 2;

/** An expected failure of the command, printed without a stack trace. */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: number;

  constructor(code: string, message: string, exitCode = EXIT_FAILURE) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** Invalid command-line input; exits with {@link EXIT_USAGE}. */
export class UsageError extends CliError {
  constructor(message: string, code = 'USAGE') {
    super(code, message, EXIT_USAGE);
    this.name = 'UsageError';
  }
}

/** Output settings of {@link reportError}. */
export interface ErrorReportOptions {
  json: boolean;
  /** Credentials from the store URL, which never reach the output. */
  secrets: readonly string[];
  write: (text: string) => void;
}

interface ErrorReport {
  code: string;
  message: string;
  exitCode: number;
  stack?: string;
}

function describeError(error: unknown): ErrorReport {
  if (error instanceof CliError) {
    return { code: error.code, message: error.message, exitCode: error.exitCode };
  }
  if (error instanceof StateNotFoundError) {
    // The library's advice names getState's third argument; the command's is an option.
    const message =
      `State ${JSON.stringify(error.stateName)} not found on object ${error.objectId}; ` +
      'pass --default JSON to print a value instead.';
    return { code: error.code, message, exitCode: EXIT_FAILURE };
  }
  if (isStateConnectorError(error)) {
    return { code: error.code, message: error.message, exitCode: EXIT_FAILURE };
  }

  const message = error instanceof Error ? error.message : String(error);
  const sentence = /[.!?]$/.test(message) ? message : `${message}.`;
  const report: ErrorReport = {
    code: 'UNEXPECTED',
    message: `unexpected failure: ${sentence}`,
    exitCode: EXIT_FAILURE,
  };
  if (process.env['STATE_CONNECTOR_DEBUG'] && error instanceof Error && error.stack) {
    report.stack = error.stack;
  } else {
    report.message += ' Set STATE_CONNECTOR_DEBUG=1 to print the stack trace.';
  }
  return report;
}

/**
 * Prints an error to stderr, as one line of text or as JSON, with every credential of the
 * store URL scrubbed, and returns the exit code. Expected errors print no stack trace.
 */
export function reportError(error: unknown, options: ErrorReportOptions): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message or the help text.
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }

  const report = describeError(error);
  let text: string;
  if (options.json) {
    text = `${JSON.stringify({ error: report })}\n`;
  } else {
    text = `error: ${report.message} (${report.code})\n`;
    if (report.stack !== undefined) text += `${report.stack}\n`;
  }
  options.write(scrubSecrets(text, options.secrets));
  return report.exitCode;
}
