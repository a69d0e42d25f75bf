/**
 * The machinery shared by estimators that differentiate through the units: a forward pass where
 * each unit maps its pre-activation a (and a uniform u) to a state x, and a backward pass that
 * replaces dx/da by a surrogate derivative. Straight-through, binary concrete and the tanh
 * relaxation differ only in that unit rule.
 */
import { uniform32, type StochasticChain } from '../../src/core/stochastic-chain.js';
import type { EstimatorSession, GradientEstimator } from './estimator.js';
import { layerBuffers, samplingSession } from './estimator.js';
import { LayerMemo } from './layer-memo.js';

/**
 * How a unit maps its pre-activation a (and a uniform u) to a state x and a surrogate dx/da:
 * - 'sign': x = +1 iff u < p = sigmoid(a), the binary unit itself (straight-through forms);
 *   `slope` writes the surrogate from a and p;
 * - 'relaxed': `apply` writes a relaxed state in (-1, 1) and its exact derivative (concrete, tanh);
 *   `noisy` says whether it uses u (false: deterministic, one pass is the estimate).
 */
export type UnitRule =
  | { kind: 'sign'; slope(a: Float64Array, p: Float64Array, d: Float64Array): void }
  | { kind: 'relaxed'; noisy: boolean; apply(a: Float64Array, u: Float64Array, x: Float64Array, d: Float64Array): void };

export function needsDifferentiable(chain: StochasticChain, name: string): true | string {
  return chain.differentiable ? true : `estimator '${name}' needs the loss gradient at relaxed weights, which this problem does not have (use reinforce or arm)`;
}

export function pathwiseEstimator(spec: { name: string; summary: string; rule: UnitRule }): GradientEstimator {
  const { name, rule } = spec;
  return {
    name,
    summary: spec.summary,
    stochastic: rule.kind === 'sign' || rule.noisy,
    unbiased: false,
    supports: (chain) => needsDifferentiable(chain, name),
    start: (chain) => pathwiseSession(chain, rule),
  };
}

function pathwiseSession(chain: StochasticChain, rule: UnitRule): EstimatorSession {
  const L = chain.layers.length;
  const memo = new LayerMemo(chain);
  const a = layerBuffers(chain);
  const p = layerBuffers(chain);
  const x = layerBuffers(chain);
  const d = layerBuffers(chain);
  const u = layerBuffers(chain);
  const dX = layerBuffers(chain);
  const dA = layerBuffers(chain);
  for (const ul of u) ul.fill(0.5);
  const noisy = rule.kind === 'sign' || rule.noisy;
  return samplingSession(
    chain,
    memo,
    (c, rng, grad, scale) => {
      for (let l = 0; l < L; l++) {
        const al = a[l]!;
        const ul = u[l]!;
        const xl = x[l]!;
        // binary states below: the memo has the layer; relaxed states: only the first layer (fixed input)
        if (l === 0 || rule.kind === 'sign') memo.fill(c, l, l > 0 ? x[l - 1]! : null, al, p[l]!);
        else chain.preActivation(c, l, x[l - 1]!, al);
        if (noisy) for (let k = 0; k < ul.length; k++) ul[k] = uniform32(rng);
        if (rule.kind === 'sign') {
          const pl = p[l]!;
          for (let k = 0; k < xl.length; k++) xl[k] = ul[k]! < pl[k]! ? 1 : -1;
          rule.slope(al, pl, d[l]!);
        } else rule.apply(al, ul, xl, d[l]!);
      }
      const loss = chain.outputLoss(c, x[L - 1]!, dX[L - 1]!, grad, scale);
      for (let l = L - 1; l >= 0; l--) {
        const dXl = dX[l]!;
        const dl = d[l]!;
        const dAl = dA[l]!;
        for (let k = 0; k < dAl.length; k++) dAl[k] = dXl[k]! * dl[k]!;
        chain.backPreActivation(c, l, l > 0 ? x[l - 1]! : null, dAl, scale, grad, l > 0 ? dX[l - 1]! : null);
      }
      return loss;
    },
    !noisy,
  );
}
