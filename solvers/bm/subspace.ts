/**
 * The JavaScript reference of the span(V) Rayleigh-Ritz kernels (the WebAssembly ones in
 * src/numerics/sdp-kernels.wat do the same arithmetic in the same order, f64x2 aside): an
 * orthonormal basis Q of the column space of V, the slack S Q = Diag(y) Q - C Q on it, and the
 * projected matrix Q' S Q. All arrays are n x k row-major (row stride k even when only the first
 * m columns are used), as V is, so that every pass reads rows contiguously. certificate.ts
 * (subspaceEstimate) turns them into the Ritz estimate of lambda_min(S).
 */

/**
 * An orthonormal basis of span(V) in the first m columns of Q, returning m: classical
 * Gram-Schmidt run twice per column ("twice is enough": Giraud, Langou & Rozloznik 2005), whose
 * projections need only row-contiguous passes. A column whose squared norm after both passes is at
 * most 1e-20 of its squared norm before is dropped (a direction V does not span to ~10 digits).
 * d is k scratch doubles.
 */
export function orthonormalBasis(V: Float64Array, n: number, k: number, Q: Float64Array, d: Float64Array): number {
  let m = 0;
  for (let c = 0; c < k; c++) {
    let norm0 = 0;
    for (let i = 0; i < n; i++) {
      const x = V[i * k + c]!;
      Q[i * k + m] = x;
      norm0 += x * x;
    }
    for (let pass = 0; m > 0 && pass < 2; pass++) {
      d.fill(0, 0, m);
      for (let i = 0; i < n; i++) {
        const q = Q[i * k + m]!;
        for (let b = 0; b < m; b++) d[b]! += q * Q[i * k + b]!;
      }
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let b = 0; b < m; b++) s += Q[i * k + b]! * d[b]!;
        Q[i * k + m]! -= s;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += Q[i * k + m]! ** 2;
    if (!(norm > 1e-20 * norm0) || norm === 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < n; i++) Q[i * k + m]! *= inv;
    m++;
  }
  return m;
}

/**
 * SQ = Diag(y) Q - CQ written over CQ (= C Q), first m columns; H (m x m row-major) = the sum
 * over rows of Q_i' SQ_i, not yet symmetrised.
 */
export function slackOnBasis(y: Float64Array, Q: Float64Array, CQ: Float64Array, n: number, k: number, m: number, H: Float64Array): void {
  H.fill(0, 0, m * m);
  for (let i = 0; i < n; i++) {
    const b = i * k;
    for (let r = 0; r < m; r++) CQ[b + r] = y[i]! * Q[b + r]! - CQ[b + r]!;
    for (let a = 0; a < m; a++) {
      const q = Q[b + a]!;
      for (let r = 0; r < m; r++) H[a * m + r]! += q * CQ[b + r]!;
    }
  }
}

/** out[i] = X_i[0..m) . z: the vector with coordinates z in the basis held in X's first m columns */
export function combineColumns(X: Float64Array, n: number, k: number, m: number, z: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += X[i * k + r]! * z[r]!;
    out[i] = s;
  }
}

/**
 * The eigen decomposition of a small symmetric A (m x m row-major, both triangles; overwritten,
 * its diagonal ends as the eigenvalues) by cyclic Jacobi rotations, eigenvectors accumulated in
 * the columns of Z. Each rotation (p, q) zeroes A_pq with t = sign(th) / (|th| + sqrt(th^2 + 1)),
 * th = (A_qq - A_pp) / (2 A_pq), c = 1 / sqrt(t^2 + 1), s = t c (Rutishauser's formulas), applied
 * as A <- P' A P, Z <- Z P; sweeps stop when the squared off-diagonal norm is at most 1e-28 of
 * the squared Frobenius norm (the eigenvalues are then within 1e-14 |A|_F; 1e-32 lay below the
 * rounding floor on mcp124-2's 17 x 17 and ran all 60 sweeps), or after 60. Jacobi because it is short, accurate to the last bits
 * on small matrices, and cheap at m ~ 20 where it runs (a few hundred thousand flops); and in the
 * WebAssembly kernels because a one-shot solve calls it a handful of times, too few for the
 * JavaScript engine to optimise a JavaScript eigensolver (measured 6-48 ms a call cold on G1's
 * 21 x 21, against under 1 ms warm). Returns the number of sweeps.
 */
export function jacobiEigen(A: Float64Array, m: number, Z: Float64Array): number {
  Z.fill(0, 0, m * m);
  for (let p = 0; p < m; p++) Z[p * m + p] = 1;
  let sweep = 0;
  for (; sweep < 60; sweep++) {
    let off = 0;
    let fro = 0;
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < m; q++) {
        const x = A[p * m + q]!;
        fro += x * x;
        if (p !== q) off += x * x;
      }
    }
    if (off <= 1e-28 * fro) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q]!;
        if (apq === 0) continue;
        const th = (A[q * m + q]! - A[p * m + p]!) / (2 * apq);
        let t = 1 / (Math.abs(th) + Math.sqrt(th * th + 1));
        if (th < 0) t = -t;
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < m; r++) {
          const u = A[r * m + p]!;
          const v = A[r * m + q]!;
          A[r * m + p] = c * u - s * v;
          A[r * m + q] = s * u + c * v;
          const zu = Z[r * m + p]!;
          const zv = Z[r * m + q]!;
          Z[r * m + p] = c * zu - s * zv;
          Z[r * m + q] = s * zu + c * zv;
        }
        for (let r = 0; r < m; r++) {
          const u = A[p * m + r]!;
          const v = A[q * m + r]!;
          A[p * m + r] = c * u - s * v;
          A[q * m + r] = s * u + c * v;
        }
      }
    }
  }
  return sweep;
}

/** The smallest eigenvalue of a Jacobi-diagonalised A (jacobiEigen) and its eigenvector (column of Z) into z. */
export function smallestOfDiagonalised(A: Float64Array, Z: Float64Array, m: number, z: Float64Array): number {
  let best = 0;
  for (let j = 1; j < m; j++) if (A[j * m + j]! < A[best * m + best]!) best = j;
  for (let a = 0; a < m; a++) z[a] = Z[a * m + best]!;
  return A[best * m + best]!;
}
