/**
 * The Burer-Monteiro driver for optimise <C, X> s.t. diag(X) = 1, X psd: runs one algorithm on
 * V (mixing sweeps or Riemannian L-BFGS), checks the dual certificate on a predicted schedule
 * (a Cholesky proof is far dearer than a sweep), stops when the PROVEN relative gap
 * (bound - objective) / max(1, |objective|) is at most tol or the budget is spent, and rounds.
 * Internally everything is a maximisation; a 'min' instance is solved as max <-C, X>.
 */
import { symCsrNegate } from '../../src/numerics/csr.js';
import type { SymCsr } from '../../src/core/sym-csr.js';
import type { Sense } from '../../src/core/diag-sdp.js';
import { Rng } from '../../src/numerics/rng.js';
import { defaultRank, multipliers, randomFactor } from './factor.js';
import { mixingSweep } from './mixing.js';
import { RiemannianLbfgs } from './riemannian.js';
import { gershgorinBound, lanczosEstimate, proveShift, subspaceEstimate, type BoundMethod } from './certificate.js';
import { hyperplaneRounding } from './rounding.js';

export const BM_ALGOS = ['auto', 'mixing', 'lbfgs'] as const;
export type BmAlgo = (typeof BM_ALGOS)[number];
export const DEFAULT_ALGO: BmAlgo = 'auto';
/**
 * 'auto' runs the mixing method and switches to Riemannian L-BFGS when the per-sweep gain ratio
 * (gain_t / gain_{t-20})^(1/20) exceeds this: mixing converges linearly with a rate that settles
 * near 0.98-0.994 on G1, G14 and the SDPLIB files but creeps towards 1 on the +-1 torus G11,
 * where L-BFGS is several times faster (bench/RESULTS.md).
 */
export const AUTO_SWITCH_RATIO = 0.995;
/**
 * The first certificate check waits until an iteration gains less than this times tol (relative):
 * the dual gap n |lambda_min| trails the primal gain by two orders or so. Measured on G1, G14,
 * G11 and the SDPLIB files against 1, 0.1 and 0.001: fewest checks and iterations overall
 * (G1: 5 checks / 384 sweeps, against 9 / 408 at 1 and 3 / 742 at 0.001; measured when checks
 * were gated by Lanczos, before the span(V) Ritz estimate; not re-tuned since).
 */
export const FIRST_CHECK_GAIN = 0.01;
/**
 * A Cholesky proof of the shift 0.95 * allowed (allowed = tol max(1, |objective|) / n) is tried
 * only when the Ritz estimate theta >= -PROOF_GATE * allowed. theta >= lambda_min always, so with
 * theta < -0.95 allowed the proof must fail; the 2% margin absorbs the error of the span(V)
 * estimate, which on mcp250-1 was 0.2% too optimistic right at the edge (a failed proof costs a
 * full factorisation; the margin costs at most a few sweeps).
 */
export const PROOF_GATE = 0.93;
/** Above this n the dense Cholesky proof (n^3/6 flops, n^2 doubles) is not attempted. */
export const CHOLESKY_MAX_N = 4000;

export interface BmOptions {
  algo?: BmAlgo;
  rank?: number;
  tol?: number;
  maxTimeMs?: number;
  maxIter?: number;
  rounds?: number;
  seed: number;
  /** 'cholesky' (default where n <= CHOLESKY_MAX_N): proven bounds; 'lanczos': estimates only */
  verify?: 'cholesky' | 'lanczos';
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
   * target, and the bound returned is the last proven one, or Gershgorin's)
   */
  target?: number;
}

export interface BmSolution {
  n: number;
  sense: Sense;
  rank: number;
  algo: BmAlgo;
  /** <C, V V'> in the instance's own sense */
  objective: number;
  /** the dual bound in the instance's own sense (>= objective for max, <= for min) */
  bound: number;
  /** |bound - objective| / max(1, |objective|) */
  relGap: number;
  /** relGap <= tol with a proven bound */
  certified: boolean;
  boundMethod: BoundMethod;
  boundProven: boolean;
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
  /** for 'auto': the iteration at which it switched from mixing to L-BFGS, if it did */
  switchedAt?: number;
}

interface CheckOutcome {
  primal: number;
  bound: number;
  sigma: number;
  method: BoundMethod;
  proven: boolean;
  theta: number;
  residual: number;
}

export function solveDiagSdp(C0: SymCsr, sense: Sense, options: BmOptions): BmSolution {
  const n = C0.n;
  const C = sense === 'max' ? C0 : symCsrNegate(C0);
  const algo = options.algo ?? DEFAULT_ALGO;
  const k = Math.max(1, Math.min(n, options.rank ?? defaultRank(n)));
  const tol = options.tol ?? 1e-6;
  const maxTimeMs = options.maxTimeMs ?? Infinity;
  const maxIter = options.maxIter ?? 1_000_000;
  const verify = options.verify ?? (n <= CHOLESKY_MAX_N ? 'cholesky' : 'lanczos');
  const rng = new Rng(options.seed, 'bm');
  if (options.initialV && options.initialV.length !== n * k) throw new Error(`initialV has ${options.initialV.length} entries, expected n * rank = ${n * k}`);
  const V = options.initialV ? Float64Array.from(options.initialV) : randomFactor(n, k, rng.fork('init'));
  const y = new Float64Array(n);
  // the target in the internal maximisation form
  const tau = options.target === undefined ? undefined : sense === 'max' ? options.target : -options.target;

  let solveMs = 0;
  let certifyMs = 0;
  let checks = 0;
  let last: CheckOutcome | undefined;
  let certifiedAt: number | undefined;
  // BNNRELAX_DEBUG_BM=1 prints one line per certificate check on stderr (for tuning the schedule)
  const debug = Boolean(process.env.BNNRELAX_DEBUG_BM);

  let ritz: Float64Array | undefined;
  let lastFailedProofAt = 0;
  const check = (final: boolean): CheckOutcome => {
    const t0 = performance.now();
    checks++;
    const primal = multipliers(C, V, k, y);
    // rounding in the sum behind a bound sum(y) + n sigma: a few ulps of sum |y_i| + n sigma
    let absSum = 0;
    for (let i = 0; i < n; i++) absSum += Math.abs(y[i]!);
    const sumSlack = (sigma: number) => 2 * (n + 2) * 2 ** -53 * (absSum + n * sigma);
    const allowed = (tol * Math.max(1, Math.abs(primal))) / n;
    // The estimate that decides whether a Cholesky proof is worth trying: the Rayleigh-Ritz value
    // on span(V) (accurate near a stationary point, about two sweeps of work; see
    // subspaceEstimate). The final check, --verify lanczos, and every check after a failed proof
    // (the bottom eigenvector was not in span(V), e.g. at a rank-deficient stationary point with a
    // small --rank) also run Lanczos, warm-started from the previous Ritz vector, and keep the
    // lower of the two Ritz values (both are >= lambda_min). Not in every check: a Lanczos run in
    // a one-shot solve executes mostly unoptimised code, measured at 40-50 ms per check on G1.
    let estimate = verify === 'cholesky' ? subspaceEstimate(C, y, V, k) : undefined;
    let fromLanczos = false;
    if (!estimate || final || lastFailedProofAt > 0) {
      const lanczos = lanczosEstimate(C, y, rng.fork(`lanczos${checks}`), 0.02 * allowed, Math.min(n, 150), final ? undefined : -allowed, estimate?.vector ?? ritz);
      if (!estimate || lanczos.value < estimate.value) {
        estimate = lanczos;
        fromLanczos = true;
      }
    }
    ritz = estimate.vector;
    const theta = estimate.value;
    let out: CheckOutcome | undefined;
    // A Cholesky costs as much as tens of iterations. After a failed proof the next attempt waits
    // until the iteration count has grown by half, unless Lanczos has converged (residual within
    // the allowed shift). The span(V) residual says nothing of the kind (it is about |theta|
    // there, while the Ritz value itself is accurate), so it never overrides the wait.
    const trusted = (fromLanczos && estimate.residual <= allowed) || iterations >= 1.5 * lastFailedProofAt;
    if (verify === 'cholesky') {
      const tries = theta >= -PROOF_GATE * allowed && (trusted || final) ? [Math.min(0.95 * allowed, Math.max(0, -theta) + 0.25 * allowed + estimate.residual), 0.95 * allowed] : [];
      if (final) tries.push(2 * Math.max(0, -theta) + allowed + estimate.residual);
      // the largest shift whose bound still reaches the target, if the estimate leaves room for it
      const room = tau === undefined ? 0 : (0.98 * (tau - primal)) / n - sumSlack(0);
      if (room > 0 && theta >= -0.9 * room) tries.unshift(room);
      for (const sigma of tries) {
        if (out && sigma <= out.sigma) continue;
        if (proveShift(C, y, sigma)) {
          out = { primal, bound: primal + n * sigma + sumSlack(sigma), sigma, method: 'cholesky', proven: true, theta, residual: estimate.residual };
          break;
        }
      }
      if (!out && tries.length > 0) lastFailedProofAt = iterations;
    } else {
      const sigma = Math.max(0, -theta);
      out = { primal, bound: primal + n * sigma, sigma, method: 'lanczos', proven: false, theta, residual: estimate.residual };
    }
    if (!out || final) {
      const g = gershgorinBound(C, y, primal);
      if (!out || (g.bound + sumSlack(g.sigma) < out.bound && (g.proven || !out.proven))) {
        out = { primal, bound: g.bound + sumSlack(g.sigma), sigma: g.sigma, method: 'gershgorin', proven: true, theta, residual: estimate.residual };
      }
    }
    certifyMs += performance.now() - t0;
    if (debug) console.error(`check ${checks} it ${iterations} theta ${theta.toExponential(3)} res ${estimate.residual.toExponential(2)} steps ${estimate.steps} allowed ${allowed.toExponential(2)} -> ${out.method} gap ${((out.bound - primal) / Math.max(1, Math.abs(primal))).toExponential(2)} ms ${(performance.now() - t0).toFixed(1)}`);
    return out;
  };
  const gapOf = (c: CheckOutcome) => (c.bound - c.primal) / Math.max(1, Math.abs(c.primal));

  const g = new Float64Array(k);
  let lbfgs = algo === 'lbfgs' ? new RiemannianLbfgs(C, V, k) : undefined;
  const gains: number[] = [];
  let switchedAt: number | undefined;
  let objective = algo === 'lbfgs' ? lbfgs!.value : multipliers(C, V, k, y);
  let iterations = 0;
  let lastCheckAt = 0;
  // Certificate checks follow a schedule: the first when the relative per-iteration gain falls
  // below FIRST_CHECK_GAIN * tol; then at the iteration where the log-linear trend of the estimate
  // |theta| through the last two checks reaches PROOF_GATE times the allowed shift,
  // damped to 3/4 of the way and clamped to [+1%, +100%] of the iterations so far. A check
  // without a Cholesky costs about ten sweeps; the local rate fluctuates by tens of percent
  // (measured on G1), so aiming short and checking again beats overshooting.
  let nextCheckAt = Infinity;
  let trend: { it: number; theta: number } | undefined;
  let stopReason: BmSolution['stopReason'] = 'max-iter';
  for (;;) {
    const t0 = performance.now();
    let gain: number;
    if (!lbfgs) {
      gain = mixingSweep(C, V, k, g);
      if (algo === 'auto') {
        gains.push(gain);
        const t = gains.length - 1;
        if (t >= 40 && (gains[t]! / gains[t - 20]!) ** (1 / 20) > AUTO_SWITCH_RATIO) {
          lbfgs = new RiemannianLbfgs(C, V, k);
          switchedAt = iterations + 1;
        }
      }
    } else gain = lbfgs.step();
    objective += gain;
    iterations++;
    solveMs += performance.now() - t0;
    if (tau !== undefined && objective > tau) {
      stopReason = 'target-unreachable';
      break;
    }
    const rel = gain / Math.max(1, Math.abs(objective));
    // a sweep that gains nothing measurable: more sweeps cannot help (e.g. a rank-deficient
    // stationary point); the final check still reports a proven bound
    const stalled = lbfgs !== undefined ? lbfgs.stalled : rel < 1e-15 && iterations > 10;
    const timeUp = solveMs + certifyMs >= maxTimeMs;
    const iterUp = iterations >= maxIter;
    const due = lastCheckAt === 0 ? rel <= FIRST_CHECK_GAIN * tol : iterations >= nextCheckAt;
    if (due || stalled || timeUp || iterUp) {
      lastCheckAt = iterations;
      last = check(false);
      options.onCheck?.(iterations, gapOf(last), (n * Math.max(0, -last.theta)) / Math.max(1, Math.abs(last.primal)));
      if (tau !== undefined && last.proven && last.bound <= tau) {
        stopReason = 'target-proven';
        break;
      }
      if (last.proven && gapOf(last) <= tol) {
        certifiedAt = solveMs + certifyMs;
        stopReason = 'certified';
        break;
      }
      if (!last.proven && verify === 'lanczos' && gapOf(last) <= tol) {
        stopReason = 'estimated';
        break;
      }
      if (timeUp || iterUp || stalled) {
        stopReason = timeUp ? 'max-time' : stalled ? 'stalled' : 'max-iter';
        break;
      }
      const allowed = (tol * Math.max(1, Math.abs(last.primal))) / n;
      const lo = iterations + Math.max(3, Math.ceil(0.01 * iterations));
      const hi = 2 * iterations;
      // without a usable trend (first check, or |theta| not shrinking, as when Lanczos has just
      // found an eigenvalue outside span(V)): +15%
      let next = iterations + Math.ceil(0.15 * iterations);
      const now = { it: iterations, theta: Math.max(-last.theta, 1e-300) };
      if (trend && now.theta < trend.theta) {
        const rate = Math.log(trend.theta / now.theta) / (now.it - trend.it);
        next = iterations + Math.ceil((0.75 * Math.log(now.theta / (PROOF_GATE * allowed))) / rate);
      }
      trend = now;
      nextCheckAt = Math.min(hi, Math.max(lo, next));
    }
  }
  if (stopReason === 'target-unreachable') {
    // no proof can reach the target: keep the last proven bound, or take Gershgorin's (cheap)
    const primal = multipliers(C, V, k, y);
    const g = gershgorinBound(C, y, primal);
    let absSum = 0;
    for (let i = 0; i < n; i++) absSum += Math.abs(y[i]!);
    const gOutcome: CheckOutcome = { primal, bound: g.bound + 2 * (n + 2) * 2 ** -53 * (absSum + n * g.sigma), sigma: g.sigma, method: 'gershgorin', proven: true, theta: -g.sigma, residual: 0 };
    last = last && last.proven && last.bound < gOutcome.bound ? { ...last, primal } : gOutcome;
  } else if (stopReason !== 'certified' && stopReason !== 'estimated' && stopReason !== 'target-proven') last = check(true);
  const outcome = last!;

  const tr = performance.now();
  const rounding = hyperplaneRounding(C, V, k, options.rounds ?? 100, rng.fork('rounding'));
  const roundMs = performance.now() - tr;
  const s = sense === 'max' ? 1 : -1;
  const relGap = gapOf(outcome);
  return {
    n,
    sense,
    rank: k,
    algo,
    objective: s * outcome.primal,
    bound: s * outcome.bound,
    relGap,
    certified: outcome.proven && relGap <= tol,
    boundMethod: outcome.method,
    boundProven: outcome.proven,
    lambdaMin: outcome.theta,
    lambdaResidual: outcome.residual,
    iterations,
    certificateChecks: checks,
    solveMs,
    certifyMs,
    roundMs,
    ...(certifiedAt !== undefined ? { timeToCertifiedMs: certifiedAt } : {}),
    x: rounding.x,
    rounded: s * rounding.value,
    roundedBeforeFlip: s * rounding.bestRaw,
    rounds: rounding.draws,
    V,
    stopReason,
    ...(switchedAt !== undefined ? { switchedAt } : {}),
  };
}
