/**
 * The quadratic form x'Cx of a SymCsr over x in {-1,+1}^n, and its FlipState: single flips in
 * O(row length) through the off-diagonal field h_i = sum_{j != i} C_ij x_j. With sign -1 it is the
 * loss of the MaxCut form (minus the cut value for C = L/4), which is what 1-flip local search
 * minimises after hyperplane rounding.
 */
import type { FlipState } from '../core/problem.js';
import type { SymCsr } from '../core/sym-csr.js';
import type { Signs } from '../core/signs.js';

/** x'Cx */
export function quadraticValue(C: SymCsr, x: ArrayLike<number>): number {
  const { n, diag, rowPtr, col, val } = C;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) h += val[p]! * x[col[p]!]!;
    total += diag[i]! + x[i]! * h;
  }
  return total;
}

/** loss(x) = sign * x'Cx, flipped one entry at a time. */
export function symCsrFlipState(C: SymCsr, start: Signs, sign: 1 | -1): FlipState {
  const { n, rowPtr, col, val } = C;
  const w = Int8Array.from(start);
  const h = new Float64Array(n);
  let value = 0;
  const resync = () => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) s += val[p]! * w[col[p]!]!;
      h[i] = s;
    }
    value = sign * quadraticValue(C, w);
  };
  resync();
  return {
    w,
    get value() {
      return value;
    },
    // flipping x_i changes x'Cx by -4 x_i h_i (the diagonal term x_i^2 C_ii does not move)
    delta: (i) => -4 * sign * w[i]! * h[i]!,
    flip(i) {
      const xi = w[i]!;
      value += -4 * sign * xi * h[i]!;
      for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) h[col[p]!]! -= 2 * xi * val[p]!;
      w[i] = -xi;
    },
    resync,
  };
}
