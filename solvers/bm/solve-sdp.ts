/**
 * The Burer-Monteiro driver for optimise <C, X> s.t. diag(X) = 1, X psd: reduces the instance to
 * maximisation (reductions.ts), iterates on V (algorithm.ts), checks the dual certificate when the
 * schedule says so (check-schedule.ts, certificate-policy.ts), stops when the PROVEN relative gap
 * (bound - objective) / max(1, |objective|) is at most tol or the budget is spent, rounds
 * (rounding.ts), and maps the result back to the instance's sense.
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import type { Sense } from '../../src/core/diag-sdp.js';
import { Rng } from '../../src/numerics/rng.js';
import { ensureAffordable } from '../../src/core/memory.js';
import { defaultRank, grownFactor, randomFactor, startRank } from './factor.js';
import { BmIteration, DEFAULT_ALGO, type BmAlgo } from './algorithm.js';
import { allowedShift, Certifier, relativeGap, type CheckOutcome, type ProvenBound, type Verify } from './certificate-policy.js';
import { CheckSchedule } from './check-schedule.js';
import { createPsdProver } from './certificate.js';
import { createKernels, type KernelChoice, type KernelName } from './kernels.js';
import { hyperplaneRounding } from './rounding.js';
import { maximisationForm } from './reductions.js';

/** the staircase grows the rank by this factor (at least one column), up to the default rank */
export const STAIRCASE_GROWTH = 1.5;
/** the largest entry of the escape column added to the factor (see grownFactor) */
export const ESCAPE_STEP = 0.3;

/**
 * The default over-relaxation of the mixing sweeps (mixing.ts). Sweeps to a certified 1e-6, seed 1,
 * omega 1 / 1.5 / 1.7 / 1.8 / 1.9: G1 380 / 129 / 68 / 50 / 87, G14 468 / 175 / 92 / 88 / 149,
 * mcp250-1 776 / 241 / 115 / 57 / 87 (bench/RESULTS.md, issue 10 third pass).
 */
export const OVER_RELAXATION = 1.8;

export { BM_ALGOS, DEFAULT_ALGO, type BmAlgo } from './algorithm.js';
export { CHOLESKY_MAX_N } from './certificate.js';
export { KERNEL_CHOICES, type KernelChoice } from './kernels.js';

export interface BmOptions {
  algo?: BmAlgo;
  /** a fixed rank (no staircase); default: the staircase from `startRank` up to ceil(sqrt(2n)) + 1 */
  rank?: number;
  /** where the rank staircase starts (default startRank(n) in factor.ts) */
  startRank?: number;
  tol?: number;
  /** over-relaxation of the mixing sweeps, in [1, 2) (default OVER_RELAXATION; 1: plain mixing) */
  overRelaxation?: number;
  /**
   * wall-clock budget for everything: iterations, checks (the final one included) and rounding,
   * counted from `startedAt` (default: the call); a check or proof that would overrun it is
   * skipped (Gershgorin, O(nnz), always runs), rounding stops drawing after the first draw
   */
  maxTimeMs?: number;
  /** performance.now() at which the budget started (e.g. before the caller parsed the file) */
  startedAt?: number;
  maxIter?: number;
  /** which kernels run the iterations and the proof: auto (wasm where it loads), js or wasm */
  kernels?: KernelChoice;
  rounds?: number;
  seed: number;
  /** 'cholesky' (default): proven bounds (dense proof up to CHOLESKY_MAX_N, sparse above); 'lanczos': estimates only */
  verify?: Verify;
  /**
   * called after each certificate check for progress displays: the proven relative gap so far and
   * the estimate n max(0, -theta) / max(1, |objective|) from the Ritz value theta (not a proof)
   */
  onCheck?: (iterations: number, provenGap: number, estimatedGap: number) => void;
  /**
   * a starting factor (n x rank, row-major, unit rows; `rank` must be given with it), e.g. a
   * branch-and-bound parent's factor with the fixed variable's row removed: a warm start
   */
  initialV?: Float64Array;
  /**
   * branch and bound's question, "is the SDP value beyond `target`?" (at or above it for 'min',
   * at or below for 'max'): stop as soon as a proven bound answers yes ('target-proven'), or the
   * objective, a feasible point, answers no ('target-unreachable': no proof can then reach the
   * target; the bound returned is the best proven so far, or Gershgorin's)
   */
  target?: number;
}

export interface BmSolution {
  n: number;
  sense: Sense;
  /** the rank of the final factor */
  rank: number;
  /** where the rank staircase grew the factor: each rank with the iteration it began at */
  ranks?: { rank: number; from: number }[];
  algo: BmAlgo;
  /** the over-relaxation of the mixing sweeps at the end ('auto' may have raised the one asked for) */
  overRelaxation: number;
  /** <C, V V'> in the instance's own sense */
  objective: number;
  /**
   * the best dual bound PROVEN at any check of the run, in the instance's own sense (>= the
   * optimum for max, <= for min): a Cholesky proof, or Gershgorin where that was better
   */
  bound: number;
  /** |bound - objective| / max(1, |objective|) */
  relGap: number;
  /** relGap <= tol */
  certified: boolean;
  boundMethod: 'cholesky' | 'gershgorin';
  /** always true: `bound` holds only proven numbers (kept for readers of earlier outputs) */
  boundProven: true;
  /**
   * objective + n max(0, -lambdaMin) from the last check's Ritz estimate (instance's sense): what
   * the bound would be if the estimate were exact. NOT a proof (with --verify lanczos and above
   * the Cholesky limit, the only sub-Gershgorin number there is)
   */
  boundEstimate: number;
  /** which kernels ran: 'wasm' (WebAssembly SIMD) or 'js' */
  kernels: KernelName;
  /**
   * the last Ritz estimate (on span(V), or Lanczos) of lambda_min(Diag(y) - C) (maximisation form)
   * and its residual
   */
  lambdaMin: number;
  lambdaResidual: number;
  iterations: number;
  certificateChecks: number;
  /** milliseconds: iterating, certificate checks, rounding; timeMs = solve + certify */
  solveMs: number;
  certifyMs: number;
  roundMs: number;
  /** time at which the proven gap first met tol (solve + certify up to then), if it did */
  timeToCertifiedMs?: number;
  /** rounded +-1 vector and its value x'Cx (instance's sense), best of `rounds` draws + 1-flip */
  x: Int8Array;
  rounded: number;
  roundedBeforeFlip: number;
  rounds: number;
  V: Float64Array;
  /**
   * certified: proven gap <= tol; estimated: with --verify lanczos, the (unproven) gap <= tol;
   * stalled: no more progress (L-BFGS line search failing, or mixing gains at rounding level)
   */
  stopReason: 'certified' | 'estimated' | 'max-time' | 'max-iter' | 'stalled' | 'target-proven' | 'target-unreachable';
  /** for 'auto' and 'newton': the iteration at which it switched from mixing, if it did */
  switchedAt?: number;
  /** for 'newton': Hessian-vector products of the end game (each about one sweep of work) */
  hessianProducts?: number;
}

export function solveDiagSdp(C0: SymCsr, sense: Sense, options: BmOptions): BmSolution {
  const startedAt = options.startedAt ?? performance.now();
  const n = C0.n;
  const form = maximisationForm(C0, sense);
  const C = form.C;
  const algo = options.algo ?? DEFAULT_ALGO;
  // the rank staircase: without an asked rank (or a starting factor), start at startRank(n) and
  // grow towards the default whenever a check finds the factor at a non-optimal stationary point
  const maxRank = Math.max(1, Math.min(n, options.rank ?? defaultRank(n)));
  const staircase = options.rank === undefined && options.initialV === undefined;
  let k = staircase ? Math.min(maxRank, options.startRank ?? startRank(n)) : maxRank;
  // the factor and the L-BFGS / Newton work vectors: about 16 n x k arrays of doubles, checked
  // before any is allocated (n = 10^6 at the default rank 1416 would need 181 GB), at the largest
  // rank the staircase may reach
  ensureAffordable(16 * 8 * n * maxRank + 12 * C0.rowPtr[n]!, `the rank-${maxRank} Burer-Monteiro factor of this n = ${n} SDP`, 'lower the rank: --rank K, or -p rank=K for bm');
  const tol = options.tol ?? 1e-6;
  const omega = options.overRelaxation ?? OVER_RELAXATION;
  if (!(omega >= 1 && omega < 2)) throw new Error(`overRelaxation ${omega}: must be in [1, 2)`);
  const deadline = startedAt + (options.maxTimeMs ?? Infinity);
  const maxIter = options.maxIter ?? 1_000_000;
  const verify = options.verify ?? 'cholesky';
  const rng = new Rng(options.seed, 'bm');
  if (options.initialV && options.initialV.length !== n * k) throw new Error(`initialV has ${options.initialV.length} entries, expected n * rank = ${n * k}`);
  let kernels = createKernels(C, k, options.initialV ? Float64Array.from(options.initialV) : randomFactor(n, k, rng.fork('init')), options.kernels);
  // the target in the maximisation form
  const tau = options.target === undefined ? undefined : sense === 'max' ? options.target : -options.target;

  const certifier = new Certifier(C, tol, verify, rng, kernels, createPsdProver(kernels.name, n, C));
  let schedule = new CheckSchedule(tol);
  let iteration = new BmIteration(kernels, n, algo, 0, omega);
  /** ranks the staircase ran at, with the iteration each began */
  const ranks: { rank: number; from: number }[] = [{ rank: k, from: 0 }];
  // the escape direction of a check, when the staircase may still grow: the factor is rebuilt with
  // more columns and the iteration starts afresh from it (a grown factor is a new point)
  const grow = (escape: Float64Array | undefined): boolean => {
    if (!staircase || !escape || k >= maxRank) return false;
    const k2 = Math.min(maxRank, Math.max(k + 1, Math.ceil(STAIRCASE_GROWTH * k)));
    const W = grownFactor(kernels.V, n, k, k2, escape, ESCAPE_STEP, rng.fork(`grow${k2}`));
    kernels = createKernels(C, k2, W, options.kernels);
    certifier.rebind(kernels);
    iteration = new BmIteration(kernels, n, algo, iteration.iterations, iteration.omega);
    schedule = new CheckSchedule(tol);
    k = k2;
    ranks.push({ rank: k, from: iteration.iterations });
    return true;
  };
  let solveMs = 0;
  let last: CheckOutcome | undefined;
  // the best bound proven so far: a bound holds whatever V does next, so it is never given up
  let best: ProvenBound | undefined;
  const keepBest = (c: CheckOutcome) => {
    if (!best || c.proven.bound < best.bound) best = c.proven;
  };
  let certifiedAt: number | undefined;
  let stopReason: BmSolution['stopReason'] = 'max-iter';
  // time kept back for the final check: a proof if one may run, and about two ordinary checks.
  // Before the first check, a check's cost is predicted from the time per iteration: the span(V)
  // Ritz estimate's Gram-Schmidt costs O(n k^2) against a sweep's O((nnz + n) k), i.e. about
  // k n / (nnz + n) sweeps, plus a few sweeps of products and Lanczos. Without it, a run whose
  // first check falls at the deadline (G81, n = 20000, rank 101: ~25 sweeps, 9 s) had no time
  // left for its final proof and ended with Gershgorin's bound.
  let lastCheckMs = 0;
  const nnz = C.rowPtr[n]!;
  const predictedCheckMs = () => (lastCheckMs > 0 ? lastCheckMs : iteration.iterations > 0 ? (solveMs / iteration.iterations) * (4 + (k * n) / (nnz + n)) : 0);
  const reserveMs = () => 2 * predictedCheckMs() + (verify === 'cholesky' ? certifier.predictedProofMs() : 0);
  for (;;) {
    const t0 = performance.now();
    const gain = iteration.step();
    solveMs += performance.now() - t0;
    const iterations = iteration.iterations;
    if (tau !== undefined && iteration.objective > tau) {
      stopReason = 'target-unreachable';
      break;
    }
    const rel = gain / Math.max(1, Math.abs(iteration.objective));
    // a stalled run still gets its final check, which reports a proven bound
    const stalled = iteration.stalled(rel);
    const timeUp = performance.now() + (Number.isFinite(deadline) ? reserveMs() : 0) >= deadline;
    const iterUp = iterations >= maxIter;
    // second order: each step costs tens of products, so check after every one
    const due = iteration.secondOrder ? true : schedule.due(iterations, rel);
    // out of time: straight to the final check after the loop, which tries hardest for a proof
    if (timeUp) {
      stopReason = 'max-time';
      break;
    }
    if (due || stalled || iterUp) {
      const tc = performance.now();
      last = certifier.check(iterations, false, deadline, tau);
      lastCheckMs = performance.now() - tc;
      keepBest(last);
      options.onCheck?.(iterations, relativeGap(best!.bound, last.primal), relativeGap(last.estimate, last.primal));
      if (tau !== undefined && best!.bound <= tau) {
        stopReason = 'target-proven';
        break;
      }
      if (relativeGap(best!.bound, last.primal) <= tol) {
        certifiedAt = solveMs + certifier.certifyMs;
        stopReason = 'certified';
        break;
      }
      if (verify === 'lanczos' && relativeGap(last.estimate, last.primal) <= tol) {
        stopReason = 'estimated';
        break;
      }
      // a stalled factor gets a Lanczos look (the final check's) before the staircase gives up on it
      if (stalled && staircase && k < maxRank && !last.escape && !iterUp) {
        last = certifier.check(iterations, true, deadline, tau);
        keepBest(last);
      }
      if (!iterUp && grow(last.escape)) continue;
      if (iterUp || stalled) {
        stopReason = stalled ? 'stalled' : 'max-iter';
        break;
      }
      schedule.checked(iterations, last.theta, allowedShift(tol, last.primal, n));
    }
  }
  if (stopReason === 'target-unreachable') {
    // no proof can reach the target: a check with no time for proofs (Gershgorin, O(nnz))
    last = certifier.check(iteration.iterations, false, performance.now());
    keepBest(last);
  } else if (stopReason !== 'certified' && stopReason !== 'estimated' && stopReason !== 'target-proven') {
    last = certifier.check(iteration.iterations, true, deadline, tau);
    keepBest(last);
    if (relativeGap(best!.bound, last.primal) <= tol) certifiedAt = solveMs + certifier.certifyMs;
    if (tau !== undefined && best!.bound <= tau) stopReason = 'target-proven';
  }
  const outcome = last!;
  const proven = best!;

  const tr = performance.now();
  const V = kernels.V;
  const rounding = hyperplaneRounding(C, V, k, options.rounds ?? 100, rng.fork('rounding'), deadline);
  const roundMs = performance.now() - tr;
  const relGap = relativeGap(proven.bound, outcome.primal);
  return {
    n,
    sense,
    rank: k,
    ...(ranks.length > 1 ? { ranks } : {}),
    algo,
    overRelaxation: iteration.omega,
    objective: form.invert(outcome.primal),
    bound: form.invert(proven.bound),
    relGap,
    certified: relGap <= tol,
    boundMethod: proven.method,
    boundProven: true,
    boundEstimate: form.invert(outcome.estimate),
    kernels: kernels.name,
    lambdaMin: outcome.theta,
    lambdaResidual: outcome.residual,
    iterations: iteration.iterations,
    certificateChecks: certifier.checks,
    solveMs,
    certifyMs: certifier.certifyMs,
    roundMs,
    ...(certifiedAt !== undefined ? { timeToCertifiedMs: certifiedAt } : {}),
    x: rounding.x,
    rounded: form.invert(rounding.value),
    roundedBeforeFlip: form.invert(rounding.bestRaw),
    rounds: rounding.draws,
    V,
    stopReason,
    ...(iteration.switchedAt !== undefined ? { switchedAt: iteration.switchedAt } : {}),
    ...(iteration.secondOrder ? { hessianProducts: iteration.hessianProducts } : {}),
  };
}
