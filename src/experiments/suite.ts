/**
 * The one suite contract: a suite is a named list of units (the shard grain) that emit cases, one
 * results row each, keyed by a case id stable across runs and machines. The one runner
 * (bench-runner.ts) shards, resumes, writes and merges every suite the same way; a suite only
 * says what its cases are and how to print them. The registry is bench-suites.ts.
 */
import type { Io } from '../core/io.js';
import type { CaseRow } from '../formats/results-file.js';
import type { Shard } from './shard.js';

export type { CaseRow };

export interface BenchFlags {
  json?: boolean;
  /** JSON-lines results file, appended to as cases finish */
  out?: string;
  /** skip cases already in --out */
  resume?: boolean;
  /** empty an existing --out first (without it, an existing file with results is refused) */
  overwrite?: boolean;
  /** resume a file written by another bnnrelax version or commit */
  mixVersions?: boolean;
  /** run the deterministic i-th of N parts of the cases: [i, N], 1 <= i <= N */
  shard?: Shard;
  /** restrict to these solvers */
  solvers?: string[];
  /** folder of reference data (default $BNNRELAX_DATA or ../shared/data) */
  data?: string;
  seed: number;
  /** bench sdp: path of a built locuslab/mixing binary to compare with side by side (or MIXING_BIN) */
  mixing?: string;
  /** bench sdp: the large G-set graphs (G55, G60, G70, G81) from --data, where present */
  large?: boolean;
  /** bench sdp --mixing: alternating runs per instance (median reported) */
  repeat?: number;
}

/** What a unit reports for one finished case. */
export interface CaseSink {
  /** A finished case; `params` are the parameters it actually ran with (recorded as provenance). */
  emit(row: CaseRow, params?: Record<string, unknown>): void;
  /**
   * A case that cannot run here (a solver that does not support the problem, a backend that
   * cannot start): recorded in the results file, so resume and merge see every case once, but
   * neither printed nor summarised.
   */
  skip(caseId: string, reason: string): void;
}

export interface BenchUnit {
  key: string;
  /** ids of the cases this unit emits or skips (known before running: resume, merge, progress) */
  caseIds: string[];
  /** Runs the cases not in `done`, reporting each one once to `sink`. */
  run(done: ReadonlyMap<string, CaseRow>, sink: CaseSink): Promise<void>;
}

export interface BenchSuite {
  name: string;
  summary: string;
  /** Every unit of the suite for these flags, in run order (before sharding). */
  units(flags: BenchFlags, io: Io): BenchUnit[];
  /** Printed before the first case runs (not with --json). */
  header?(flags: BenchFlags, io: Io): void;
  /** Prints the rows this run produced (not with --json). */
  summarise?(rows: CaseRow[], flags: BenchFlags, io: Io): void;
  /**
   * A mode that prints a comparison instead of producing cases (e.g. `bench sdp --mixing`): the
   * run to start when the flags ask for one, else undefined. Such runs write no results file.
   */
  comparison?(flags: BenchFlags): ((io: Io) => Promise<unknown>) | undefined;
}
