/**
 * A branch-and-bound node as a smaller BQP of the same kind. With w_D = s fixed and w_F free,
 *   w'Qw + 2b'w + c = w_F' Q_FF w_F + 2 (b_F + Q_FD s)' w_F + (s' Q_DD s + 2 b_D' s + c),
 * so a node is the quadratic form (Q_FF, b_F + Q_FD s, const) over the free variables, and its
 * homogenised diag-SDP (bm/solver.ts) gives a lower bound for every completion of the node.
 */
import type { QuadraticForm } from '../../src/core/problem.js';

export interface ReducedForm extends QuadraticForm {
  /** free[k] is the original index of the reduced form's variable k */
  readonly free: Int32Array;
}

/** `fixed[i]` is 0 for a free variable, else its sign. */
export function reduceForm(form: QuadraticForm, fixed: Int8Array): ReducedForm {
  const { n, Q, b, c } = form;
  let m = 0;
  for (let i = 0; i < n; i++) if (fixed[i] === 0) m++;
  const free = new Int32Array(m);
  for (let i = 0, k = 0; i < n; i++) if (fixed[i] === 0) free[k++] = i;
  const Qr = new Float64Array(m * m);
  const br = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    const row = free[a]! * n;
    for (let bIdx = 0; bIdx < m; bIdx++) Qr[a * m + bIdx] = Q[row + free[bIdx]!]!;
    let s = b[free[a]!]!;
    for (let j = 0; j < n; j++) if (fixed[j] !== 0) s += Q[row + j]! * fixed[j]!;
    br[a] = s;
  }
  let cr = c;
  for (let i = 0; i < n; i++) {
    const si = fixed[i]!;
    if (si === 0) continue;
    let s = 2 * b[i]!;
    const row = i * n;
    for (let j = 0; j < n; j++) if (fixed[j] !== 0) s += Q[row + j]! * fixed[j]!;
    cr += si * s;
  }
  return { n: m, Q: Qr, b: br, c: cr, free };
}

/** The full vector: fixed signs where fixed, the reduced form's values elsewhere. */
export function expand(fixed: Int8Array, free: Int32Array, wFree: ArrayLike<number>): Int8Array {
  const w = Int8Array.from(fixed);
  for (let k = 0; k < free.length; k++) w[free[k]!] = wFree[k]! > 0 ? 1 : -1;
  return w;
}

/**
 * An upper bound on the floating-point error of any loss value, reduced constant or SDP entry
 * computed from the form: each is a sum of at most (n+1)^2 + 1 terms bounded by the entries'
 * absolute sum S, so the error is below ((n+1)^2 + 2) u S (u the unit roundoff), doubled for
 * the node's SDP matrix, whose entries carry the same kind of error into its value.
 */
export function roundingMargin(form: QuadraticForm): number {
  const { n, Q, b, c } = form;
  let S = Math.abs(c);
  for (let k = 0; k < Q.length; k++) S += Math.abs(Q[k]!);
  for (let i = 0; i < n; i++) S += 2 * Math.abs(b[i]!);
  return 2 * ((n + 1) ** 2 + 2) * 2 ** -53 * S;
}

/**
 * The spacing of the loss values: when every off-diagonal Q_ij and every b_i is an integer
 * multiple of u = 2^-p, any two losses differ by a multiple of 4u (a product w_i w_j changes by
 * 0 or ±2 and appears twice, a w_i by 0 or ±2 with the factor 2). A node whose bound is above
 * incumbent - 4u then holds nothing better than the incumbent. 0 when no such u (p <= 10) exists.
 */
export function lossSpacing(form: QuadraticForm): number {
  const { n, Q, b } = form;
  for (let p = 0; p <= 10; p++) {
    const scale = 2 ** p;
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      if (!Number.isInteger(b[i]! * scale)) ok = false;
      for (let j = i + 1; j < n && ok; j++) if (!Number.isInteger(Q[i * n + j]! * scale) || Math.abs(Q[i * n + j]! * scale) > 2 ** 40) ok = false;
    }
    if (ok) return 4 / scale;
  }
  return 0;
}
