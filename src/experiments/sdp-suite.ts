/**
 * The SDP benchmark (`bnnrelax bench sdp`, or `npx tsx bench/sdp.ts`): every instance of the
 * reference data (G1, G11, G14, maxG11 and the SDPLIB mcp files) with every algorithm, reporting
 * the time to a certified relative gap of 1e-6 (solve + certificate, parsing and rounding
 * excluded), iterations, ms per iteration, the rounded/bound ratio (100 draws + 1-flip), and the
 * deviation from the README table. Results go to --out as JSON lines as they finish (--resume
 * skips finished cases).
 */
import { appendFileSync, existsSync } from 'node:fs';
import { readText } from '../formats/text-file.js';
import { UserError } from '../core/errors.js';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchFlags, BenchSuite } from './suite.js';
import { referenceDataDir } from '../formats/data-dir.js';
import type { Io } from '../core/io.js';
import { readReferenceTable } from '../formats/reference-table.js';
import { readDiagSdp } from '../formats/sdp-file.js';
import { formatTable } from '../report/table.js';
import { BM_ALGOS, solveDiagSdp, type BmAlgo } from '../../solvers/bm/solve-sdp.js';
import { bmSolutionJson, type BmSolutionJson } from '../../solvers/bm/solution-json.js';

export interface SdpBenchOptions extends BenchFlags {
  algos?: BmAlgo[];
  instances?: string[];
  rank?: number;
  maxTimeS?: number;
}

/** One case: the solution's JSON (solvers/bm/solution-json.ts) plus the instance and the run. */
export type SdpBenchRow = Omit<BmSolutionJson, 'timeToCertifiedMs' | 'switchedAt' | 'x'> & {
  instance: string;
  n: number;
  timeToCertifiedMs: number | null;
  switchedAt: number | null;
  tableValue: number;
  tableRelErr: number;
  roundedBeforeFlipRatio: number;
  parseMs: number;
  seed: number;
  load1: number;
};

const ORDER = ['G1', 'G11', 'G14', 'maxG11', 'mcp100', 'mcp124-1', 'mcp124-2', 'mcp124-3', 'mcp124-4', 'mcp250-1'];

export async function runSdpBench(flags: SdpBenchOptions, io: Io): Promise<SdpBenchRow[]> {
  const dir = referenceDataDir(flags.data);
  const table = readReferenceTable(dir).sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
  const algos = flags.algos ?? [...BM_ALGOS];
  let cases = table.filter((t) => !flags.instances || flags.instances.includes(t.name)).flatMap((t) => algos.map((algo) => ({ ref: t, algo })));
  if (flags.shard) {
    const [i, n] = flags.shard;
    cases = cases.filter((_, k) => k % n === i - 1);
  }
  const done = new Set<string>();
  if (flags.resume && flags.out && existsSync(flags.out)) {
    const lines = readText(flags.out, 'the results to resume').split('\n');
    lines.forEach((line, k) => {
      if (!line.trim()) return;
      let r: SdpBenchRow;
      try {
        r = JSON.parse(line) as SdpBenchRow;
      } catch {
        // a torn last line is what a kill mid-write leaves: that case simply runs again
        if (lines.slice(k + 1).every((rest) => !rest.trim())) return;
        throw new UserError(`${flags.out}:${k + 1}: not a JSON line (is this a bench sdp results file?)`);
      }
      done.add(`${r.instance}/${r.algo}`);
    });
  }
  const rows: SdpBenchRow[] = [];
  // warm-up: one untimed solve so that the first timed case does not pay for JIT compilation
  const warm = table.find((t) => t.name === 'mcp100') ?? table[0];
  if (warm && cases.length > 0) {
    const sdp = readDiagSdp(join(dir, warm.file));
    for (const algo of algos) solveDiagSdp(sdp.C, sdp.sense, { algo, seed: flags.seed, rounds: 10 });
  }
  if (!flags.json) io.out(`sdp bench: data ${dir}, seed ${flags.seed}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  for (const { ref, algo } of cases) {
    if (done.has(`${ref.name}/${algo}`)) continue;
    const t0 = performance.now();
    const sdp = readDiagSdp(join(dir, ref.file));
    const parseMs = performance.now() - t0;
    const sol = solveDiagSdp(sdp.C, sdp.sense, {
      algo,
      seed: flags.seed,
      tol: 1e-6,
      rounds: 100,
      maxTimeMs: (flags.maxTimeS ?? 120) * 1000,
      ...(flags.rank ? { rank: flags.rank } : {}),
    });
    const row: SdpBenchRow = {
      instance: ref.name,
      n: sdp.n,
      ...bmSolutionJson(sol),
      timeToCertifiedMs: sol.timeToCertifiedMs ?? null,
      switchedAt: sol.switchedAt ?? null,
      tableValue: ref.sdpOptimum,
      tableRelErr: Math.abs(sol.objective - ref.sdpOptimum) / ref.sdpOptimum,
      roundedBeforeFlipRatio: sol.roundedBeforeFlip / sol.bound,
      parseMs,
      seed: flags.seed,
      load1: loadavg()[0]!,
    };
    rows.push(row);
    if (flags.out) appendFileSync(flags.out, JSON.stringify(row) + '\n');
    if (flags.json) io.out(JSON.stringify(row) + '\n');
    else io.out(`  ${ref.name} ${algo}: ${row.certified ? 'certified' : 'NOT certified'} in ${row.timeMs.toFixed(0)} ms\n`);
  }
  if (!flags.json) {
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
          r.tableRelErr,
          Math.round(r.roundedRatio * 1e4) / 1e4,
          Math.round(r.roundMs),
        ]),
      ),
    );
  }
  return rows;
}

export const sdpBenchSuite: BenchSuite = {
  name: 'sdp',
  summary: 'Burer-Monteiro on the reference SDP/MaxCut instances: time to certified 1e-6, iterations, rounding ratio',
  run: async (flags, io) => {
    await runSdpBench(flags, io);
  },
};
