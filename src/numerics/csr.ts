/** Builders and products for symmetric sparse matrices (the SymCsr layout of src/core/sym-csr.ts). */
import type { SymCsr } from '../core/sym-csr.js';

/**
 * Builds a symmetric matrix from upper- or lower-triangle triplets (0-based); an off-diagonal
 * triplet (i, j, v) sets both A_ij and A_ji. Repeated positions are summed: callers that must
 * refuse duplicates check before calling. Explicit zeros are dropped.
 */
export function symCsrFromTriplets(n: number, rows: ArrayLike<number>, cols: ArrayLike<number>, vals: ArrayLike<number>): SymCsr {
  const diag = new Float64Array(n);
  const count = new Int32Array(n + 1);
  for (let t = 0; t < rows.length; t++) {
    const i = rows[t]!;
    const j = cols[t]!;
    if (i === j) continue;
    count[i + 1]!++;
    count[j + 1]!++;
  }
  for (let i = 0; i < n; i++) count[i + 1]! += count[i]!;
  const fill = count.slice(0, n);
  const colTmp = new Int32Array(count[n]!);
  const valTmp = new Float64Array(count[n]!);
  for (let t = 0; t < rows.length; t++) {
    const i = rows[t]!;
    const j = cols[t]!;
    const v = vals[t]!;
    if (i === j) {
      diag[i]! += v;
      continue;
    }
    colTmp[fill[i]!] = j;
    valTmp[fill[i]!++] = v;
    colTmp[fill[j]!] = i;
    valTmp[fill[j]!++] = v;
  }
  // sort each row by column and merge repeats, dropping zeros
  const rowPtr = new Int32Array(n + 1);
  const col: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    const lo = count[i]!;
    const hi = count[i + 1]!;
    const order = Array.from({ length: hi - lo }, (_, k) => lo + k).sort((a, b) => colTmp[a]! - colTmp[b]!);
    let k = 0;
    while (k < order.length) {
      const j = colTmp[order[k]!]!;
      let v = 0;
      while (k < order.length && colTmp[order[k]!] === j) v += valTmp[order[k++]!]!;
      if (v !== 0) {
        col.push(j);
        val.push(v);
      }
    }
    rowPtr[i + 1] = col.length;
  }
  return { n, diag, rowPtr, col: Int32Array.from(col), val: Float64Array.from(val) };
}

/** A dense symmetric row-major n x n matrix as a SymCsr (entries below 0 magnitude dropped). */
export function symCsrFromDense(n: number, A: ArrayLike<number>): SymCsr {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const v = A[i * n + j]!;
      if (v !== 0) {
        rows.push(i);
        cols.push(j);
        vals.push(v);
      }
    }
  }
  return symCsrFromTriplets(n, rows, cols, vals);
}

/** The dense row-major copy (for small cases, verification and tests). */
export function symCsrToDense(A: SymCsr): Float64Array {
  const { n, diag, rowPtr, col, val } = A;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = diag[i]!;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) out[i * n + col[p]!] = val[p]!;
  }
  return out;
}

/** out = A x */
export function symCsrMatVec(A: SymCsr, x: Float64Array, out: Float64Array): void {
  const { n, diag, rowPtr, col, val } = A;
  for (let i = 0; i < n; i++) {
    let s = diag[i]! * x[i]!;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) s += val[p]! * x[col[p]!]!;
    out[i] = s;
  }
}

/** -A with the same pattern. */
export function symCsrNegate(A: SymCsr): SymCsr {
  return { n: A.n, diag: A.diag.map((v) => -v), rowPtr: A.rowPtr, col: A.col, val: A.val.map((v) => -v) };
}
