/**
 * REINFORCE (score function): grad E[L] = E[(L - b) sum_l d log p(x_l | x_{l-1}) / d params], with
 * d log p(x | a) / da = (x - tanh(a/2)) / 2 for a logistic unit. Parameters of a deterministic output
 * layer get their pathwise gradient at the sample.
 *
 * The baseline variant uses, per case, the running mean of that case's earlier losses (a cumulative
 * mean over the last up to 100 samples, then an exponential average with that horizon). It depends
 * only on earlier samples, so the estimate stays unbiased; the session keeps it across calls, so a
 * solver's baseline follows the loss along the run. The first sample of a case has no baseline.
 */
import type { GradientEstimator } from './estimator.js';
import { layerBuffers, sampleForward, samplingSession } from './estimator.js';
import { LayerMemo } from './layer-memo.js';

const BASELINE_HORIZON = 100;

export function reinforceEstimator(withBaseline: boolean): GradientEstimator {
  const name = withBaseline ? 'reinforce-baseline' : 'reinforce';
  return {
    name,
    summary: withBaseline ? 'score function with a running-mean baseline (unbiased)' : 'score function, no baseline (unbiased)',
    stochastic: true,
    unbiased: true,
    supports: () => true,
    start(chain) {
      const L = chain.layers.length;
      const memo = new LayerMemo(chain);
      const x = layerBuffers(chain);
      const prob = layerBuffers(chain);
      const score = layerBuffers(chain);
      const baseline = new Float64Array(chain.cases);
      const seen = new Float64Array(chain.cases);
      return samplingSession(chain, memo, (c, rng, grad, scale) => {
        sampleForward(memo, c, rng, prob, x);
        const loss = chain.outputLoss(c, x[L - 1]!, null, grad, scale);
        const coef = withBaseline && seen[c]! > 0 ? loss - baseline[c]! : loss;
        if (withBaseline) {
          seen[c]! += 1;
          baseline[c]! += (loss - baseline[c]!) / Math.min(seen[c]!, BASELINE_HORIZON);
        }
        if (coef === 0) return loss;
        for (let l = 0; l < L; l++) {
          const pl = prob[l]!;
          const xl = x[l]!;
          const sl = score[l]!;
          // d log p(x | a) / da = (x - mu) / 2 with mu = 2p - 1
          for (let k = 0; k < pl.length; k++) sl[k] = (coef * (xl[k]! - 2 * pl[k]! + 1)) / 2;
          chain.backPreActivation(c, l, l > 0 ? x[l - 1]! : null, sl, scale, grad, null);
        }
        return loss;
      });
    },
  };
}

export const reinforcePlainEstimator = reinforceEstimator(false);
export const reinforceBaselineEstimator = reinforceEstimator(true);
