/**
 * The one suite contract: a suite is a named run that prints its figures (a table, or JSON lines
 * with --json) and may write results incrementally to --out. The registry is bench-suites.ts.
 */
import type { Io } from '../core/io.js';

export interface BenchFlags {
  json?: boolean;
  /** JSON-lines results file, appended to as cases finish */
  out?: string;
  /** skip cases already in --out */
  resume?: boolean;
  /** run the deterministic i-th of N parts of the cases: [i, N], 1 <= i <= N */
  shard?: [number, number];
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

export interface BenchSuite {
  name: string;
  summary: string;
  run(flags: BenchFlags, io: Io): Promise<void>;
}
