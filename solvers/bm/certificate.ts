/**
 * Dual bounds for max <C, X> s.t. diag(X) = 1, X psd (DESIGN.md section 3). For any y, if
 * S + sigma I is psd with S = Diag(y) - C, then y + sigma 1 is dual feasible and
 *   OPT <= sum(y) + n sigma.
 * We take y_i = (C V V')_ii (then sum(y) is the primal value p), so the certified gap is n sigma.
 * sigma comes from, in order of preference:
 *   'cholesky'   an estimate of lambda_min(S) suggests sigma (a Ritz value on span(V), see
 *                subspaceEstimate, or Lanczos), and a floating-point Cholesky of S + sigma I with
 *                Rump's rounding-error shift PROVES S + sigma I psd.
 *   'gershgorin' sigma = max(0, -min_i (S_ii - sum_j |S_ij|)): always valid, usually loose.
 * A Ritz value theta (span(V) or Lanczos) only ever gives an ESTIMATE, sum(y) + n max(0, -theta),
 * never a bound (theta >= lambda_min): the solver reports it apart, as `boundEstimate`.
 */
import type { SymCsr } from '../../src/core/sym-csr.js';
import { analysePsd, provePsd } from '../../src/numerics/psd-proof.js';
import type { SymbolicFactor } from '../../src/numerics/sparse-cholesky.js';
import { lanczosSmallest, type LanczosResult } from '../../src/numerics/lanczos.js';
import { provePositiveDefinite, WasmCholeskyProver } from '../../src/numerics/cholesky.js';
import type { Rng } from '../../src/numerics/rng.js';
import type { BmKernels } from './kernels.js';


export type BoundMethod = 'cholesky' | 'gershgorin';

export interface DualBound {
  /** upper bound on OPT (maximisation) */
  bound: number;
  sigma: number;
  method: BoundMethod;
  proven: true;
}

/** y -> S x = y .* x - C x */
export function dualSlackOperator(C: SymCsr, y: Float64Array): (x: Float64Array, out: Float64Array) => void {
  const { n, diag, rowPtr, col, val } = C;
  return (x, out) => {
    for (let i = 0; i < n; i++) {
      let s = (y[i]! - diag[i]!) * x[i]!;
      for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) s -= val[p]! * x[col[p]!]!;
      out[i] = s;
    }
  };
}

export function denseDualSlack(C: SymCsr, y: Float64Array): Float64Array {
  const S = new Float64Array(C.n * C.n);
  fillDenseDualSlack(C, y, S);
  return S;
}

/** S = Diag(y) - C written densely (row-major, both triangles) into out, which is cleared first. */
export function fillDenseDualSlack(C: SymCsr, y: Float64Array, out: Float64Array): void {
  const { n, diag, rowPtr, col, val } = C;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = y[i]! - diag[i]!;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) out[i * n + col[p]!] = -val[p]!;
  }
}

/** r_i = sum_j |C_ij| over the off-diagonal entries of each row (Gershgorin's radii, independent of y) */
export function rowAbsSums(C: SymCsr): Float64Array {
  const { n, rowPtr, val } = C;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) s += Math.abs(val[p]!);
    r[i] = s;
  }
  return r;
}

/** `radii`: rowAbsSums(C), computed once per solve by the caller (the same numbers either way) */
export function gershgorinBound(C: SymCsr, y: Float64Array, primal: number, radii: Float64Array = rowAbsSums(C)): DualBound {
  const { n, diag } = C;
  let low = Infinity;
  for (let i = 0; i < n; i++) low = Math.min(low, y[i]! - diag[i]! - radii[i]!);
  // a relative 1e-12 on top covers the rounding in the row sums
  const sigma = Math.max(0, -low) * (1 + 1e-12) + 1e-12 * Math.abs(low);
  return { bound: primal + n * sigma, sigma, method: 'gershgorin', proven: true };
}

export function lanczosEstimate(C: SymCsr, y: Float64Array, rng: Rng, tol: number, maxSteps: number, stopBelow?: number, start?: Float64Array, deadline?: number): LanczosResult {
  return lanczosSmallest(C.n, dualSlackOperator(C, y), rng, {
    tol,
    maxSteps,
    ...(deadline !== undefined && deadline !== Infinity ? { deadline } : {}),
    ...(stopBelow !== undefined ? { stopBelow } : {}),
    ...(start ? { start } : {}),
  });
}

/**
 * The smallest Ritz value of S = Diag(y) - C on the column space of V (Rayleigh-Ritz), with its
 * Ritz vector and residual |S u - theta u|. Like a Lanczos Ritz value it is never below
 * lambda_min(S) (Courant-Fischer), so it is an estimate, never a proof. Why this subspace: near a
 * Burer-Monteiro stationary point S V ~ 0, so the bottom of the spectrum is a cluster of about k
 * eigenvalues within ~1e-4 of 0 (the negative ones among them), separated by ~0.4 from the rest
 * on G1. Lanczos cannot resolve inside that cluster in 150 steps (on G1 at sweep 180 its Ritz
 * value was -1.1 tol-units where the true lambda_min is -5.2), while span(V) is almost exactly
 * the cluster's invariant subspace, and the Ritz values on it match the dense eigenvalues to
 * three digits (measured on G1 from sweep 100 to 380) at the cost of about two sweeps. The basis,
 * S times it and the projected k x k matrix come from the kernels (subspace.ts, or WebAssembly);
 * so does the k x k eigenproblem (Jacobi).
 */
export function subspaceEstimate(y: Float64Array, kernels: Pick<BmKernels, 'k' | 'projectSlack' | 'ritzVector' | 'smallestEigenpair'>): LanczosResult {
  const n = y.length;
  const { k } = kernels;
  const Hf = new Float64Array(k * k);
  const m = kernels.projectSlack(y, Hf);
  const z = new Float64Array(m);
  const theta = kernels.smallestEigenpair(Hf, m, z);
  const vector = new Float64Array(n);
  const Su = new Float64Array(n);
  kernels.ritzVector(z, vector, Su);
  let residual = 0;
  for (let i = 0; i < n; i++) residual += (Su[i]! - theta * vector[i]!) ** 2;
  return { value: theta, residual: Math.sqrt(residual), steps: m, converged: false, vector };
}

/**
 * The proof that S + sigma I is psd for S = Diag(y) - C. Up to CHOLESKY_MAX_N: a dense
 * floating-point Cholesky with Rump's a-priori shift (src/numerics/cholesky.ts), in JavaScript
 * (the reference) or in WebAssembly. Above it: the sparse Cholesky of src/numerics/psd-proof.ts
 * (fill-reducing ordering, a rounding bound from the factor's row counts; dense there too when fill
 * makes sparse pointless), whose symbolic factor is computed once per solve since S keeps C's
 * pattern. This is the one place a proof of positive semidefiniteness is run.
 */
/** Above this n the dense Cholesky proof (n^3/6 flops, n^2 doubles) is not attempted: the sparse one runs. */
export const CHOLESKY_MAX_N = 4000;

export interface PsdProver {
  readonly name: 'js' | 'wasm' | 'sparse';
  prove(C: SymCsr, y: Float64Array, sigma: number): boolean;
  /** a cautious prediction of one proof's milliseconds, where the prover can make one */
  predictMs?(): number;
}

export function createPsdProver(name: 'js' | 'wasm', n: number, C?: SymCsr): PsdProver {
  if (C && n > CHOLESKY_MAX_N) return sparsePsdProver(C);
  if (name === 'js') return { name, prove: (C, y, sigma) => provePositiveDefinite(denseDualSlack(C, y), C.n, sigma) };
  let prover: WasmCholeskyProver | undefined;
  return {
    name,
    prove(C, y, sigma) {
      // allocated on the first proof only: most checks never try one
      prover ??= new WasmCholeskyProver(n);
      fillDenseDualSlack(C, y, prover.matrix);
      return prover.prove(sigma);
    },
  };
}

/**
 * S = Diag(y) - C as a SymCsr sharing C's pattern: the off-diagonal values -C_ij are exact; each
 * diagonal fl(y_i - C_ii) is one rounding away from the real value, which provePsd covers
 * (`diagonalRounded`).
 */
function sparsePsdProver(C: SymCsr): PsdProver {
  const n = C.n;
  const S = { n, diag: new Float64Array(n), rowPtr: C.rowPtr, col: C.col, val: C.val.map((v) => -v) };
  let symbolic: SymbolicFactor | undefined;
  return {
    name: 'sparse',
    prove(C2, y, sigma) {
      if (C2 !== C) throw new Error('sparse prover: built for another matrix');
      for (let i = 0; i < n; i++) S.diag[i] = y[i]! - C.diag[i]!;
      symbolic ??= analysePsd(S);
      return provePsd(S, sigma, { symbolic, diagonalRounded: true }).proven;
    },
    predictMs() {
      symbolic ??= analysePsd(S);
      // 0.3 G multiply-adds per second: below the 0.8 measured here, so the schedule reserves enough
      return symbolic.flops / 3e5;
    },
  };
}
