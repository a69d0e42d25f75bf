/**
 * The exact gradient, from a chain that can enumerate its states: Bernoulli weights by Gray-code
 * enumeration of all 2^n vectors (enumerateBernoulli below), the study's network by summing over all
 * hidden states layer by layer.
 */
import { softplus } from '../../src/numerics/logistic.js';
import type { FlipState } from '../../src/core/problem.js';
import { drawsByEstimate, type GradientEstimator } from './estimator.js';

export const exactEstimator: GradientEstimator = {
  name: 'exact',
  summary: 'exact gradient by enumerating every state (small chains only)',
  stochastic: false,
  unbiased: true,
  supports: (chain) => (chain.exactGradient ? true : 'the exact estimator needs a chain small enough to enumerate'),
  start: (chain) => drawsByEstimate({ estimate: (_samples, _rng, grad) => chain.exactGradient!(grad) }),
};

/**
 * E_{w ~ Bern(sigmoid(eta))}[L(w)] and its gradient in the logits, by enumerating all 2^n sign
 * vectors in Gray-code order (one flip per step). With p(w) = prod sigmoid(w_i eta_i),
 * d log p / d eta_i = (w_i - mu_i) / 2, so grad_i = (E[L w_i] - mu_i E[L]) / 2.
 */
export function enumerateBernoulli(eta: Float64Array, flipStateAt: (w: Int8Array) => FlipState, grad: Float64Array): number {
  const n = eta.length;
  const w = new Int8Array(n).fill(-1);
  const state = flipStateAt(w);
  const cur = Int8Array.from(w);
  const logProb = () => {
    let s = 0;
    for (let i = 0; i < n; i++) s += logSigmoid(cur[i]! * eta[i]!);
    return s;
  };
  let lp = logProb();
  let mean = 0;
  const weighted = new Float64Array(n);
  const total = 2 ** n;
  for (let k = 0; ; k++) {
    const pl = Math.exp(lp) * state.value;
    mean += pl;
    for (let i = 0; i < n; i++) weighted[i]! += pl * cur[i]!;
    if (k + 1 === total) break;
    const i = 31 - Math.clz32((k + 1) & -(k + 1));
    lp -= cur[i]! * eta[i]!; // log sigmoid(-z) - log sigmoid(z) = -z
    cur[i] = -cur[i]!;
    state.flip(i);
    if (((k + 1) & 0x3fff) === 0) {
      state.resync();
      lp = logProb();
    }
  }
  for (let i = 0; i < n; i++) grad[i] = (weighted[i]! - Math.tanh(eta[i]! / 2) * mean) / 2;
  return mean;
}

function logSigmoid(z: number): number {
  return -softplus(-z);
}
