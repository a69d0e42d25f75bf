/**
 * A chain of layers of stochastic binary units, the structure every gradient estimator works on.
 *
 * Unit u of layer l has a pre-activation a (a differentiable function of the parameters and of the
 * previous layer's state) and takes the value x = sign(a - Z) with logistic noise Z, so
 *   P(x = +1) = sigmoid(a),   E[x] = 2 sigmoid(a) - 1 = tanh(a / 2),
 * and the noise density p(a) = sigmoid(a) sigmoid(-a) gives dE[x]/da = 2 p(a) = (1 - tanh(a/2)^2) / 2.
 * The objective is the mean over `cases` (data points) of E[L_c(x_last)], and estimators return its
 * gradient with respect to the parameters.
 *
 * Two chains exist: Bernoulli weights of a binary problem (one layer, a = the logits, no input),
 * and the stochastic binary network of the estimator study (several layers, 200 data points).
 */
import type { QuadraticForm } from './problem.js';

export interface ParamBlock {
  /** Name shown in reports, e.g. 'layer 1'. */
  name: string;
  offset: number;
  size: number;
}

export interface StochasticChain {
  /** Units per stochastic layer. */
  readonly layers: readonly number[];
  readonly paramCount: number;
  /** Parameter groups reported separately (the network's layers). */
  readonly blocks: readonly ParamBlock[];
  /** The objective is the mean over this many cases. */
  readonly cases: number;
  /** Pre-activations of layer l for case c; `prev` is layer l-1's state (null for l = 0). */
  preActivation(c: number, l: number, prev: Float64Array | null, a: Float64Array): void;
  /**
   * Back-propagates dL/da of layer l: adds scale * dL/dparams into `grad` and, when `dPrev` is
   * given, writes dL/d(prev) there (for estimators that differentiate through the states).
   */
  backPreActivation(c: number, l: number, prev: Float64Array | null, dA: Float64Array, scale: number, grad: Float64Array, dPrev: Float64Array | null): void;
  /**
   * The loss of case c at the last layer's state x (binary or relaxed in [-1,1]). When `dX` is
   * given, writes dL/dx there (null if the loss has no gradient: see `differentiable`); when `grad`
   * is given, adds scale * dL/d(own parameters), e.g. the network's deterministic output layer.
   */
  outputLoss(c: number, x: Float64Array, dX: Float64Array | null, grad: Float64Array | null, scale: number): number;
  /** Whether outputLoss can give dL/dx (needed by straight-through and relaxed estimators). */
  readonly differentiable: boolean;
  /**
   * True when preActivation(c, l, prev, a) for l >= 1 depends only on `prev` and the parameters,
   * not on the case c (the network: only the first layer sees the data point). Estimators then
   * memoise those layers per binary input state while the parameters are fixed.
   */
  readonly caseFreeDeepLayers?: boolean;
  /** Exact expected loss and its gradient (written into grad), where the chain can enumerate. */
  exactGradient?(grad: Float64Array): number;
  /** The loss as a quadratic form of the single layer's state, where it is one. */
  readonly quadratic?: QuadraticForm;
}

/**
 * log(u / (1 - u)): a logistic variate from a uniform in (0, 1). One logarithm: 1 - u is exact for
 * u >= 1/2 and the quotient is one rounding, so this is as accurate as log(u) - log1p(-u).
 */
export function logit(u: number): number {
  return Math.log(u / (1 - u));
}

/**
 * A uniform in (0, 1) from one 32-bit draw: (k + 1/2) / 2^32. Enough resolution for Bernoulli and
 * logistic draws (|logit| <= 22.9) at half the cost of a 53-bit float, in the estimators' hot loops.
 */
export function uniform32(rng: { nextU32(): number }): number {
  return (rng.nextU32() + 0.5) * 2.3283064365386963e-10;
}
