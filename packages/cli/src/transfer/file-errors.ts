import { CliError } from '../cli-errors.js';

const reasons: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOSPC: 'the disk is full',
  EROFS: 'the file system is read-only',
};

/**
 * Runs a file operation and turns a file-system error into a `CliError` that names the
 * file and the reason, without a stack trace. Other errors pass through unchanged.
 */
export async function withFileErrors<T>(
  verb: 'read' | 'write',
  path: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === 'string' ? reasons[code] : undefined;
    if (reason === undefined) throw error;
    throw new CliError('FILE_ERROR', `Cannot ${verb} ${JSON.stringify(path)}: ${reason}.`);
  }
}
