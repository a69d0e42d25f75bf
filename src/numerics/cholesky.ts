/**
 * Proof of positive semidefiniteness by a dense floating-point Cholesky factorisation, with the
 * a-priori error bound of Rump (2006, "Verification of positive definiteness", BIT 46): if the
 * floating-point Cholesky factorisation of A - cI runs to completion with
 *   c >= gamma_{n+2} / (1 - gamma_{n+2}) * trace(A),  gamma_k = k u / (1 - k u),  u = 2^-53,
 * then A is positive definite. We use twice that c: the extra half covers what the theorem's
 * setting does not (pivots applied as reciprocals, one more rounding per entry; the rounding of the
 * caller's diagonal when it formed A), each at most a few units of u * trace(A). This turns a
 * Lanczos estimate into a certificate: Lanczos suggests a shift sigma, and success here proves lambda_min(A) > -sigma.
 * Cost n^3/6 multiply-adds.
 */
import { SdpWasmArena, type F64Block } from './sdp-wasm.js';

const UNIT_ROUNDOFF = 2 ** -53;

/** The shift c that Rump's theorem needs for an n x n matrix with the given trace (doubled). */
export function roundingShift(n: number, trace: number): number {
  const gamma = ((n + 2) * UNIT_ROUNDOFF) / (1 - (n + 2) * UNIT_ROUNDOFF);
  return 2 * (gamma / (1 - gamma)) * Math.max(trace, 0) + 1e-300;
}

/**
 * Whether A + shift I is proven positive definite (A dense, symmetric, row-major; only the lower
 * triangle is read; A is not modified). Stops at the first non-positive pivot.
 */
export function provePositiveDefinite(A: Float64Array, n: number, shift: number): boolean {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += A[i * n + i]! + shift;
  return choleskyLower(A, n, shift - roundingShift(n, trace)) !== undefined;
}

/**
 * The floating-point Cholesky factor L (row-major, lower triangle; L L' ~ A + d I), or undefined
 * at the first non-positive pivot. Rows are computed four at a time (Cholesky-Banachiewicz): each
 * earlier row L_j is loaded once for all four, which divides the memory traffic that dominates
 * this loop for n in the hundreds (measured on n = 800: about 30% faster than two at a time).
 */
export function choleskyLower(A: Float64Array, n: number, d: number): Float64Array | undefined {
  const L = new Float64Array(n * n);
  const invDiag = new Float64Array(n);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      let s0 = A[r0 + j]!;
      let s1 = A[r1 + j]!;
      let s2 = A[r2 + j]!;
      let s3 = A[r3 + j]!;
      let k = 0;
      for (; k + 1 < j; k += 2) {
        const l0 = L[rj + k]!;
        const l1 = L[rj + k + 1]!;
        s0 -= L[r0 + k]! * l0 + L[r0 + k + 1]! * l1;
        s1 -= L[r1 + k]! * l0 + L[r1 + k + 1]! * l1;
        s2 -= L[r2 + k]! * l0 + L[r2 + k + 1]! * l1;
        s3 -= L[r3 + k]! * l0 + L[r3 + k + 1]! * l1;
      }
      if (k < j) {
        const l = L[rj + k]!;
        s0 -= L[r0 + k]! * l;
        s1 -= L[r1 + k]! * l;
        s2 -= L[r2 + k]! * l;
        s3 -= L[r3 + k]! * l;
      }
      const inv = invDiag[j]!;
      L[r0 + j] = s0 * inv;
      L[r1 + j] = s1 * inv;
      L[r2 + j] = s2 * inv;
      L[r3 + j] = s3 * inv;
    }
    // the triangle inside the block of four, row by row
    for (let t = i; t < i + 4; t++) {
      if (!finishRowFrom(A, L, invDiag, n, t, i, d)) return undefined;
    }
  }
  for (; i < n; i++) if (!finishRowFrom(A, L, invDiag, n, i, 0, d)) return undefined;
  return L;
}

/**
 * Row i's entries in columns from .. i-1 (those before `from` already computed), then its
 * diagonal pivot A_ii + d - |L_i|^2; false if that is not positive.
 */
function finishRowFrom(A: Float64Array, L: Float64Array, invDiag: Float64Array, n: number, i: number, from: number, d: number): boolean {
  const ri = i * n;
  for (let j = from; j < i; j++) {
    const rj = j * n;
    let s = A[ri + j]!;
    for (let k = 0; k < j; k++) s -= L[ri + k]! * L[rj + k]!;
    L[ri + j] = s * invDiag[j]!;
  }
  let s = A[ri + i]! + d;
  for (let k = 0; k < i; k++) s -= L[ri + k]! * L[ri + k]!;
  if (!(s > 0)) return false;
  const root = Math.sqrt(s);
  L[ri + i] = root;
  invDiag[i] = 1 / root;
  return true;
}

/**
 * The same proof with the factorisation in WebAssembly (sdp-kernels.wat: in place, four rows at a
 * time, f64x2 dot products). The matrix lives in the module's memory: fill `matrix` (the lower
 * triangle is what is read), then call prove, which overwrites it with the factor. One arena of
 * n^2 doubles is kept for the prover's lifetime, so repeated proofs of one size allocate nothing.
 */
export class WasmCholeskyProver {
  private readonly arena: SdpWasmArena;
  private readonly A: F64Block;
  private readonly inv: F64Block;

  constructor(readonly n: number) {
    this.arena = new SdpWasmArena(SdpWasmArena.bytesFor(8 * n * n, 8 * n));
    this.A = this.arena.f64(n * n);
    this.inv = this.arena.f64(n);
  }

  /** the n x n row-major matrix to be proven (in the module's memory) */
  get matrix(): Float64Array {
    return this.A.view;
  }

  /** Whether matrix + shift I is proven positive definite; the matrix is overwritten. */
  prove(shift: number): boolean {
    const { n } = this;
    const A = this.A.view;
    let trace = 0;
    for (let i = 0; i < n; i++) trace += A[i * n + i]! + shift;
    return this.arena.kernels.cholesky(this.A.ptr, n, shift - roundingShift(n, trace), this.inv.ptr) === 1;
  }
}
