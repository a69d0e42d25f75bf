/**
 * Problems whose loss is a quadratic form w'Qw + 2b'w + c over {-1,+1}^n (BQPs, binary least
 * squares, the squared-loss perceptron). Flips are cheap: with the field g = Qw + b, flipping w_i
 * changes the loss by -4 w_i g_i + 4 Q_ii (O(1)), and updates g in O(n).
 */
import type { FlipState, Problem, QuadraticForm } from '../src/core/problem.js';
import type { Signs } from '../src/core/signs.js';

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
