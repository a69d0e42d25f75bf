/**
 * The certificate policy: at a check, which estimate of lambda_min(Diag(y) - C) to trust, whether
 * a proof is worth trying and with which shifts, and which bound to report (certificate.ts holds
 * the bounds themselves). Everything is in the maximisation form.
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import type { Rng } from '../../src/numerics/rng.js';
import type { LanczosResult } from '../../src/numerics/lanczos.js';
import type { BmKernels } from './kernels.js';
import { gershgorinBound, lanczosEstimate, rowAbsSums, subspaceEstimate, type PsdProver } from './certificate.js';

/**
 * A Cholesky proof of the shift 0.95 * allowed (allowed = tol max(1, |objective|) / n) is tried
 * only when the Ritz estimate theta >= -PROOF_GATE * allowed. theta >= lambda_min always, so with
 * theta < -0.95 allowed the proof must fail; the 2% margin absorbs the error of the span(V)
 * estimate, which on mcp250-1 was 0.2% too optimistic right at the edge (a failed proof costs a
 * full factorisation; the margin costs at most a few sweeps).
 */
export const PROOF_GATE = 0.93;

/**
 * After each failed proof at the current rank the gate tightens by this factor (the next proof
 * waits until |theta| <= PROOF_GATE * FAILED_GATE_FACTOR^failures * allowed): a failure says the
 * span(V) estimate is too optimistic by at least the margin, and waiting a few sweeps is cheaper
 * than a Lanczos run. Measured on mcp250-1 (seed 1, over-relaxed mixing): the span(V) Ritz value
 * was 11% above lambda_min at the failed proof (-1.067e-6 against allowed 1.27e-6); the Lanczos
 * run that followed cost 405 ms, 20000 sweeps' worth, before this rule.
 */
export const FAILED_GATE_FACTOR = 0.8;

/**
 * Lanczos joins the span(V) estimate from this many consecutive failed proofs on (and in every
 * final check): the bottom eigenvector is then probably not in span(V), as at a non-optimal
 * stationary point of a small rank, where only Lanczos finds the staircase's escape direction.
 */
export const LANCZOS_AFTER_FAILURES = 2;

export type Verify = 'cholesky' | 'lanczos';

/** A bound proven at one check (maximisation form: OPT <= bound). */
export interface ProvenBound {
  bound: number;
  sigma: number;
  method: 'cholesky' | 'gershgorin';
}

export interface CheckOutcome {
  /** <C, V V'> = sum(y) at the check */
  primal: number;
  /** the better of the Cholesky proof (when it ran and succeeded) and Gershgorin: always proven */
  proven: ProvenBound;
  /** primal + n max(0, -theta): what the bound would be if theta were lambda_min. NOT a proof. */
  estimate: number;
  /** the Ritz estimate of lambda_min(Diag(y) - C) and its residual */
  theta: number;
  residual: number;
  /** whether a proof was skipped because the deadline would have passed */
  skippedForTime: boolean;
  /**
   * a unit vector u with u'(Diag(y) - C)u <= -ESCAPE_FACTOR * allowed found by Lanczos far below
   * the span(V) estimate: V is a stationary point of its rank that is not optimal, and a new
   * column along u increases the objective (the rank staircase's escape direction)
   */
  escape?: Float64Array;
}

/**
 * An escape direction is reported when Lanczos finds a Rayleigh quotient this many allowed shifts
 * below zero and at least twice as low as the span(V) estimate. At the non-optimal stationary
 * points seen on G1 (rank 12) and G14 (rank 10) it is about 1000 allowed shifts; while the factor
 * is merely converging, Lanczos and span(V) agree within tens of percent.
 */
export const ESCAPE_FACTOR = 100;

/** (bound - primal) / max(1, |primal|) */
export function relativeGap(bound: number, primal: number): number {
  return (bound - primal) / Math.max(1, Math.abs(primal));
}

/** The allowed shift for a relative gap tol: n sigma <= tol max(1, |primal|). */
export function allowedShift(tol: number, primal: number, n: number): number {
  return (tol * Math.max(1, Math.abs(primal))) / n;
}

export class Certifier {
  checks = 0;
  certifyMs = 0;
  private readonly y: Float64Array;
  /** Gershgorin's radii of C, which do not change with y */
  private readonly radii: Float64Array;
  private ritz: Float64Array | undefined;
  /** consecutive failed proofs at this rank */
  private failedProofs = 0;
  /** milliseconds the last proof attempt took (undefined before the first) */
  proofMs: number | undefined;
  // BNNRELAX_DEBUG_BM=1 prints one line per certificate check on stderr (for tuning the schedule)
  private readonly debug = Boolean(process.env.BNNRELAX_DEBUG_BM);

  constructor(
    private readonly C: SymCsr,
    private readonly tol: number,
    private readonly verify: Verify,
    private readonly rng: Rng,
    private kernels: BmKernels,
    private readonly prover: PsdProver,
  ) {
    this.y = new Float64Array(C.n);
    this.radii = rowAbsSums(C);
  }

  /** The kernels of a grown factor (the rank staircase): later checks read their V. */
  rebind(kernels: BmKernels): void {
    this.kernels = kernels;
    this.ritz = undefined;
    this.failedProofs = 0;
  }

  /**
   * A cautious prediction of the next proof's cost: the last one measured, or before any the
   * prover's own prediction (the sparse one knows its flop count), else a dense n^3/6
   * factorisation at 0.5 G multiply-adds per second (slower than measured here).
   */
  predictedProofMs(): number {
    const n = this.C.n;
    return this.proofMs ?? this.prover.predictMs?.() ?? (n * n * n) / 6 / 5e5;
  }

  /**
   * One check of the point V after `iterations` iterations; `final` tries harder. Nothing that
   * would end after `deadline` (performance.now()) is started, except the O(nnz) Gershgorin bound.
   * With a `target` (maximisation form) the first proof tried is the one that just reaches it.
   */
  check(iterations: number, final: boolean, deadline = Infinity, target?: number): CheckOutcome {
    const { C, y, tol, verify } = this;
    const n = C.n;
    const t0 = performance.now();
    this.checks++;
    const primal = this.kernels.multipliers(y);
    // rounding in the sum behind a bound sum(y) + n sigma: a few ulps of sum |y_i| + n sigma
    let absSum = 0;
    for (let i = 0; i < n; i++) absSum += Math.abs(y[i]!);
    const sumSlack = (sigma: number) => 2 * (n + 2) * 2 ** -53 * (absSum + n * sigma);
    const allowed = allowedShift(tol, primal, n);
    // The estimate that decides whether a Cholesky proof is worth trying: the Rayleigh-Ritz value
    // on span(V) (accurate near a stationary point, about two sweeps of work in the kernels; see
    // subspaceEstimate). The final check, --verify lanczos, and every check after
    // LANCZOS_AFTER_FAILURES failed proofs (the bottom eigenvector was not in span(V), e.g. at a
    // rank-deficient stationary point with a small --rank) also run Lanczos, warm-started from
    // the previous Ritz vector, and keep the lower of the two Ritz values (both are >= lambda_min).
    // Not in every check: a Lanczos run in a one-shot solve executes mostly unoptimised code,
    // measured at 40-400 ms per check on G1 and mcp250-1, tens of sweeps or more.
    let estimate: LanczosResult | undefined = verify === 'cholesky' ? subspaceEstimate(y, this.kernels) : undefined;
    let fromLanczos = false;
    const spanValue = estimate?.value;
    if (!estimate || final || this.failedProofs >= LANCZOS_AFTER_FAILURES) {
      const lanczos = lanczosEstimate(C, y, this.rng.fork(`lanczos${this.checks}`), 0.02 * allowed, Math.min(n, 150), final ? undefined : -allowed, estimate?.vector ?? this.ritz, deadline);
      if (!estimate || lanczos.value < estimate.value) {
        estimate = lanczos;
        fromLanczos = true;
      }
    }
    this.ritz = estimate.vector;
    const theta = estimate.value;
    let proof: ProvenBound | undefined;
    let skippedForTime = false;
    // A failed proof costs a full factorisation: after each one the gate tightens
    // (FAILED_GATE_FACTOR), unless Lanczos has converged (residual within the allowed shift),
    // whose value is then taken as it is. The span(V) residual says nothing of the kind (it is
    // about |theta| there, while the Ritz value itself is accurate), so it never loosens the gate.
    const gate = fromLanczos && estimate.residual <= allowed ? PROOF_GATE : PROOF_GATE * FAILED_GATE_FACTOR ** this.failedProofs;
    if (verify === 'cholesky') {
      const tries = theta >= -gate * allowed ? [Math.min(0.95 * allowed, Math.max(0, -theta) + 0.25 * allowed + estimate.residual), 0.95 * allowed] : [];
      if (final) tries.push(2 * Math.max(0, -theta) + allowed + estimate.residual);
      // branch and bound's target (maximisation form): the largest shift whose bound still
      // reaches it, first, when the estimate leaves room for it
      const room = target === undefined ? 0 : (0.98 * (target - primal)) / n - sumSlack(0);
      if (room > 0 && theta >= -0.9 * room) tries.unshift(room);
      for (const sigma of tries) {
        if (proof && sigma <= proof.sigma) continue;
        if (performance.now() + this.predictedProofMs() > deadline) {
          skippedForTime = true;
          break;
        }
        const tp = performance.now();
        const ok = this.prover.prove(C, y, sigma);
        this.proofMs = performance.now() - tp;
        if (ok) {
          proof = { bound: primal + n * sigma + sumSlack(sigma), sigma, method: 'cholesky' };
          break;
        }
      }
      if (!proof && tries.length > 0 && !skippedForTime) this.failedProofs++;
      else if (proof) this.failedProofs = 0;
    }
    // Gershgorin costs O(nnz) and is always a proof: every check has a proven bound
    const g = gershgorinBound(C, y, primal, this.radii);
    const gBound = g.bound + sumSlack(g.sigma);
    if (!proof || gBound < proof.bound) proof = { bound: gBound, sigma: g.sigma, method: 'gershgorin' };
    const escapes = fromLanczos && theta <= -ESCAPE_FACTOR * allowed && (spanValue === undefined || theta <= 2 * spanValue);
    const out: CheckOutcome = { primal, proven: proof, estimate: primal + n * Math.max(0, -theta), theta, residual: estimate.residual, skippedForTime, ...(escapes ? { escape: estimate.vector } : {}) };
    this.certifyMs += performance.now() - t0;
    if (this.debug) console.error(`check ${this.checks} it ${iterations} theta ${theta.toExponential(3)} res ${estimate.residual.toExponential(2)} steps ${estimate.steps} allowed ${allowed.toExponential(2)} -> ${proof.method} gap ${relativeGap(proof.bound, primal).toExponential(2)} ms ${(performance.now() - t0).toFixed(1)}`);
    return out;
  }
}
