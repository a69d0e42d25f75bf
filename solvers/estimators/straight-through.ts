/**
 * Straight-through estimators: the forward pass samples x = sign(a - Z) (x = +1 when u < sigmoid(a)),
 * the backward pass pretends dx/da is
 *   identity   1
 *   clipped    1 for |a| <= 1, else 0 (the usual clipped identity)
 *   density    2 p(a) = 2 sigmoid(a) sigmoid(-a), the derivative of E[x] = tanh(a/2) with respect
 *              to a: the correctly scaled straight-through of Shekhovtsov & Yanush.
 * All three are biased; the density form is exact for losses linear in x.
 */
import { sigmoid } from '../../src/numerics/logistic.js';
import { pathwiseEstimator } from './pathwise.js';

function sampleSigns(a: Float64Array, u: Float64Array, x: Float64Array, p: Float64Array): void {
  for (let k = 0; k < a.length; k++) {
    p[k] = sigmoid(a[k]!);
    x[k] = u[k]! < p[k]! ? 1 : -1;
  }
}

export const stIdentityEstimator = pathwiseEstimator({
  name: 'st-identity',
  summary: 'straight-through, identity backward (biased)',
  rule: {
    noisy: true,
    apply(a, u, x, d) {
      sampleSigns(a, u, x, d);
      d.fill(1);
    },
  },
});

export const stClippedEstimator = pathwiseEstimator({
  name: 'st-clipped',
  summary: 'straight-through, identity clipped to |a| <= 1 (biased)',
  rule: {
    noisy: true,
    apply(a, u, x, d) {
      sampleSigns(a, u, x, d);
      for (let k = 0; k < a.length; k++) d[k] = Math.abs(a[k]!) <= 1 ? 1 : 0;
    },
  },
});

export const stDensityEstimator = pathwiseEstimator({
  name: 'st-density',
  summary: 'straight-through scaled by the noise density 2p(a) (biased, exact for linear losses)',
  rule: {
    noisy: true,
    apply(a, u, x, d) {
      sampleSigns(a, u, x, d);
      for (let k = 0; k < a.length; k++) d[k] = 2 * d[k]! * (1 - d[k]!);
    },
  },
});
