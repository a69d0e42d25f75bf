/**
 * Binary concrete / Gumbel-softmax relaxation at temperature tau: the same logistic noise as the
 * binary units, but the state is x = tanh((a - Z) / (2 tau)) in (-1, 1), differentiated exactly.
 * tau -> 0 recovers x = sign(a - Z) with a derivative that vanishes almost everywhere; in floating
 * point, |a - Z| / (2 tau) > ~19 already gives x = +-1 exactly and a zero derivative. With
 * lambda = a / 2 and delta = -Z / 2 this is BayesBiNN's w_r = tanh((lambda + delta) / tau).
 */
import { logit } from '../../src/core/stochastic-chain.js';
import type { GradientEstimator } from './estimator.js';
import { pathwiseEstimator } from './pathwise.js';

export const DEFAULT_CONCRETE_TEMPERATURE = 1;

export function concreteEstimator(tau = DEFAULT_CONCRETE_TEMPERATURE): GradientEstimator {
  if (!(tau > 0)) throw new RangeError(`concrete temperature must be positive, got ${tau}`);
  const half = 1 / (2 * tau);
  return pathwiseEstimator({
    name: `concrete:${tau}`,
    summary: `binary concrete (Gumbel-softmax) relaxation at temperature ${tau} (biased)`,
    rule: {
      kind: 'relaxed',
      noisy: true,
      apply(a, u, x, d) {
        for (let k = 0; k < a.length; k++) {
          const v = Math.tanh((a[k]! - logit(u[k]!)) * half);
          x[k] = v;
          d[k] = (1 - v * v) * half;
        }
      },
    },
  });
}
