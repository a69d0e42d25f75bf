/**
 * The transformations between what a user asks and what the Burer-Monteiro core solves
 * (max <C, X> s.t. diag(X) = 1, X psd), each with its inverse, as CVXPY's reductions carry
 * `apply` and `invert`: a result is mapped back through exactly the steps that built the
 * instance, in reverse, and each step says how a value, a bound and a sign vector come back.
 */
import type { QuadraticForm } from '../../src/core/problem.js';
import type { Sense } from '../../src/core/diag-sdp.js';
import type { SymCsr } from '../../src/core/sym-csr.js';
import { symCsrFromDense, symCsrNegate } from '../../src/numerics/csr.js';

const UNIT_ROUNDOFF = 2 ** -53;

/**
 * Sense flip: min <C, X> = -max <-C, X>. The core always maximises; `invert` turns an objective,
 * bound or rounded value of the maximisation back into the instance's own sense (a proven upper
 * bound of the max form becomes a proven lower bound of the min form: negation is exact).
 */
export interface MaximisationForm {
  readonly C: SymCsr;
  readonly sense: Sense;
  invert(value: number): number;
}

export function maximisationForm(C: SymCsr, sense: Sense): MaximisationForm {
  const s = sense === 'max' ? 1 : -1;
  return { C: sense === 'max' ? C : symCsrNegate(C), sense, invert: (value) => s * value };
}

/**
 * Homogenisation of a BQP min w'Qw + 2b'w + c over w in {-1,+1}^n with one extra sign t:
 * x = [w t; t], w_i = x_i t, and w'Qw + 2b'w = x'Qh x with Qh = [[Q, b], [b', 0]] ((n+1) x (n+1)).
 * The inverse maps a sign vector x back to w = x_{1..n} x_{n+1} (x and -x give the same w), a value
 * v of x'Qh x to the loss v + c, and a proven lower bound to a proven lower bound on the loss
 * (less a few ulps for the rounding of the addition itself).
 */
export interface Homogenised {
  readonly C: SymCsr;
  /** the number of original variables; C has n + 1 rows */
  readonly n: number;
  invertSigns(x: Int8Array): Int8Array;
  invertValue(value: number): number;
  invertLowerBound(bound: number): number;
}

export function homogenise(form: QuadraticForm): Homogenised {
  const { n, Q, b, c } = form;
  const N = n + 1;
  const Qh = new Float64Array(N * N);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) Qh[i * N + j] = Q[i * n + j]!;
    Qh[i * N + n] = b[i]!;
    Qh[n * N + i] = b[i]!;
  }
  return {
    C: symCsrFromDense(N, Qh),
    n,
    invertSigns(x) {
      const t = x[n]!;
      const w = new Int8Array(n);
      for (let i = 0; i < n; i++) w[i] = (x[i]! * t) as 1 | -1;
      return w;
    },
    invertValue: (value) => value + c,
    invertLowerBound: (bound) => bound + c - 4 * UNIT_ROUNDOFF * (Math.abs(bound) + Math.abs(c)),
  };
}
