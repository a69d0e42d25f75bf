/**
 * Straight-through estimators: the forward pass samples x = sign(a - Z) (x = +1 when u < sigmoid(a)),
 * the backward pass pretends dx/da is
 *   identity   1
 *   clipped    1 for |a| <= 1, else 0 (the usual clipped identity)
 *   density    2 p(a) = 2 sigmoid(a) sigmoid(-a), the derivative of E[x] = tanh(a/2) with respect
 *              to a: the correctly scaled straight-through of Shekhovtsov & Yanush (and the "ST"
 *              of the PSA authors' code, which back-propagates sigmoid'(a) through x01 = (x + 1)/2).
 * For Bernoulli weights (a = the logits eta) the density form is the gradient with respect to the
 * mean mu = E[w] mapped back to the logits (dmu/deta = 2 p(eta)), and the identity form is that
 * mean-coordinate gradient used as if it were the logit gradient: the "latent weight" update.
 * All three are biased; the density form is exact for losses linear in x.
 *
 * "1" depends on how the units are coded: for units coded {0,1} (EstimatorOptions.units = '01')
 * dx01/da = 1 means dx/da = 2 for the +-1 state, so identity and clipped are doubled there.
 * The density form is the same function in both codings.
 */
import type { EstimatorOptions, GradientEstimator } from './estimator.js';
import { pathwiseEstimator } from './pathwise.js';

const unitsNote = (units: EstimatorOptions['units']) => (units === '01' ? ', units {0,1}' : '');

export function stIdentityEstimator(units: EstimatorOptions['units'] = 'pm1'): GradientEstimator {
  const slope = units === '01' ? 2 : 1;
  return pathwiseEstimator({
    name: 'st-identity',
    summary: `straight-through, identity backward${unitsNote(units)} (biased)`,
    rule: {
      kind: 'sign',
      slope(_a, _p, d) {
        d.fill(slope);
      },
    },
  });
}

export function stClippedEstimator(units: EstimatorOptions['units'] = 'pm1'): GradientEstimator {
  const slope = units === '01' ? 2 : 1;
  return pathwiseEstimator({
    name: 'st-clipped',
    summary: `straight-through, identity clipped to |a| <= 1${unitsNote(units)} (biased)`,
    rule: {
      kind: 'sign',
      slope(a, _p, d) {
        for (let k = 0; k < a.length; k++) d[k] = Math.abs(a[k]!) <= 1 ? slope : 0;
      },
    },
  });
}

export const stDensityEstimator = pathwiseEstimator({
  name: 'st-density',
  summary: 'straight-through scaled by the noise density 2p(a) (biased, exact for linear losses)',
  rule: {
    kind: 'sign',
    slope(_a, p, d) {
      for (let k = 0; k < p.length; k++) d[k] = 2 * p[k]! * (1 - p[k]!);
    },
  },
});
