import { InvalidArgumentError, type Command } from 'commander';
import { parseFiniteNumber, parsePositiveInt, parsePositiveNumber, parseSeed } from '../options.js';
import type { Io } from '../../core/io.js';
import { readDiagSdp, SDP_FORMATS, type SdpFormat } from '../../formats/sdp-file.js';
import { formatNumber } from '../../report/table.js';
import { BM_ALGOS, DEFAULT_ALGO, KERNEL_CHOICES, OVER_RELAXATION, solveDiagSdp, type BmAlgo, type BmSolution, type KernelChoice } from '../../../solvers/bm/solve-sdp.js';
import { bmSolutionJson } from '../../../solvers/bm/solution-json.js';
import { progressBar } from '../../report/progress.js';
import type { DiagSdp } from '../../core/diag-sdp.js';

interface SdpFlags {
  format?: SdpFormat;
  algo: BmAlgo;
  rank?: number;
  omega?: number;
  tol: number;
  maxTime?: number;
  maxIter?: number;
  rounds: number;
  seed: number;
  verify?: 'cholesky' | 'lanczos';
  kernels: KernelChoice;
  json?: boolean;
  x?: boolean;
}

const choice =
  <T extends string>(choices: readonly T[]) =>
  (raw: string): T => {
    if (!choices.includes(raw as T)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
    return raw as T;
  };

/** The JSON report of one solve (the fields the README documents): the instance, then the solution. */
export function sdpReport(sdp: DiagSdp, sol: BmSolution, parseMs: number, withX: boolean): Record<string, unknown> {
  const { x, ...solution } = bmSolutionJson(sol, { x: withX });
  return {
    instance: sdp.name,
    n: sdp.n,
    nnz: sdp.C.rowPtr[sdp.n]! / 2,
    ...solution,
    parseMs,
    notes: sdp.notes,
    ...(x !== undefined ? { x } : {}),
  };
}

export function registerSdp(program: Command, io: Io): void {
  program
    .command('sdp')
    .description('solve max <C,X> s.t. diag(X) = 1, X psd (SDPA .dat-s or G-set MaxCut graph) by Burer-Monteiro, with a certified bound and rounding')
    .argument('<file>', 'SDPA sparse (.dat-s) or G-set rudy graph')
    .option('--format <f>', `file format (${SDP_FORMATS.join('|')}; default: detected)`, choice(SDP_FORMATS))
    .option('--algo <a>', `algorithm (${BM_ALGOS.join('|')})`, choice(BM_ALGOS), DEFAULT_ALGO)
    .option('--rank <k>', 'fixed rank of V (default: the rank staircase, from a third of ceil(sqrt(2n)) + 1, at least 16, up to it; the whole of it below n = 200)', parsePositiveInt)
    .option('--omega <w>', `over-relaxation of the mixing sweeps, in [1, 2) (1 = plain mixing; default ${OVER_RELAXATION}, which auto raises towards 2 when mixing slows down)`, parseOmega)
    .option('--tol <t>', 'target certified relative gap', parsePositiveNumber, 1e-6)
    .option('--max-time <s>', 'time budget in seconds for the whole command (parse, iterations, checks including the final one, rounding)', parsePositiveNumber)
    .option('--max-iter <n>', 'iteration budget (sweeps or L-BFGS iterations)', parsePositiveInt)
    .option('--rounds <n>', 'hyperplane rounding draws (each followed by 1-flip search)', parsePositiveInt, 100)
    .option('--verify <v>', 'cholesky (Cholesky proof, dense up to n = 4000 and sparse above; the default) or lanczos (stop on the Lanczos estimate; the bound is then Gershgorin\'s)', choice(['cholesky', 'lanczos'] as const))
    .option('--kernels <k>', `iteration and proof kernels (${KERNEL_CHOICES.join('|')}; auto = wasm where it loads)`, choice(KERNEL_CHOICES), 'auto')
    .option('--seed <n>', 'random seed', parseSeed, 1)
    .option('--x', 'include the rounded +-1 vector in the JSON')
    .option('--json', 'print exactly one JSON object')
    .action((file: string, flags: SdpFlags) => {
      const t0 = performance.now();
      const sdp = readDiagSdp(file, flags.format);
      const parseMs = performance.now() - t0;
      for (const note of sdp.notes) io.err(`bnnrelax: note: ${note}\n`);
      // the bar shows the estimated gap falling towards tol on a log scale (only on a terminal)
      const bar = progressBar(io, 100, sdp.name);
      const sol = solveDiagSdp(sdp.C, sdp.sense, {
        algo: flags.algo,
        rank: flags.rank,
        ...(flags.omega !== undefined ? { overRelaxation: flags.omega } : {}),
        tol: flags.tol,
        maxTimeMs: flags.maxTime === undefined ? undefined : flags.maxTime * 1000,
        startedAt: t0,
        kernels: flags.kernels,
        maxIter: flags.maxIter,
        rounds: flags.rounds,
        seed: flags.seed,
        verify: flags.verify,
        onCheck: (iterations, proven, estimate) => {
          const done = Math.max(0, Math.min(100, Math.round((100 * Math.log(Math.min(1, Math.max(estimate, flags.tol)))) / Math.log(flags.tol))));
          bar.update(done, `iteration ${iterations}, gap ${estimate.toExponential(1)} (estimate), ${proven.toExponential(1)} (proven)`);
        },
      });
      bar.stop();
      const report = sdpReport(sdp, sol, parseMs, Boolean(flags.x));
      if (flags.json) {
        io.out(JSON.stringify(report) + '\n');
        return;
      }
      const lines = [
        `instance    ${sdp.name} (n ${sdp.n}, ${report.nnz} off-diagonal pairs, ${sol.sense})`,
        `algorithm   ${sol.algo}${sol.switchedAt !== undefined ? ` (mixing, then L-BFGS from iteration ${sol.switchedAt})` : ''}, rank ${sol.rank}, ${sol.kernels} kernels, seed ${flags.seed}`,
        `objective   ${formatNumber(sol.objective, 10)}`,
        `bound       ${formatNumber(sol.bound, 10)}  (proven, ${sol.boundMethod}; best proven during the run)`,
        `estimate    ${formatNumber(sol.boundEstimate, 10)}  (NOT proven: objective + n max(0, -lambda_min estimate))`,
        `rel. gap    ${formatNumber(sol.relGap, 3)}  ${sol.certified ? 'certified' : `NOT certified (${sol.stopReason})`}`,
        `rounded     ${formatNumber(sol.rounded, 10)}  (${formatNumber(sol.rounded / sol.bound, 5)} of the bound, best of ${sol.rounds} draws + 1-flip)`,
        `iterations  ${sol.iterations} (${sol.certificateChecks} certificate checks)`,
        `time        ${formatNumber(sol.solveMs + sol.certifyMs, 1)} ms (iterate ${formatNumber(sol.solveMs, 1)}, certify ${formatNumber(sol.certifyMs, 1)}); rounding ${formatNumber(sol.roundMs, 1)} ms; parse ${formatNumber(parseMs, 1)} ms`,
      ];
      io.out(lines.join('\n') + '\n');
    });
}

/** --omega: the over-relaxation factor, 1 <= w < 2 (every row step still gains below 2) */
function parseOmega(raw: string): number {
  const w = parseFiniteNumber(raw);
  if (!(w >= 1 && w < 2)) throw new InvalidArgumentError(`must be at least 1 and below 2, got ${raw}`);
  return w;
}
