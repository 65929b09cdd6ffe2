import { LibsqlError } from '@libsql/client';
import type { BackendFailure } from '@state-connector/core';

const descriptions: Record<string, string> = {
  SQLITE_BUSY: 'the database stayed locked by another connection past the busy timeout',
  SQLITE_LOCKED: 'a table is locked by another statement on the same connection',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_NOTADB: 'the file is not an SQLite database',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'a disk I/O error occurred',
  SQLITE_CONSTRAINT: 'a constraint failed',
};

/** Tells whether an error is a lock conflict that a retry can resolve. */
export function isLockConflict(error: unknown): boolean {
  if (!(error instanceof LibsqlError)) return false;
  return error.code === 'SQLITE_BUSY' || error.code === 'SQLITE_LOCKED';
}

/** Classifies a libSQL error without exposing its raw message, which may contain SQL. */
export function classifySqliteError(error: unknown): BackendFailure {
  if (error instanceof LibsqlError) {
    const base = Object.keys(descriptions).find((code) => error.code.startsWith(code));
    return {
      retryable: isLockConflict(error) || error.code === 'SQLITE_IOERR',
      detail:
        base === undefined ? `SQLite error ${error.code}` : (descriptions[base] ?? error.code),
    };
  }
  return { retryable: false };
}
