/**
 * The registry of benchmark suites behind `bnnrelax bench SUITE` (xnor kernels, SDP, solver
 * suites, ...). The contract they implement is suite.ts; the one runner is bench-runner.ts.
 */
import type { BenchSuite } from './suite.js';
import { sdpBenchSuite } from './sdp-suite.js';
import { xnorBenchSuite } from './xnor-suite.js';
import { solverSuites } from './solver-suites.js';
import { snnBenchSuite } from './snn-suite.js';
import { fewshotBenchSuite } from './fewshot-suite.js';
import { exactBenchSuite } from './exact-suite.js';
import { boundsBenchSuite } from './bounds-suite.js';

export const BENCH_SUITES: BenchSuite[] = [sdpBenchSuite, xnorBenchSuite, ...solverSuites, exactBenchSuite, boundsBenchSuite, fewshotBenchSuite, snnBenchSuite];
