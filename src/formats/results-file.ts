/**
 * Bench results files: one JSON object per line, each with a string `case` id. The one reader and
 * the one writer of the project (every bench suite, `bench merge`, `report`), so all of them
 * accept, repair and refuse the same files:
 *
 *  - a line is written with one write and fsynced before the next case starts, so a killed run
 *    loses at most the case in flight;
 *  - a last line without its newline is what a kill mid-write leaves (a torn line): readers skip
 *    it, and opening the file to resume cuts it off before appending;
 *  - any other line that is not a JSON object with a string `case` is a one-line error naming the
 *    file and the line;
 *  - a writer holds an exclusive lock (lock-file.ts): two runs cannot write one file;
 *  - an existing non-empty file is never emptied unless asked (`overwrite`);
 *  - every file-system failure is a one-line error naming the file and the reason.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { acquireLock } from './lock-file.js';
import { fileErrorReason, readText } from './text-file.js';

export type CaseRow = Record<string, unknown> & { case: string };

export interface ParsedResults {
  rows: CaseRow[];
  /** 1-based line number of each row */
  lines: number[];
  /** bytes of the complete lines (the file's length less a torn last line) */
  completeBytes: number;
  /** whether the text ends in a torn line */
  torn: boolean;
}

/**
 * Rows of `bench sdp` and `bench xnor` written before every suite gave case ids (bnnrelax 0.1.0
 * up to the one-writer change) carry no `case`; their ids are what the suites use now
 * (`instance/algo`, `backend/MxNxK`), so `report` reads old files and `--resume --mix-versions`
 * can extend them. No other row is given an id.
 */
function withLegacyCaseId(row: Record<string, unknown>): Record<string, unknown> {
  if (row.case !== undefined) return row;
  if (typeof row.instance === 'string' && typeof row.algo === 'string' && row.suite === undefined) return { case: `${row.instance}/${row.algo}`, suite: 'sdp', ...row };
  if (row.suite === 'xnor' && typeof row.backend === 'string' && [row.M, row.N, row.K].every((v) => typeof v === 'number')) return { case: `${row.backend}/${row.M}x${row.N}x${row.K}`, ...row };
  return row;
}

/** The rows of a results file's text; a bad line other than a torn last one is a one-line error. */
export function parseResults(path: string, text: string): ParsedResults {
  const end = text.lastIndexOf('\n') + 1;
  const torn = end < text.length;
  const rows: CaseRow[] = [];
  const lines: number[] = [];
  text.slice(0, end).split('\n').forEach((line, k) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new UserError(`${path}:${k + 1}: not a JSON line (not a bnnrelax bench results file?)`);
    }
    if (typeof row === 'object' && row !== null && !Array.isArray(row)) row = withLegacyCaseId(row as Record<string, unknown>);
    if (typeof row !== 'object' || row === null || Array.isArray(row) || typeof (row as { case?: unknown }).case !== 'string') {
      throw new UserError(`${path}:${k + 1}: no "case" id; not a bnnrelax bench results file (or one written before bnnrelax 0.1.0 gave every suite case ids)`);
    }
    rows.push(row as CaseRow);
    lines.push(k + 1);
  });
  return { rows, lines, completeBytes: Buffer.byteLength(text.slice(0, end)), torn };
}

/** The complete rows of a results file (a torn last line is skipped: the case did not finish). */
export function readResultsFile(path: string): ParsedResults {
  return parseResults(path, readText(path, 'the results file'));
}

export type OpenMode =
  /** a new file, or an existing empty one; an existing file with results is refused */
  | 'new'
  /** keep the complete rows (a torn last line is cut off) and append */
  | 'resume'
  /** empty the file first */
  | 'overwrite';

/**
 * A results file open for appending, under its lock. `existing` holds the rows kept from before
 * (mode 'resume'). Call close() when done (also on failure): it releases the lock.
 */
export class ResultsWriter {
  private constructor(
    readonly path: string,
    readonly existing: ParsedResults,
    private fd: number | undefined,
    private readonly release: () => void,
  ) {}

  /**
   * Opens `path` under its lock. With mode 'resume', `check` sees the complete rows before
   * anything in the file changes (it throws to refuse the file).
   */
  static open(path: string, mode: OpenMode, check?: (existing: ParsedResults) => void): ResultsWriter {
    const release = acquireLock(path);
    let fd: number | undefined;
    try {
      try {
        fd = openSync(path, mode === 'resume' ? 'a+' : 'a');
      } catch (e) {
        throw new UserError(`${path}: cannot open for writing (${fileErrorReason(e)})`);
      }
      const size = fstatSync(fd).size;
      let existing: ParsedResults = { rows: [], lines: [], completeBytes: 0, torn: false };
      if (mode === 'new' && size > 0) {
        throw new UserError(`${path}: already holds results (${size} bytes); --resume to continue it, --overwrite to replace it`);
      }
      if (mode === 'overwrite' && size > 0) truncate(path, fd, 0, 'empty it for --overwrite');
      if (mode === 'resume' && size > 0) {
        existing = readResultsFile(path);
        check?.(existing);
        if (existing.torn) truncate(path, fd, existing.completeBytes, 'cut off its torn last line');
      }
      return new ResultsWriter(path, existing, fd, release);
    } catch (e) {
      if (fd !== undefined) closeSync(fd);
      release();
      throw e;
    }
  }

  /** Appends one row as one line and waits until it is on disk. */
  append(row: CaseRow): void {
    if (this.fd === undefined) throw new Error(`${this.path}: append after close`);
    const line = JSON.stringify(row) + '\n';
    try {
      writeSync(this.fd, line);
      fsyncSync(this.fd);
    } catch (e) {
      throw new UserError(`${this.path}: cannot write a result (${fileErrorReason(e)})`);
    }
  }

  /** Appends rows (one line each) and waits once until all are on disk (for merging). */
  appendAll(rows: CaseRow[]): void {
    if (this.fd === undefined) throw new Error(`${this.path}: append after close`);
    try {
      for (const row of rows) writeSync(this.fd, JSON.stringify(row) + '\n');
      fsyncSync(this.fd);
    } catch (e) {
      throw new UserError(`${this.path}: cannot write results (${fileErrorReason(e)})`);
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } finally {
        this.fd = undefined;
        this.release();
      }
    }
  }
}

function truncate(path: string, fd: number, bytes: number, why: string): void {
  try {
    ftruncateSync(fd, bytes);
  } catch (e) {
    throw new UserError(`${path}: cannot ${why} (${fileErrorReason(e)})`);
  }
}
