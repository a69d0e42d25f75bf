/**
 * PSA, the path sample-analytic estimator (Shekhovtsov, Yanush & Flach, NeurIPS 2020; the "SAH"
 * method of their gradeval code). One forward sample x of every layer; then, instead of
 * differentiating through the states, the derivative of each unit's *flip probability* is
 * propagated along the sampled path, and the loss change of each single flip of the last layer is
 * evaluated exactly.
 *
 * For unit k of layer l with sampled state y_k in {-1,+1} and pre-activation a_k, the probability
 * of the opposite state is sigmoid(-y_k a_k), whose derivative is dq_k = -y_k sigmoid'(a_k) da_k.
 * A flip of input i of layer l changes that probability by -y_k (sigmoid(a_k^(i)) - sigmoid(a_k)),
 * with a_k^(i) the pre-activation at the input with unit i flipped. PSA takes, in forward mode,
 *   dq^l_k = -y_k sigmoid'(a_k) da_k  +  sum_i [-y_k (sigmoid(a_k^(i)) - sigmoid(a_k))] dq^(l-1)_i
 * (a first-order expansion: joint flips of several inputs are ignored), and at the output
 *   E = f(x) + sum_i (f(x^(i)) - f(x)) ((1 - P(x_i)) / n + q_i)
 * with f(x^(i)) the loss with last-layer unit i flipped, P(x_i) the probability of its sampled state
 * and q_i carrying only the derivative dq^L_i. The (1 - P) / n term leaves the value's expectation
 * unchanged (for each i, P f(x) + (1 - P) f(x^(i)) has expectation E f) and gives the output
 * layer's parameters a Rao-Blackwellised, still unbiased, gradient.
 *
 * What it claims: the gradient of the last stochastic layer (and of the output layer) is unbiased;
 * earlier layers get the linearised, biased approximation. With a single layer (Bernoulli weights)
 * everything is the last layer, so PSA is unbiased there (it is then the local-expectation
 * gradient, one extra loss evaluation per unit). With one unit per layer there are no joint flips
 * to ignore, and the propagation is exact in expectation as well.
 *
 * This file implements the backward (adjoint) form of that recursion: the adjoint of q^L_i is
 * f(x^(i)) - f(x); layer l's units get dA_k = -c_k y_k sigmoid'(a_k), and the adjoint passed to
 * layer l-1 is c_i = sum_k c_k (-y_k) (sigmoid(a_k^(i)) - sigmoid(a_k)).
 */
import type { GradientEstimator } from './estimator.js';
import { layerBuffers, sampleForward, samplingSession } from './estimator.js';
import { LayerMemo } from './layer-memo.js';

export const psaEstimator: GradientEstimator = {
  name: 'psa',
  summary: 'path sample-analytic: flip probabilities along the sampled path (unbiased for the last layer)',
  stochastic: true,
  unbiased: false,
  supports: () => true,
  start(chain) {
    const L = chain.layers.length;
    const memo = new LayerMemo(chain);
    const x = layerBuffers(chain);
    const prob = layerBuffers(chain);
    const adjoint = layerBuffers(chain);
    const dA = layerBuffers(chain);
    const flipped = layerBuffers(chain);
    // dSigma[l][k * h_(l-1) + i] = sigmoid(a_k with input i flipped) - sigmoid(a_k), for l >= 1
    const dSigma = chain.layers.map((h, l) => new Float64Array(l > 0 ? h * chain.layers[l - 1]! : 0));
    const pFlip = layerBuffers(chain);
    const last = x[L - 1]!;
    const n = last.length;
    return samplingSession(chain, memo, (c, rng, grad, scale) => {
      sampleForward(memo, c, rng, prob, x);
      // effect of each single input flip on the next layer's probabilities
      for (let l = 1; l < L; l++) {
        const input = flipped[l - 1]!;
        input.set(x[l - 1]!);
        const hIn = input.length;
        const pl = prob[l]!;
        const pf = pFlip[l]!;
        const ds = dSigma[l]!;
        for (let i = 0; i < hIn; i++) {
          input[i] = -input[i]!;
          memo.fill(c, l, input, null, pf);
          input[i] = -input[i]!;
          for (let k = 0; k < pl.length; k++) ds[k * hIn + i] = pf[k]! - pl[k]!;
        }
      }
      // the output: every single flip of the last layer, exactly
      const pLast = prob[L - 1]!;
      let keep = 1;
      let value = 0;
      const f0 = chain.outputLoss(c, last, null, null, 0);
      const cL = adjoint[L - 1]!;
      for (let i = 0; i < n; i++) {
        const pSampled = last[i]! > 0 ? pLast[i]! : 1 - pLast[i]!;
        const w = (1 - pSampled) / n;
        keep -= w;
        last[i] = -last[i]!;
        const fi = chain.outputLoss(c, last, null, grad, scale * w);
        last[i] = -last[i]!;
        cL[i] = fi - f0;
        value += w * fi;
      }
      chain.outputLoss(c, last, null, grad, scale * keep);
      // backward along the path
      for (let l = L - 1; l >= 0; l--) {
        const cl = adjoint[l]!;
        const xl = x[l]!;
        const pl = prob[l]!;
        const dAl = dA[l]!;
        for (let k = 0; k < dAl.length; k++) dAl[k] = -cl[k]! * xl[k]! * pl[k]! * (1 - pl[k]!);
        chain.backPreActivation(c, l, l > 0 ? x[l - 1]! : null, dAl, scale, grad, null);
        if (l > 0) {
          const prev = adjoint[l - 1]!;
          const hIn = prev.length;
          const ds = dSigma[l]!;
          prev.fill(0);
          for (let k = 0; k < dAl.length; k++) {
            const ck = -cl[k]! * xl[k]!;
            if (ck === 0) continue;
            for (let i = 0; i < hIn; i++) prev[i]! += ck * ds[k * hIn + i]!;
          }
        }
      }
      return value + keep * f0;
    });
  },
};
