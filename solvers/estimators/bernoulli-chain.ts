/**
 * Independent Bernoulli weights of a binary problem as a one-layer chain: the pre-activations are
 * the logits eta themselves (theta = sigmoid(eta) = P(w = +1), mu = E[w] = tanh(eta/2)), and the
 * output loss is the problem's loss at the (binary or relaxed) weights. `eta` is held by
 * reference: a solver updates it in place between estimates.
 */
import type { FlipState, Problem, QuadraticForm } from '../../src/core/problem.js';
import type { StochasticChain } from '../../src/core/stochastic-chain.js';
import { genericFlipState } from '../../src/core/flip-state.js';
import { enumerateBernoulli } from './exact.js';

/** What a chain needs of a problem: its loss, and optionally gradient, quadratic form, flips. */
export type LossTarget = Pick<Problem, 'n' | 'loss' | 'lossAndGradient' | 'quadratic' | 'flipState'>;

/** Largest n for which the chain offers the exact (enumerated) gradient. */
export const BERNOULLI_EXACT_MAX_N = 22;

export function bernoulliChain(target: LossTarget, eta: Float64Array): StochasticChain {
  const n = target.n;
  const signs = new Int8Array(n);
  const flipStateAt = (w: Int8Array): FlipState => (target.flipState ? target.flipState(w) : genericFlipState(target as Problem, w));
  const chain: StochasticChain & { quadratic?: QuadraticForm } = {
    layers: [n],
    paramCount: n,
    blocks: [{ name: 'weights', offset: 0, size: n }],
    cases: 1,
    differentiable: target.lossAndGradient !== undefined,
    ...(target.quadratic ? { quadratic: target.quadratic } : {}),
    preActivation(_c, _l, _prev, a) {
      a.set(eta);
    },
    backPreActivation(_c, _l, _prev, dA, scale, grad) {
      for (let i = 0; i < n; i++) grad[i]! += scale * dA[i]!;
    },
    outputLoss(_c, x, dX) {
      if (dX) return target.lossAndGradient!(x, dX);
      for (let i = 0; i < n; i++) signs[i] = x[i]! >= 0 ? 1 : -1;
      return target.loss(signs);
    },
    ...(n <= BERNOULLI_EXACT_MAX_N ? { exactGradient: (grad: Float64Array) => enumerateBernoulli(eta, flipStateAt, grad) } : {}),
  };
  return chain;
}
