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

/**
 * A binary linear classifier as data (teacher/perceptron problems), for solvers that model the
 * loss exactly (the MIP). With s_j = <x_j, w> and z_j = y_j * scale * s_j the loss is
 *   'hinge': mean_j max(0, 1 - z_j)
 *   '01':    mean_j [prediction_j != y_j], prediction_j = +1 where s_j >= 0, else -1
 * and any other name is a loss the consumer does not model.
 */
export interface LinearClassifierData {
  readonly m: number;
  readonly n: number;
  /** row-major m x n training inputs */
  readonly X: Float64Array;
  /** training labels, ±1 */
  readonly y: Float64Array;
  readonly scale: number;
  readonly loss: string;
}

/**
 * A network of sign units with binarised inputs as data (mlp problems), for solvers that model
 * it exactly (the MIP). The binary variables are the weights, layer by layer, each out x in
 * row-major. Neuron j's pre-activation on row r is z_rj = <w_j, a_r>; its threshold is
 * 'train-mean': mu_j = the mean of z_rj over the training rows (batch norm folded). A hidden
 * neuron outputs +1 where z_rj >= mu_j, else -1. The prediction (what score().trainError
 * counts) is, with output 'sign' (one output unit, two classes), class 1 where z_r >= mu, else
 * class 0; with 'argmax-normalised', argmax_k (z_rk - mu_k) / sigma_k (sigma_k the training
 * standard deviation; lowest index on ties). The loss itself (cross-entropy) is not described.
 */
export interface SignNetworkData {
  /** layer sizes, inputs first */
  readonly arch: readonly number[];
  readonly rows: number;
  /** training inputs as ±1, row-major rows x arch[0] */
  readonly inputs: Int8Array;
  /** class labels 0..classes-1 */
  readonly labels: Int32Array;
  readonly thresholds: 'train-mean';
  readonly output: 'sign' | 'argmax-normalised';
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
  /** The problem as a binary linear classifier (teacher): data and loss, for exact models. */
  readonly linearClassifier?: LinearClassifierData;
  /** The problem as a network of sign units (mlp): data and architecture, for exact models. */
  readonly signNetwork?: SignNetworkData;
  /** A known global optimum value, when the construction guarantees one (noiseless teacher). */
  readonly knownOptimum?: number;
  /**
   * Classifiers with a probabilistic output (snn): the class probabilities of the binary network
   * w on the training or test rows (rows x classes, row-major), for ensembles of sampled networks
   * and calibration (ECE). `labels` gives those rows' classes.
   */
  classProbabilities?(w: Signs, split: 'train' | 'test'): Float64Array;
  labelsOf?(split: 'train' | 'test'): Int32Array;
  /**
   * Binary networks with sign activations and ±1 inputs (mlp): what an integer-only trainer
   * (solvers/int) needs to run the network itself, with no floating point.
   */
  readonly binaryNetwork?: BinaryNetworkData;
}

/** The layers and training rows of a binary MLP, for solvers that run the network themselves. */
export interface BinaryNetworkData {
  /** per layer: fan-in, fan-out and the index of its first weight (out x in, row-major) */
  readonly layers: readonly { readonly inputs: number; readonly outputs: number; readonly offset: number }[];
  readonly classes: number;
  /** training inputs as ±1, row-major trainSize x layers[0].inputs */
  readonly trainInputs: Int8Array;
  readonly trainLabels: Int32Array;
}
