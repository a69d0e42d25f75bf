/**
 * ARM, the augment-REINFORCE-merge estimator (Yin & Zhou 2019). For a unit with P(x = +1) =
 * sigmoid(a) and u ~ U(0,1):  dE[f]/da = E_u[(f(x^1) - f(x^2)) (u - 1/2)]  with the antithetic pair
 * x^1 = +1 iff u > sigmoid(-a), x^2 = +1 iff u < sigmoid(a). In a chain, layer l's f is the loss
 * after continuing the later layers from layer l's state; both continuations share the later
 * layers' noise (common random numbers), which keeps each layer's estimate unbiased. x^2 is the
 * ordinary sample, so each sample costs one pass plus one continuation per layer (skipped when the
 * pair agrees).
 *
 * 'fresh' (EstimatorOptions.arm) is the variant of the PSA authors' gradeval code: at each layer
 * both x^1 and x^2 are continued with newly drawn later-layer noise, independent of each other,
 * and the main path goes on from x^1. Still unbiased (each continuation is an unbiased estimate of
 * E[f | x^j], independent of u), but the two continuations no longer cancel where the pair agrees,
 * so its variance is higher; it is the ARM of the paper's plots. 'shared' is the default.
 */
import { uniform32 } from '../../src/core/stochastic-chain.js';
import type { EstimatorOptions, GradientEstimator } from './estimator.js';
import { layerBuffers, sampleForward, samplingSession } from './estimator.js';
import { LayerMemo } from './layer-memo.js';

export function armEstimator(mode: EstimatorOptions['arm'] = 'shared'): GradientEstimator {
  return mode === 'fresh' ? armFreshEstimator : armSharedEstimator;
}

const armSharedEstimator: GradientEstimator = {
  name: 'arm',
  summary: 'augment-REINFORCE-merge, antithetic pairs, shared downstream noise (unbiased)',
  stochastic: true,
  unbiased: true,
  supports: () => true,
  start(chain) {
    const L = chain.layers.length;
    const memo = new LayerMemo(chain);
    const x = layerBuffers(chain);
    const u = layerBuffers(chain);
    const prob = layerBuffers(chain);
    const alt = layerBuffers(chain);
    const altP = layerBuffers(chain);
    const dA = layerBuffers(chain);
    /** Loss after replacing layer l's state by `state` and continuing with the stored noise. */
    const continueFrom = (c: number, l: number, state: Float64Array): number => {
      let prev = state;
      for (let m = l + 1; m < L; m++) {
        const pm = altP[m]!;
        const xm = alt[m]!;
        const um = u[m]!;
        memo.fill(c, m, prev, null, pm);
        for (let k = 0; k < pm.length; k++) xm[k] = um[k]! < pm[k]! ? 1 : -1;
        prev = xm;
      }
      return chain.outputLoss(c, prev, null, null, 0);
    };
    return samplingSession(chain, memo, (c, rng, grad, scale) => {
      sampleForward(memo, c, rng, prob, x, u);
      const f2 = chain.outputLoss(c, x[L - 1]!, null, grad, scale);
      for (let l = 0; l < L; l++) {
        const pl = prob[l]!;
        const ul = u[l]!;
        const x1 = alt[l]!;
        let differs = false;
        for (let k = 0; k < pl.length; k++) {
          x1[k] = ul[k]! > 1 - pl[k]! ? 1 : -1; // u > sigmoid(-a)
          if (x1[k] !== x[l]![k]) differs = true;
        }
        if (!differs) continue;
        const f1 = continueFrom(c, l, x1);
        const dAl = dA[l]!;
        for (let k = 0; k < pl.length; k++) dAl[k] = (f1 - f2) * (ul[k]! - 0.5);
        chain.backPreActivation(c, l, l > 0 ? x[l - 1]! : null, dAl, scale, grad, null);
      }
      return f2;
    });
  },
};

const armFreshEstimator: GradientEstimator = {
  name: 'arm',
  summary: 'augment-REINFORCE-merge, antithetic pairs, fresh downstream noise per continuation (unbiased)',
  stochastic: true,
  unbiased: true,
  supports: () => true,
  start(chain) {
    const L = chain.layers.length;
    const memo = new LayerMemo(chain);
    const x = layerBuffers(chain);
    const prob = layerBuffers(chain);
    const x2 = layerBuffers(chain);
    const altP = layerBuffers(chain);
    const alt = layerBuffers(chain);
    const u = layerBuffers(chain);
    const dA = layerBuffers(chain);
    /** Loss after setting layer l to `state` and sampling the later layers with new noise. */
    const continueFresh = (c: number, l: number, state: Float64Array, rng: { nextU32(): number }): number => {
      let prev = state;
      for (let m = l + 1; m < L; m++) {
        const pm = altP[m]!;
        const xm = alt[m]!;
        memo.fill(c, m, prev, null, pm);
        for (let k = 0; k < pm.length; k++) xm[k] = uniform32(rng) < pm[k]! ? 1 : -1;
        prev = xm;
      }
      return chain.outputLoss(c, prev, null, null, 0);
    };
    return samplingSession(chain, memo, (c, rng, grad, scale) => {
      for (let l = 0; l < L; l++) {
        const pl = prob[l]!;
        const ul = u[l]!;
        const x1 = x[l]!;
        const x2l = x2[l]!;
        memo.fill(c, l, l > 0 ? x[l - 1]! : null, null, pl);
        let differs = false;
        for (let k = 0; k < pl.length; k++) {
          ul[k] = uniform32(rng);
          x1[k] = ul[k]! > 1 - pl[k]! ? 1 : -1; // u > sigmoid(-a)
          x2l[k] = ul[k]! < pl[k]! ? 1 : -1;
          if (x1[k] !== x2l[k]) differs = true;
        }
        // at the last layer the continuation is deterministic: equal states cancel exactly
        if (!differs && l === L - 1) continue;
        const f1 = continueFresh(c, l, x1, rng);
        const f2 = continueFresh(c, l, x2l, rng);
        const dAl = dA[l]!;
        for (let k = 0; k < pl.length; k++) dAl[k] = (f1 - f2) * (ul[k]! - 0.5);
        chain.backPreActivation(c, l, l > 0 ? x[l - 1]! : null, dAl, scale, grad, null);
      }
      return chain.outputLoss(c, x[L - 1]!, null, grad, scale);
    });
  },
};
