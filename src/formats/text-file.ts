/**
 * Reading and writing whole user files, with a failure as one UserError line that names the file
 * and the reason (the errno code such as ENOENT or EACCES, else the message).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';

/** Why a file operation failed, for a one-line message. */
export function fileErrorReason(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/** The file's bytes; fails with `path: cannot read[ what] (reason)`. */
export function readBytes(path: string, what?: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UserError(`${path}: cannot read${what ? ` ${what}` : ''} (${fileErrorReason(e)})`);
  }
}

/** The file's text (UTF-8); fails with `path: cannot read[ what] (reason)`. */
export function readText(path: string, what?: string): string {
  return readBytes(path, what).toString('utf8');
}

/** Writes `text` as the whole file; fails with `path: cannot write (reason)`. */
export function writeText(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UserError(`${path}: cannot write (${fileErrorReason(e)})`);
  }
}
