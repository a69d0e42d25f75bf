/**
 * Runs a benchmark suite as a list of units (the shard grain: one problem instance with all its
 * solver runs, so a unit's reference optimum is computed once) that emit cases (one JSON line
 * each, keyed by a stable case id). Lines are appended as they finish (write + fsync per line),
 * so an interrupted run loses at most the case in flight; --resume skips the case ids already in
 * the file; --shard i/N keeps the units whose index is i-1 mod N, a deterministic partition whose
 * outputs concatenate to the unsharded run's cases.
 */
import { closeSync, existsSync, fsyncSync, openSync, truncateSync, writeSync } from 'node:fs';
import type { BenchFlags } from './suite.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { progressBar } from '../report/progress.js';
import { fileErrorReason, readText } from '../formats/text-file.js';
import { parseCaseLines, type CaseRow } from '../formats/results-file.js';

export type { CaseRow };

export interface BenchUnit {
  key: string;
  /** ids of the cases this unit emits (known before running, for --resume and the progress bar) */
  caseIds: string[];
  /** Runs the cases not in `done`, calling `emit` once per finished case. */
  run(done: ReadonlyMap<string, CaseRow>, emit: (row: CaseRow) => void): Promise<void>;
}

/** The rows already in a results file, by case id; a torn last line (a kill mid-write) is cut off. */
export function finishedCases(path: string): Map<string, CaseRow> {
  const done = new Map<string, CaseRow>();
  if (!existsSync(path)) return done;
  let text = readText(path);
  const end = text.lastIndexOf('\n') + 1;
  if (end < text.length) {
    truncateSync(path, Buffer.byteLength(text.slice(0, end)));
    text = text.slice(0, end);
  }
  for (const row of parseCaseLines(path, text)) done.set(row.case, row);
  return done;
}

export function shardUnits<T>(units: T[], shard?: [number, number]): T[] {
  if (!shard) return units;
  const [i, n] = shard;
  return units.filter((_, k) => k % n === i - 1);
}

/** Runs the units; returns every row emitted in this run. */
export async function runUnits(suite: string, units: BenchUnit[], flags: BenchFlags, io: Io): Promise<CaseRow[]> {
  const mine = shardUnits(units, flags.shard);
  const done = flags.resume && flags.out ? finishedCases(flags.out) : new Map<string, CaseRow>();
  let fd: number | undefined;
  if (flags.out) {
    try {
      fd = openSync(flags.out, flags.resume ? 'a' : 'w');
    } catch (e) {
      throw new UserError(`${flags.out}: cannot write (${fileErrorReason(e)})`);
    }
  }
  const total = mine.reduce((s, u) => s + u.caseIds.length, 0);
  let finished = mine.reduce((s, u) => s + u.caseIds.filter((id) => done.has(id)).length, 0);
  const bar = progressBar(io, total, `bench ${suite}`);
  bar.update(finished);
  const rows: CaseRow[] = [];
  try {
    for (const unit of mine) {
      if (unit.caseIds.every((id) => done.has(id))) continue;
      await unit.run(done, (row) => {
        const line = JSON.stringify({ ...row, suite }) + '\n';
        if (fd !== undefined) {
          writeSync(fd, line);
          fsyncSync(fd);
        }
        if (flags.json) io.out(line);
        rows.push(row);
        finished++;
        bar.update(finished, row.case);
      });
    }
  } finally {
    bar.stop();
    if (fd !== undefined) closeSync(fd);
  }
  return rows;
}
