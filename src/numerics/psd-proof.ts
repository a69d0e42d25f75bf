/**
 * Proofs that A + shift I is positive definite for a symmetric sparse A (SymCsr), by a floating-
 * point Cholesky factorisation (sparse with a fill-reducing ordering, or dense where fill makes
 * sparse pointless) run on A + (shift - c) I, where c is an a-priori bound on what rounding errors
 * can hide. It is the tool for dual bounds of the diagonally constrained SDP (DESIGN.md section
 * 3): S = Diag(y) - C with S + sigma I proven psd makes y + sigma 1 dual feasible.
 *
 * THE ARGUMENT (u = 2^-53 the unit roundoff, gamma_m = m u / (1 - m u)).
 *
 * 1. Entry error of the computed factor. Let Â be the matrix actually factored: A's off-diagonal
 *    entries exactly, diagonal â_j = fl(a_jj + t), t = fl(shift - c). sparse-cholesky.ts computes
 *    l_ij = fl(fl(a_ij - sum_k l_ik l_jk) * fl(1 / l_jj)) and l_jj = fl(sqrt(fl(a_jj - sum_k l_jk^2))),
 *    the sums over m <= min(r_i, r_j) - 1 products (r_j = rowCount[j], the nonzeros of row j of L,
 *    which the symbolic phase knows exactly), in SOME summation order (panels, one partial sum per
 *    descendant supernode). In any binary summation tree with m + 1 leaves every leaf passes
 *    through at most m additions, so with the standard model fl(x op y) = (x op y)(1 + d), |d| <= u:
 *      ŝ = a_ij (1 + θ0) - sum_k l_ik l_jk (1 + θk),   (1 + θ0) a product of <= m factors (1+d)^±1,
 *                                                        (1 + θk) of <= m + 1.
 *    The reciprocal and the product add two factors: l_ij l_jj = ŝ (1 + d1)(1 + d2). Dividing by
 *    (1 + θ0)(1 + d1)(1 + d2) and using |θ_m| <= gamma_m for a product of m factors (1+d)^±1
 *    (Higham, Accuracy and Stability, Lemma 3.1):
 *      |a_ij - (L L')_ij| <= gamma_{2m+2} sum_k |l_ik| |l_jk|     (k running to j, l_jj included),
 *    and the same for i = j (the square root gives (1 + d)^2 on l_jj^2). Sequential summation would
 *    give gamma_{m+1} (Higham Theorem 10.3, Demmel 1989); the doubled index is what arbitrary
 *    summation order costs. So |ΔA| <= G^(1/2) |L| |L|' G^(1/2) entrywise, ΔA = L L' - Â, with
 *    g_j = gamma_{2 r_j + 2} >= gamma_{2 min(r_i, r_j)} and sqrt(g_i g_j) >= min(g_i, g_j).
 * 2. From entries to eigenvalues. For symmetric E and a nonnegative symmetric N with |E| <= N,
 *    ||E||_2 <= rho(|E|) <= rho(N) (Perron-Frobenius), and rho(M M') = ||M||_2^2 <= ||M||_F^2. With
 *    M = G^(1/2) |L|:  ||ΔA||_2 <= sum_j g_j (L L')_jj <= sum_j g_j / (1 - g_j) â_j =: beta,
 *    since (L L')_jj <= â_j + g_j (L L')_jj. This is Rump's (2006, BIT 46) trace argument with a
 *    weight per row: a row of L with few nonzeros costs few roundings. Dense: r_j = j + 1.
 * 3. The conclusion. L L' = Â + ΔA is psd, so lambda_min(Â) >= -beta. A + shift I differs from Â
 *    by (shift - t) I on the diagonal plus the rounding of each â_j: |a_jj + t - â_j| <= 2u |â_j|,
 *    and shift - t >= c - 2u |t|. So
 *      lambda_min(A + shift I) >= c - 2u |t| - 2u max_j â_j - beta - tau,
 *    where tau bounds underflow: products and quotients may round to subnormals with an absolute
 *    error <= 2^-1075 each (additions are exact there); we take tau = 1e-300 (2 nnz(L) + n)
 *    (2 r_max + 4)(2 + sqrt(max â)), many orders of magnitude above the worst case. Overflow and NaN
 *    cannot slip through: an infinite or NaN entry of row i of L reaches pivot i through l_ik^2,
 *    and every pivot is tested 0 < p < Infinity.
 * 4. Directed rounding is unavailable in JavaScript, so the right-hand side is evaluated in
 *    round-to-nearest and multiplied by (1 + 4 (n + 8) u), which exceeds the relative error of a
 *    sum of n positive terms each carrying at most six roundings. `proven` is true only when the
 *    factorisation ran to completion AND c exceeds that inflated right-hand side; c is chosen
 *    a priori as twice its estimate (with max(0, a_jj + shift) for â_j), so the a-posteriori test
 *    passes whenever the factorisation does.
 *
 * What `proven: true` guarantees: the real symmetric matrix with the given float entries (the
 * SymCsr, checked symmetric, finite, without duplicates) plus shift times the identity is positive
 * definite; hence lambda_min(A) > -shift. With diagonalRounded, the same holds for every real
 * diagonal within u |A_jj| of the given one (the caller's own rounding when it formed
 * y_j - C_jj); the term 2u max |A_jj| joins the right-hand side of 3. `proven: false` says
 * nothing either way.
 */
import type { SymCsr } from '../core/sym-csr.js';
import { UserError } from '../core/errors.js';
import { analyse, denseSymbolic, factorise, patternOf, type SymbolicFactor } from './sparse-cholesky.js';

const U = 2 ** -53;

export type PsdMethod = 'sparse-cholesky' | 'dense-cholesky';

export interface PsdProofOptions {
  /** 'auto' (default): sparse unless its flop count is a large fraction of the dense one */
  method?: 'auto' | 'sparse' | 'dense';
  /** refuse (proven false, with a reason) when the factorisation would allocate more (default 2 GiB) */
  maxBytes?: number;
  /** a symbolic factor from analysePsd for the same pattern (reused across shifts and diagonals) */
  symbolic?: SymbolicFactor;
  /**
   * The diagonal entries are each one rounded operation away from the intended real values
   * (e.g. A_jj = fl(y_j - C_jj)): the proof then covers every real diagonal within u |A_jj| of
   * the given one, at the cost of 2u max |A_jj| more rounding shift.
   */
  diagonalRounded?: boolean;
}

export interface PsdProof {
  /** true only if A + shift I is proven positive definite (see the file comment) */
  proven: boolean;
  method: PsdMethod;
  /** why not proven: the failing pivot, the memory cap, or the a-posteriori test */
  reason?: string;
  shift: number;
  /** c: the part of the shift reserved for rounding errors (the factorisation ran with shift - c) */
  roundingShift: number;
  n: number;
  /** off-diagonal nonzeros of A (both triangles) */
  nnzA: number;
  /** nonzeros of the factor, diagonal included */
  nnzL: number;
  /** nnzL / nnz(lower triangle of A, diagonal included) */
  fill: number;
  /** the largest row count of L: the longest inner product */
  maxRowCount: number;
  /** multiply-adds of the factorisation */
  flops: number;
  /** bytes the factorisation allocates at most (known before it allocates) */
  bytes: number;
  /** original index of the pivot that failed, when it did */
  failedIndex?: number;
  analyseMs: number;
  factorMs: number;
  timeMs: number;
}

/** Ratio of sparse to dense multiply-adds above which 'auto' factors densely (dense runs faster per flop). */
const DENSE_FLOP_RATIO = 0.5;

/**
 * Checks that A is a valid symmetric matrix in the SymCsr layout: indices in range, no diagonal
 * or repeated entry among the off-diagonals, every value finite, and A_ij === A_ji exactly. The
 * proof reads only one triangle, so symmetry is what makes it a statement about A. O(nnz).
 */
export function checkSymmetric(A: SymCsr): void {
  const { n, diag, rowPtr, col, val } = A;
  if (rowPtr.length !== n + 1 || diag.length !== n || rowPtr[0] !== 0 || rowPtr[n] !== col.length || col.length !== val.length) {
    throw new UserError(`psd proof: malformed SymCsr (n ${n}, rowPtr ${rowPtr.length}, col ${col.length}, val ${val.length})`);
  }
  for (let i = 0; i < n; i++) if (!Number.isFinite(diag[i]!)) throw new UserError(`psd proof: diagonal entry ${i} is ${diag[i]}`);
  // transpose by counting, then compare row by row through a marker
  const count = new Int32Array(n + 1);
  for (let p = 0; p < col.length; p++) {
    const j = col[p]!;
    if (!(j >= 0 && j < n)) throw new UserError(`psd proof: column index ${j} out of range 0..${n - 1}`);
    count[j + 1]!++;
  }
  for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
  const tCol = new Int32Array(col.length);
  const tVal = new Float64Array(col.length);
  const fillPos = count.slice(0, n);
  for (let i = 0; i < n; i++) {
    if (rowPtr[i + 1]! < rowPtr[i]!) throw new UserError(`psd proof: rowPtr decreases at row ${i}`);
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
      const q = fillPos[col[p]!]!++;
      tCol[q] = i;
      tVal[q] = val[p]!;
    }
  }
  const mark = new Int32Array(n).fill(-1);
  const at = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (rowPtr[i + 1]! - rowPtr[i]! !== count[i + 1]! - count[i]!) throw new UserError(`psd proof: matrix is not symmetric (row ${i} and column ${i} differ in length)`);
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
      const j = col[p]!;
      const v = val[p]!;
      if (j === i) throw new UserError(`psd proof: diagonal entry ${i} stored among the off-diagonals`);
      if (mark[j] === i) throw new UserError(`psd proof: repeated entry (${i}, ${j})`);
      if (!Number.isFinite(v)) throw new UserError(`psd proof: entry (${i}, ${j}) is ${v}`);
      mark[j] = i;
      at[j] = v;
    }
    for (let q = count[i]!; q < count[i + 1]!; q++) {
      const j = tCol[q]!;
      if (mark[j] !== i || at[j] !== tVal[q]) throw new UserError(`psd proof: matrix is not symmetric at (${i}, ${j})`);
    }
  }
}

/** The symbolic factor provePsd would use for A's pattern (reuse it while the pattern stays). */
export function analysePsd(A: SymCsr, options: Pick<PsdProofOptions, 'method'> = {}): SymbolicFactor {
  const n = A.n;
  const g = patternOf(n, A.rowPtr, A.col);
  const method = options.method ?? 'auto';
  if (method === 'dense') return denseSymbolic(g);
  // nearly dense input: the ordering cannot help
  if (method === 'auto' && A.col.length > 0.25 * n * n) return denseSymbolic(g);
  const sym = analyse(g);
  if (method === 'auto' && sym.flops > DENSE_FLOP_RATIO * denseFlops(n)) return denseSymbolic(g);
  return sym;
}

function denseFlops(n: number): number {
  return (n * (n + 1) * (n + 2)) / 6;
}

/** gamma_m = m u / (1 - m u) */
function gamma(m: number): number {
  return (m * U) / (1 - m * U);
}

/**
 * Tries to prove A + shift I positive definite (see the file comment for the argument and the
 * guarantee). Throws a UserError for an invalid matrix; returns proven false, with a reason, when
 * the factorisation fails, when it would exceed maxBytes, or when the a-posteriori test fails.
 */
export function provePsd(A: SymCsr, shift: number, options: PsdProofOptions = {}): PsdProof {
  const start = performance.now();
  if (!Number.isFinite(shift)) throw new UserError(`psd proof: shift is ${shift}`);
  checkSymmetric(A);
  const n = A.n;
  let sym = options.symbolic;
  if (sym) {
    if (!samePattern(sym, A)) throw new Error('provePsd: the symbolic factor was analysed for another pattern');
  } else {
    sym = analysePsd(A, options.method ? { method: options.method } : {});
  }
  const analysed = performance.now();
  const method: PsdMethod = sym.dense ? 'dense-cholesky' : 'sparse-cholesky';
  const nnzA = A.col.length;
  const base = {
    method,
    shift,
    n,
    nnzA,
    nnzL: sym.nnzL,
    fill: sym.nnzL / (nnzA / 2 + n || 1),
    maxRowCount: sym.maxRowCount,
    flops: sym.flops,
    bytes: sym.bytes,
    analyseMs: analysed - start,
  };
  const finish = (proven: boolean, roundingShift: number, reason?: string, failedIndex?: number): PsdProof => {
    const end = performance.now();
    return {
      ...base,
      proven,
      roundingShift,
      ...(reason !== undefined ? { reason } : {}),
      ...(failedIndex !== undefined ? { failedIndex } : {}),
      factorMs: end - analysed,
      timeMs: end - start,
    };
  };
  if (n === 0) return finish(true, 0);
  const maxBytes = options.maxBytes ?? 2 ** 31;
  if (sym.bytes > maxBytes) {
    return finish(false, 0, `${method} needs ${mb(sym.bytes)} MB (nnz(L) ${sym.nnzL}), over the ${mb(maxBytes)} MB cap`);
  }
  if (2 * sym.maxRowCount + 2 > 1e12) return finish(false, 0, `row count ${sym.maxRowCount} too large for the error bound`);

  // per-row weights g_j / (1 - g_j), indexed by original row
  const weight = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const g = gamma(2 * sym.rowCount[k]! + 2);
    weight[sym.perm[k]!] = g / (1 - g);
  }
  const { diag } = A;
  // a-priori c, with max(0, a_jj + shift) standing for the diagonal actually factored
  let betaEst = 0;
  let maxEst = 0;
  let maxAbsDiag = 0;
  for (let j = 0; j < n; j++) {
    const e = Math.max(0, diag[j]! + shift);
    betaEst += weight[j]! * e;
    maxEst = Math.max(maxEst, e);
    maxAbsDiag = Math.max(maxAbsDiag, Math.abs(diag[j]!));
  }
  // the caller's own rounding of the diagonal, when it asks: |a_jj - A_jj| <= u |A_jj| <= u max |A_jj|
  const callerDiag = options.diagonalRounded ? 2 * U * maxAbsDiag : 0;
  if (maxEst > 2 ** 500) return finish(false, 0, `diagonal entries up to ${maxEst} are beyond the scale this proof handles (2^500)`);
  const tauOf = (maxDiag: number): number => 1e-300 * (2 * sym.nnzL + n) * (2 * sym.maxRowCount + 4) * (2 + Math.sqrt(maxDiag));
  const c = 2 * (betaEst + 2 * U * (Math.abs(shift) + maxEst) + tauOf(maxEst) + callerDiag) + Number.MIN_VALUE;
  const t = shift - c;
  const dHat = new Float64Array(n);
  for (let j = 0; j < n; j++) dHat[j] = diag[j]! + t;
  const result = factorise(sym, { rowPtr: A.rowPtr, col: A.col, val: A.val, diag: dHat });
  if (!result.ok) {
    return finish(false, c, `pivot ${result.failedIndex} not positive (${result.minPivot}) in the ${method} of A + (shift - c) I`, result.failedIndex);
  }
  // a-posteriori: c > beta + tau + 2u |t| + 2u max â, each evaluated from the actual â, inflated
  let beta = 0;
  let maxHat = 0;
  for (let j = 0; j < n; j++) {
    beta += weight[j]! * dHat[j]!;
    maxHat = Math.max(maxHat, dHat[j]!);
  }
  const needed = (beta + tauOf(maxHat) + 2 * U * Math.abs(t) + 2 * U * maxHat + callerDiag) * (1 + 4 * (n + 8) * U);
  if (!(c > needed)) return finish(false, c, `rounding bound ${needed} exceeds the reserved ${c}`);
  return finish(true, c);
}

function samePattern(sym: SymbolicFactor, A: SymCsr): boolean {
  if (sym.n !== A.n || sym.pattern.adj.length !== A.col.length) return false;
  const { perm, pinv, pattern } = sym;
  // sym.pattern is the permuted pattern: row k lists pinv of original row perm[k]'s columns in order
  for (let k = 0; k < A.n; k++) {
    const r = perm[k]!;
    const lo = A.rowPtr[r]!;
    const len = A.rowPtr[r + 1]! - lo;
    if (pattern.ptr[k + 1]! - pattern.ptr[k]! !== len) return false;
    for (let q = 0; q < len; q++) if (pattern.adj[pattern.ptr[k]! + q] !== pinv[A.col[lo + q]!]) return false;
  }
  return true;
}

function mb(bytes: number): string {
  return (bytes / 2 ** 20).toFixed(1);
}
