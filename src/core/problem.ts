/**
 * What a solver may know about a problem. A problem is a loss over n binary variables w in
 * {-1,+1}^n plus optional structure that solvers exploit when present (Manopt's idea: the problem
 * states cost, gradient and structure; solvers are generic). Solvers never import a concrete
 * problem; problems never import a solver.
 */
import type { Signs } from './signs.js';

/** loss(w) = w'Qw + 2 b'w + c, Q symmetric (row-major, n*n). */
export interface QuadraticForm {
  readonly n: number;
  readonly Q: Float64Array;
  readonly b: Float64Array;
  readonly c: number;
}

/**
 * Incremental evaluation along single-variable flips: what Gray-code enumeration and 1-flip local
 * search need. `delta(i)` is the loss change that flipping w_i would make; `flip(i)` makes it.
 */
export interface FlipState {
  /** The current point (owned by the state; copy it to keep it). */
  readonly w: Signs;
  /** The loss at `w`. */
  readonly value: number;
  delta(i: number): number;
  flip(i: number): void;
  /** Recomputes `value` and any cached fields from scratch, clearing floating-point drift. */
  resync(): void;
}

/** Errors of a binary solution as a predictor, for problems that have data. */
export interface Scores {
  trainError?: number;
  testError?: number;
}

export interface Problem {
  /** Canonical spec string: parsing it again gives the same problem. */
  readonly spec: string;
  /** Problem family, e.g. 'bqp', 'lsq', 'teacher'. */
  readonly kind: string;
  /** Number of binary variables. */
  readonly n: number;
  /** The loss of a binary vector. */
  loss(w: Signs): number;
  /**
   * The loss extended to real weights x in [-1,1]^n (the same formula, evaluated off the
   * vertices) and its gradient, written into `grad`. Absent where the loss has no useful
   * gradient (the 0-1 error).
   */
  lossAndGradient?(x: Float64Array, grad: Float64Array): number;
  /**
   * Data-driven problems (classifiers) also expose their training set size and the loss and
   * gradient over a minibatch of training-sample indices, so solvers can train in epochs.
   * `lossAndGradient` is then the full-batch version.
   */
  readonly trainSize?: number;
  minibatchLossAndGradient?(x: Float64Array, grad: Float64Array, batch: Int32Array): number;
  /**
   * Sizes of consecutive groups of variables that belong together (the layers of a network, in
   * order, summing to n). Solvers that share randomness per group (vispa: one hyperplane per
   * layer) use it; absent means one group of n.
   */
  readonly weightGroups?: readonly number[];
  /**
   * The shape of each weight group when it is a layer's matrix (outputs x inputs, row-major):
   * what fan-in/fan-out initialisations (Xavier) read. Absent: unknown.
   */
  readonly weightShapes?: readonly { readonly outputs: number; readonly inputs: number }[];
  /** The loss as a quadratic form, where it is one. */
  readonly quadratic?: QuadraticForm;
  /** Fast single-flip updates; solvers fall back to `genericFlipState` without it. */
  flipState?(w: Signs): FlipState;
  /** Train/test errors of w as a predictor. */
  score?(w: Signs): Scores;
  /** A known global optimum value, when the construction guarantees one (noiseless teacher). */
  readonly knownOptimum?: number;
}
