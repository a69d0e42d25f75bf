/**
 * Reading and writing whole user files, with a failure as one UserError line that names the file
 * and the reason (the errno code such as ENOENT or EACCES, else the message). The path `-` reads
 * standard input (every file argument of the CLI accepts it, by this one rule).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';

/** Why a file operation failed, for a one-line message. */
export function fileErrorReason(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

/** The path that means standard input. */
export const STDIN_PATH = '-';

// standard input can be read only once; a second reader of `-` (format detection, then the
// parser) gets the same bytes
let stdinBytes: Buffer | undefined;

/** The file's bytes (`-`: standard input); fails with `path: cannot read[ what] (reason)`. */
export function readBytes(path: string, what?: string): Buffer {
  try {
    if (path === STDIN_PATH || path === '/dev/stdin') return (stdinBytes ??= readFileSync(0));
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

/** Line (1-based) of character `position` in `text`. */
function lineOf(text: string, position: number): number {
  let line = 1;
  for (let k = 0; k < position && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

/** JSON.parse with a syntax error as one line `file:line: malformed JSON (reason)`. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const lineCol = /line (\d+) column \d+/.exec(message);
    const position = /position (\d+)/.exec(message);
    const line = lineCol ? Number(lineCol[1]) : position ? lineOf(text, Number(position[1])) : lineOf(text, text.length);
    throw new UserError(`${file}:${line}: malformed JSON (${message.replace(/\s*\n\s*/g, ' ')})`);
  }
}
