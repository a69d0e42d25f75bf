/**
 * The certificate policy: at a check, which estimate of lambda_min(Diag(y) - C) to trust, whether
 * a proof is worth trying and with which shifts, and which bound to report (certificate.ts holds
 * the bounds themselves). Everything is in the maximisation form.
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import type { Rng } from '../../src/numerics/rng.js';
import type { LanczosResult } from '../../src/numerics/lanczos.js';
import { multipliers } from './factor.js';
import { gershgorinBound, lanczosEstimate, proveShift, subspaceEstimate, type BoundMethod } from './certificate.js';

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

export type Verify = 'cholesky' | 'lanczos';

export interface CheckOutcome {
  primal: number;
  bound: number;
  sigma: number;
  method: BoundMethod;
  proven: boolean;
  theta: number;
  residual: number;
}

/** (bound - primal) / max(1, |primal|) */
export function gapOf(c: CheckOutcome): number {
  return (c.bound - c.primal) / Math.max(1, Math.abs(c.primal));
}

/** The allowed shift for a relative gap tol: n sigma <= tol max(1, |primal|). */
export function allowedShift(tol: number, primal: number, n: number): number {
  return (tol * Math.max(1, Math.abs(primal))) / n;
}

export class Certifier {
  checks = 0;
  certifyMs = 0;
  private readonly y: Float64Array;
  private ritz: Float64Array | undefined;
  private lastFailedProofAt = 0;
  // BNNRELAX_DEBUG_BM=1 prints one line per certificate check on stderr (for tuning the schedule)
  private readonly debug = Boolean(process.env.BNNRELAX_DEBUG_BM);

  constructor(
    private readonly C: SymCsr,
    private readonly tol: number,
    private readonly verify: Verify,
    private readonly rng: Rng,
  ) {
    this.y = new Float64Array(C.n);
  }

  /** One check of the point V (rank k) after `iterations` iterations; `final` tries harder. */
  check(V: Float64Array, k: number, iterations: number, final: boolean): CheckOutcome {
    const { C, y, tol, verify } = this;
    const n = C.n;
    const t0 = performance.now();
    this.checks++;
    const primal = multipliers(C, V, k, y);
    // rounding in the sum behind a bound sum(y) + n sigma: a few ulps of sum |y_i| + n sigma
    let absSum = 0;
    for (let i = 0; i < n; i++) absSum += Math.abs(y[i]!);
    const sumSlack = (sigma: number) => 2 * (n + 2) * 2 ** -53 * (absSum + n * sigma);
    const allowed = allowedShift(tol, primal, n);
    // The estimate that decides whether a Cholesky proof is worth trying: the Rayleigh-Ritz value
    // on span(V) (accurate near a stationary point, about two sweeps of work; see
    // subspaceEstimate). The final check, --verify lanczos, and every check after a failed proof
    // (the bottom eigenvector was not in span(V), e.g. at a rank-deficient stationary point with a
    // small --rank) also run Lanczos, warm-started from the previous Ritz vector, and keep the
    // lower of the two Ritz values (both are >= lambda_min). Not in every check: a Lanczos run in
    // a one-shot solve executes mostly unoptimised code, measured at 40-50 ms per check on G1.
    let estimate: LanczosResult | undefined = verify === 'cholesky' ? subspaceEstimate(C, y, V, k) : undefined;
    let fromLanczos = false;
    if (!estimate || final || this.lastFailedProofAt > 0) {
      const lanczos = lanczosEstimate(C, y, this.rng.fork(`lanczos${this.checks}`), 0.02 * allowed, Math.min(n, 150), final ? undefined : -allowed, estimate?.vector ?? this.ritz);
      if (!estimate || lanczos.value < estimate.value) {
        estimate = lanczos;
        fromLanczos = true;
      }
    }
    this.ritz = estimate.vector;
    const theta = estimate.value;
    let out: CheckOutcome | undefined;
    // A Cholesky costs as much as tens of iterations. After a failed proof the next attempt waits
    // until the iteration count has grown by half, unless Lanczos has converged (residual within
    // the allowed shift). The span(V) residual says nothing of the kind (it is about |theta|
    // there, while the Ritz value itself is accurate), so it never overrides the wait.
    const trusted = (fromLanczos && estimate.residual <= allowed) || iterations >= 1.5 * this.lastFailedProofAt;
    if (verify === 'cholesky') {
      const tries = theta >= -PROOF_GATE * allowed && (trusted || final) ? [Math.min(0.95 * allowed, Math.max(0, -theta) + 0.25 * allowed + estimate.residual), 0.95 * allowed] : [];
      if (final) tries.push(2 * Math.max(0, -theta) + allowed + estimate.residual);
      for (const sigma of tries) {
        if (out && sigma <= out.sigma) continue;
        if (proveShift(C, y, sigma)) {
          out = { primal, bound: primal + n * sigma + sumSlack(sigma), sigma, method: 'cholesky', proven: true, theta, residual: estimate.residual };
          break;
        }
      }
      if (!out && tries.length > 0) this.lastFailedProofAt = iterations;
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
    this.certifyMs += performance.now() - t0;
    if (this.debug) console.error(`check ${this.checks} it ${iterations} theta ${theta.toExponential(3)} res ${estimate.residual.toExponential(2)} steps ${estimate.steps} allowed ${allowed.toExponential(2)} -> ${out.method} gap ${gapOf(out).toExponential(2)} ms ${(performance.now() - t0).toFixed(1)}`);
    return out;
  }
}
