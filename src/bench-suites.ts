/**
 * Benchmark suites behind `bnnrelax bench SUITE`. A suite is a named run that prints its figures
 * (a table, or JSON lines with --json) and may write results incrementally to --out.
 * Suites register themselves in BENCH_SUITES (xnor kernels, solver suites, ...).
 */
import type { Io } from './io.js';
import { sdpBenchSuite } from './bench-sdp.js';
import { xnorBenchSuite } from './xnor/bench-suite.js';
import { solverSuites } from './solver-suites.js';

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
}

export interface BenchSuite {
  name: string;
  summary: string;
  run(flags: BenchFlags, io: Io): Promise<void>;
}

export const BENCH_SUITES: BenchSuite[] = [sdpBenchSuite, xnorBenchSuite, ...solverSuites];
