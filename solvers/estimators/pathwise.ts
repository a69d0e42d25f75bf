/**
 * The machinery shared by estimators that differentiate through the units: a forward pass where
 * each unit maps its pre-activation a (and a uniform u) to a state x, and a backward pass that
 * replaces dx/da by a surrogate derivative. Straight-through, binary concrete and the tanh
 * relaxation differ only in that unit rule.
 */
import { uniform32, type StochasticChain } from '../../src/core/stochastic-chain.js';
import type { EstimatorSession, GradientEstimator } from './estimator.js';
import { layerBuffers } from './estimator.js';

export interface UnitRule {
  /** Whether the rule uses the noise (false: deterministic, one pass is the estimate). */
  noisy: boolean;
  /** Writes the state of each unit into x and the surrogate dx/da into d. */
  apply(a: Float64Array, u: Float64Array, x: Float64Array, d: Float64Array): void;
}

export function needsDifferentiable(chain: StochasticChain, name: string): true | string {
  return chain.differentiable ? true : `estimator '${name}' needs the loss gradient at relaxed weights, which this problem does not have (use reinforce or arm)`;
}

export function pathwiseEstimator(spec: { name: string; summary: string; rule: UnitRule }): GradientEstimator {
  const { name, rule } = spec;
  return {
    name,
    summary: spec.summary,
    stochastic: rule.noisy,
    unbiased: false,
    supports: (chain) => needsDifferentiable(chain, name),
    start: (chain) => pathwiseSession(chain, rule),
  };
}

function pathwiseSession(chain: StochasticChain, rule: UnitRule): EstimatorSession {
  const L = chain.layers.length;
  const a = layerBuffers(chain);
  const x = layerBuffers(chain);
  const d = layerBuffers(chain);
  const u = layerBuffers(chain);
  const dX = layerBuffers(chain);
  const dA = layerBuffers(chain);
  for (const ul of u) ul.fill(0.5);
  return {
    estimate(samples, rng, grad) {
      const S = rule.noisy ? samples : 1;
      const scale = 1 / (chain.cases * S);
      grad.fill(0);
      let total = 0;
      for (let c = 0; c < chain.cases; c++) {
        chain.preActivation(c, 0, null, a[0]!); // the first layer's input is the case's, fixed
        for (let s = 0; s < S; s++) {
          for (let l = 0; l < L; l++) {
            if (l > 0) chain.preActivation(c, l, x[l - 1]!, a[l]!);
            if (rule.noisy) {
              const ul = u[l]!;
              for (let k = 0; k < ul.length; k++) ul[k] = uniform32(rng);
            }
            rule.apply(a[l]!, u[l]!, x[l]!, d[l]!);
          }
          total += chain.outputLoss(c, x[L - 1]!, dX[L - 1]!, grad, scale);
          for (let l = L - 1; l >= 0; l--) {
            const dXl = dX[l]!;
            const dl = d[l]!;
            const dAl = dA[l]!;
            for (let k = 0; k < dAl.length; k++) dAl[k] = dXl[k]! * dl[k]!;
            chain.backPreActivation(c, l, l > 0 ? x[l - 1]! : null, dAl, scale, grad, l > 0 ? dX[l - 1]! : null);
          }
        }
      }
      return total * scale;
    },
  };
}
