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
  const d = shift - roundingShift(n, trace);
  const L = new Float64Array(n * n);
  const invDiag = new Float64Array(n);
  // Rows are computed two at a time (Cholesky-Banachiewicz): each earlier row L_j is loaded once
  // for both, which halves the memory traffic that dominates this loop for n in the hundreds.
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const ri = i * n;
    const rk = ri + n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      let s0 = A[ri + j]!;
      let s1 = A[rk + j]!;
      let k = 0;
      for (; k + 3 < j; k += 4) {
        const l0 = L[rj + k]!;
        const l1 = L[rj + k + 1]!;
        const l2 = L[rj + k + 2]!;
        const l3 = L[rj + k + 3]!;
        s0 -= L[ri + k]! * l0 + L[ri + k + 1]! * l1 + L[ri + k + 2]! * l2 + L[ri + k + 3]! * l3;
        s1 -= L[rk + k]! * l0 + L[rk + k + 1]! * l1 + L[rk + k + 2]! * l2 + L[rk + k + 3]! * l3;
      }
      for (; k < j; k++) {
        const l = L[rj + k]!;
        s0 -= L[ri + k]! * l;
        s1 -= L[rk + k]! * l;
      }
      L[ri + j] = s0 * invDiag[j]!;
      L[rk + j] = s1 * invDiag[j]!;
    }
    if (!finishRow(A, L, invDiag, n, i, d)) return false;
    // row i+1, column i, then its diagonal
    let s = A[rk + i]!;
    for (let k = 0; k < i; k++) s -= L[rk + k]! * L[ri + k]!;
    L[rk + i] = s * invDiag[i]!;
    if (!finishRow(A, L, invDiag, n, i + 1, d)) return false;
  }
  if (i < n) {
    const ri = i * n;
    for (let j = 0; j < i; j++) {
      const rj = j * n;
      let s = A[ri + j]!;
      for (let k = 0; k < j; k++) s -= L[ri + k]! * L[rj + k]!;
      L[ri + j] = s * invDiag[j]!;
    }
    if (!finishRow(A, L, invDiag, n, i, d)) return false;
  }
  return true;
}

/** The diagonal pivot of row i (its off-diagonal part already computed); false if not positive. */
function finishRow(A: Float64Array, L: Float64Array, invDiag: Float64Array, n: number, i: number, d: number): boolean {
  const ri = i * n;
  let s = A[ri + i]! + d;
  for (let k = 0; k < i; k++) s -= L[ri + k]! * L[ri + k]!;
  if (!(s > 0)) return false;
  const root = Math.sqrt(s);
  L[ri + i] = root;
  invDiag[i] = 1 / root;
  return true;
}
