/**
 * Problems whose loss is a quadratic form w'Qw + 2b'w + c over {-1,+1}^n (BQPs, binary least
 * squares, the squared-loss perceptron). Flips are cheap: with the field g = Qw + b, flipping w_i
 * changes the loss by -4 w_i g_i + 4 Q_ii (O(1)), and updates g in O(n).
 */
import type { FlipState, Problem, QuadraticForm } from '../src/core/problem.js';
import type { Signs } from '../src/core/signs.js';
import type { QuboData } from '../src/formats/qubo.js';

export function quadraticLoss(form: QuadraticForm, w: ArrayLike<number>): number {
  const { n, Q, b, c } = form;
  let total = c;
  for (let i = 0; i < n; i++) {
    let row = 0;
    const base = i * n;
    for (let j = 0; j < n; j++) row += Q[base + j]! * w[j]!;
    total += w[i]! * (row + 2 * b[i]!);
  }
  return total;
}

/** Loss and gradient 2(Qx + b) at a real point. */
export function quadraticLossAndGradient(form: QuadraticForm, x: Float64Array, grad: Float64Array): number {
  const { n, Q, b, c } = form;
  let total = c;
  for (let i = 0; i < n; i++) {
    let row = 0;
    const base = i * n;
    for (let j = 0; j < n; j++) row += Q[base + j]! * x[j]!;
    grad[i] = 2 * (row + b[i]!);
    total += x[i]! * (row + 2 * b[i]!);
  }
  return total;
}

export function quadraticFlipState(form: QuadraticForm, start: Signs): FlipState {
  const { n, Q, b } = form;
  const w = Int8Array.from(start);
  const g = new Float64Array(n);
  let value = 0;
  const resync = () => {
    for (let i = 0; i < n; i++) {
      let row = b[i]!;
      const base = i * n;
      for (let j = 0; j < n; j++) row += Q[base + j]! * w[j]!;
      g[i] = row;
    }
    value = quadraticLoss(form, w);
  };
  resync();
  return {
    w,
    get value() {
      return value;
    },
    delta: (i) => 4 * (Q[i * n + i]! - w[i]! * g[i]!),
    flip(i) {
      const wi = w[i]!;
      value += 4 * (Q[i * n + i]! - wi * g[i]!);
      // Q is symmetric, so column i is row i: contiguous memory.
      const base = i * n;
      const s = -2 * wi;
      for (let j = 0; j < n; j++) g[j]! += s * Q[base + j]!;
      w[i] = -wi;
    },
    resync,
  };
}

/** A problem that is nothing but a quadratic form (bqp, lsq). */
export class QuadraticProblem implements Problem {
  readonly n: number;
  /** the objective in a source file's own convention, when it has one (set by the file readers) */
  objective?: (w: Signs) => number;
  constructor(
    readonly spec: string,
    readonly kind: string,
    readonly quadratic: QuadraticForm,
    readonly knownOptimum?: number,
  ) {
    this.n = quadratic.n;
  }

  loss(w: Signs): number {
    return quadraticLoss(this.quadratic, w);
  }

  lossAndGradient(x: Float64Array, grad: Float64Array): number {
    return quadraticLossAndGradient(this.quadratic, x, grad);
  }

  flipState(w: Signs): FlipState {
    return quadraticFlipState(this.quadratic, w);
  }
}

/** X'X (n x n) and X'y for a row-major m x n matrix X: the normal equations of least squares. */
export function gram(X: Float64Array, m: number, n: number, y?: Float64Array): { XtX: Float64Array; Xty: Float64Array } {
  const XtX = new Float64Array(n * n);
  const Xty = new Float64Array(n);
  for (let r = 0; r < m; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) {
      const xi = X[base + i]!;
      if (y) Xty[i]! += xi * y[r]!;
      for (let j = i; j < n; j++) XtX[i * n + j]! += xi * X[base + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) XtX[i * n + j] = XtX[j * n + i]!;
  return { XtX, Xty };
}

/**
 * The internal minimisation form w'Qw + 2b'w + c over w in {-1,+1}^n of a file's objective
 * (src/formats/qubo.ts), so that loss(w) = objective(v) for 'min' and -objective(v) for 'max'.
 * With A the quadratic part as given and S = (A + A')/2, 0/1 variables x = (1 + w)/2 give
 *   x'Ax = (1/4) w'Sw + (1/4) (r + r')'w + (1/4) sum(A),   r, r' the row and column sums of A,
 *   2 b'x = b'w + sum(b),
 * so Q = S/4, b_w = (r + r')/8 + b/2, c_w = sum(A)/4 + sum(b) + c. The factors are powers of two:
 * on integer data (below 2^50) every coefficient is exact and losses are exact multiples of 1/8.
 */
export function formFromQubo(data: QuboData): QuadraticForm {
  const { n, rows, cols, vals } = data;
  const Q = new Float64Array(n * n);
  const b = new Float64Array(n);
  const sign = data.sense === 'max' ? -1 : 1;
  let c = data.c;
  for (let k = 0; k < vals.length; k++) {
    const i = rows[k]!;
    const j = cols[k]!;
    const v = vals[k]!;
    // the symmetric part: v/2 on (i, j) and on (j, i)
    Q[i * n + j]! += v / 2;
    Q[j * n + i]! += v / 2;
    if (data.vars === '01') {
      b[i]! += v / 8;
      b[j]! += v / 8;
      c += v / 4;
    }
  }
  if (data.vars === '01') {
    for (let k = 0; k < Q.length; k++) Q[k] = Q[k]! / 4;
    for (let i = 0; i < n; i++) {
      b[i]! += data.b[i]! / 2;
      c += data.b[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) b[i] = data.b[i]!;
  }
  if (sign < 0) {
    for (let k = 0; k < Q.length; k++) Q[k] = -Q[k]!;
    for (let i = 0; i < n; i++) b[i] = -b[i]!;
    c = -c;
  }
  return { n, Q, b, c };
}

/** The ±1 vector w as the file's own variables: x = (1 + w)/2 for 0/1, w itself for ±1. */
export function fileVariables(data: QuboData, w: Signs): Float64Array {
  return Float64Array.from(w, (s) => (data.vars === '01' ? (1 + s) / 2 : s));
}
