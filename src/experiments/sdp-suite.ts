/**
 * The SDP benchmark (`bnnrelax bench sdp`, or `npx tsx bench/sdp.ts`): every instance of the
 * reference data (G1, G11, G14, maxG11 and the SDPLIB mcp files) with every algorithm, reporting
 * the time to a certified relative gap of 1e-6 (solve + certificate, parsing and rounding
 * excluded), iterations, ms per iteration, the rounded/bound ratio (100 draws + 1-flip), and the
 * deviation from the README table. One case (and shard unit) per instance and algorithm, id
 * `instance/algo`; run, resumed and written by the one runner (bench-runner.ts).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchFlags, BenchSuite, BenchUnit } from './suite.js';
import { runSuite } from './bench-runner.js';
import { referenceDataDir } from '../formats/data-dir.js';
import type { Io } from '../core/io.js';
import { benchInstances } from '../formats/reference-table.js';
import { readDiagSdp } from '../formats/sdp-file.js';
import { formatTable } from '../report/table.js';
import { BM_ALGOS, solveDiagSdp, type BmAlgo } from '../../solvers/bm/solve-sdp.js';

export interface SdpBenchOptions extends BenchFlags {
  algos?: BmAlgo[];
  instances?: string[];
  rank?: number;
  maxTimeS?: number;
}

export interface SdpBenchRow {
  instance: string;
  algo: BmAlgo;
  n: number;
  rank: number;
  certified: boolean;
  relGap: number;
  timeToCertifiedMs: number | null;
  timeMs: number;
  solveMs: number;
  certifyMs: number;
  iterations: number;
  msPerIteration: number;
  certificateChecks: number;
  switchedAt: number | null;
  objective: number;
  /** the table's optimum; null for a folder without the reference table */
  tableValue: number | null;
  tableRelErr: number | null;
  roundedRatio: number;
  roundedBeforeFlipRatio: number;
  roundMs: number;
  parseMs: number;
  seed: number;
  load1: number;
}

const ORDER = ['G1', 'G11', 'G14', 'maxG11', 'mcp100', 'mcp124-1', 'mcp124-2', 'mcp124-3', 'mcp124-4', 'mcp250-1'];

/** Case id of one instance with one algorithm. */
export function sdpCaseId(instance: string, algo: BmAlgo): string {
  return `${instance}/${algo}`;
}

/** One unit per instance and algorithm (the shard grain), in the table's order. */
function sdpUnits(flags: SdpBenchOptions, io: Io): BenchUnit[] {
  const dir = referenceDataDir(flags.data);
  const table = benchInstances(dir).sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
  const algos = flags.algos ?? [...BM_ALGOS];
  const cases = table.filter((t) => !flags.instances || flags.instances.includes(t.name)).flatMap((t) => algos.map((algo) => ({ ref: t, algo })));
  let warmedUp = false;
  // warm-up: one untimed solve so that the first timed case does not pay for JIT compilation
  const warmUp = () => {
    warmedUp = true;
    const warm = table.find((t) => t.name === 'mcp100') ?? table[0];
    if (!warm) return;
    const sdp = readDiagSdp(join(dir, warm.file));
    for (const algo of algos) solveDiagSdp(sdp.C, sdp.sense, { algo, seed: flags.seed, rounds: 10 });
  };
  return cases.map(({ ref, algo }) => ({
    key: sdpCaseId(ref.name, algo),
    caseIds: [sdpCaseId(ref.name, algo)],
    async run(_done, { emit }) {
      if (!warmedUp) warmUp();
      const t0 = performance.now();
      const sdp = readDiagSdp(join(dir, ref.file));
      const parseMs = performance.now() - t0;
      const options = {
        algo,
        seed: flags.seed,
        tol: 1e-6,
        rounds: 100,
        maxTimeMs: (flags.maxTimeS ?? 120) * 1000,
        ...(flags.rank ? { rank: flags.rank } : {}),
      };
      const sol = solveDiagSdp(sdp.C, sdp.sense, options);
      const row: SdpBenchRow = {
        instance: ref.name,
        algo,
        n: sdp.n,
        rank: sol.rank,
        certified: sol.certified,
        relGap: sol.relGap,
        timeToCertifiedMs: sol.timeToCertifiedMs ?? null,
        timeMs: sol.solveMs + sol.certifyMs,
        solveMs: sol.solveMs,
        certifyMs: sol.certifyMs,
        iterations: sol.iterations,
        msPerIteration: sol.solveMs / Math.max(1, sol.iterations),
        certificateChecks: sol.certificateChecks,
        switchedAt: sol.switchedAt ?? null,
        objective: sol.objective,
        tableValue: ref.sdpOptimum ?? null,
        tableRelErr: ref.sdpOptimum === undefined ? null : Math.abs(sol.objective - ref.sdpOptimum) / ref.sdpOptimum,
        roundedRatio: sol.rounded / sol.bound,
        roundedBeforeFlipRatio: sol.roundedBeforeFlip / sol.bound,
        roundMs: sol.roundMs,
        parseMs,
        seed: flags.seed,
        load1: loadavg()[0]!,
      };
      emit({ case: sdpCaseId(ref.name, algo), ...row }, options);
      if (!flags.json) io.out(`  ${ref.name} ${algo}: ${row.certified ? 'certified' : 'NOT certified'} in ${row.timeMs.toFixed(0)} ms\n`);
    },
  }));
}

function printSdpTable(rows: SdpBenchRow[], io: Io): void {
  io.out('\n');
  io.out(
    formatTable(
      ['instance', 'algo', 'n', 'k', 'cert', 'time to cert ms', 'iters', 'ms/iter', 'certify ms', 'checks', 'objective', 'table rel err', 'rounded/bound', 'round ms'],
      rows.map((r) => [
        r.instance,
        r.algo,
        r.n,
        r.rank,
        r.certified ? 'yes' : 'NO',
        r.timeToCertifiedMs === null ? undefined : Math.round(r.timeToCertifiedMs),
        r.iterations,
        Math.round(r.msPerIteration * 1000) / 1000,
        Math.round(r.certifyMs),
        r.certificateChecks,
        Math.round(r.objective * 1e4) / 1e4,
        r.tableRelErr ?? undefined,
        Math.round(r.roundedRatio * 1e4) / 1e4,
        Math.round(r.roundMs),
      ]),
    ),
  );
}

export const sdpBenchSuite: BenchSuite = {
  name: 'sdp',
  summary: 'Burer-Monteiro on the reference SDP/MaxCut instances: time to certified 1e-6, iterations, rounding ratio',
  units: (flags, io) => sdpUnits(flags, io),
  header: (flags, io) => io.out(`sdp bench: data ${referenceDataDir(flags.data)}, seed ${flags.seed}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`),
  summarise: (rows, _flags, io) => {
    if (rows.length > 0) printSdpTable(rows as unknown as SdpBenchRow[], io);
  },
};

/** The suite with the per-algorithm options of bench/sdp.ts; returns the rows of this run. */
export async function runSdpBench(flags: SdpBenchOptions, io: Io): Promise<SdpBenchRow[]> {
  const suite: BenchSuite = { ...sdpBenchSuite, units: () => sdpUnits(flags, io) };
  return (await runSuite(suite, flags, io)) as unknown as SdpBenchRow[];
}
