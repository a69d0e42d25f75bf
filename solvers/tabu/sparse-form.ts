/**
 * The off-diagonal couplings of a ±1 quadratic form w'Qw + 2b'w + c as sparse rows, and the
 * lattice its flip deltas live on when they are all integer multiples of one unit (MaxCut graphs
 * with integer weights, integer BQPs): what the tabu searches need to update deltas in O(degree)
 * and to keep them as integers.
 */
import type { QuadraticForm } from '../../src/core/problem.js';

export interface SparseRows {
  ptr: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

export function sparseRows(form: QuadraticForm): SparseRows {
  const { n, Q } = form;
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    let count = 0;
    for (let j = 0; j < n; j++) if (j !== i && Q[i * n + j] !== 0) count++;
    ptr[i + 1] = ptr[i]! + count;
  }
  const col = new Int32Array(ptr[n]!);
  const val = new Float64Array(ptr[n]!);
  for (let i = 0, p = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (j !== i && Q[i * n + j] !== 0) {
        col[p] = j;
        val[p++] = Q[i * n + j]!;
      }
    }
  }
  return { ptr, col, val };
}

/** Largest lattice range used (deltas in [-range, range] units); past it the deltas stay real. */
export const MAX_LATTICE_RANGE = 1 << 16;

export interface DeltaLattice {
  /** every flip delta is an integer multiple of this */
  unit: number;
  /** an upper bound on |delta| / unit, plus one */
  range: number;
}

/**
 * The unit u when every delta is an integer multiple of it: deltas are -4 w_i (b_i + sum_j Q_ij
 * w_j) over j != i, so 4 Q_ij (i != j) and 4 b_i multiples of u suffice; the range is the largest
 * |delta| / u. Undefined when no u = 2^-p (p <= 10) works or the range is too large.
 */
export function deltaLattice(form: QuadraticForm, rows: SparseRows): DeltaLattice | undefined {
  const { n, b } = form;
  for (let p = 0; p <= 10; p++) {
    const scale = 4 * 2 ** p;
    let ok = true;
    let range = 0;
    for (let i = 0; i < n && ok; i++) {
      let r = Math.abs(b[i]! * scale);
      if (!Number.isInteger(r)) ok = false;
      for (let q = rows.ptr[i]!; q < rows.ptr[i + 1]! && ok; q++) {
        const v = Math.abs(rows.val[q]! * scale);
        if (!Number.isInteger(v)) ok = false;
        r += v;
      }
      range = Math.max(range, r);
    }
    if (ok) return range <= MAX_LATTICE_RANGE ? { unit: 2 ** -p, range: range + 1 } : undefined;
  }
  return undefined;
}
