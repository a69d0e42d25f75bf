/**
 * Gradient estimators of the expected loss of a chain of stochastic binary units (see
 * src/stochastic-chain.ts): the gradient of mean_c E[L_c] with respect to the chain's parameters.
 * For Bernoulli weights the parameters are the logits eta = logit(theta), theta = P(w = +1), so
 * mu = E[w] = tanh(eta / 2).
 *
 * An estimator starts a session on a chain; a session may keep state between calls (the running
 * baseline of REINFORCE), so a solver keeps one session for a whole run. `estimate(M, rng, grad)`
 * averages M independent single-sample estimates (deterministic estimators ignore M and rng);
 * `estimateDraws` gives a study its single-sample estimates one after another, faster.
 */
import { uniform32, type StochasticChain } from '../../src/core/stochastic-chain.js';
import type { Rng } from '../../src/numerics/rng.js';
import type { LayerMemo } from './layer-memo.js';

/** Choices that change what some estimators compute (each says which). */
export interface EstimatorOptions {
  /**
   * The coding of the units that the straight-through identity and clipped forms refer to:
   * dx/da = 1 for x in {-1,+1} ('pm1', the default) or for x in {0,1} ('01', i.e. dx/da = 2 for
   * the +-1 state the chain carries). Every other estimator is the same in both codings.
   */
  units?: 'pm1' | '01';
  /**
   * ARM's downstream noise: 'shared' (the default) continues both antithetic states with the same
   * later-layer noise; 'fresh' draws new noise for each continuation, as the PSA authors' code does.
   */
  arm?: 'shared' | 'fresh';
}

export interface EstimatorSession {
  /** Writes the gradient estimate into `grad` and returns the mean loss seen (an estimate of the objective). */
  estimate(samples: number, rng: Rng, grad: Float64Array): number;
  /**
   * `draws` single-sample estimates in sequence, the same as `draws` calls of estimate(1, rng,
   * grad) (same draws, same bits), with the parameters held fixed meanwhile so that the session
   * may reuse what does not change (LayerMemo). After draw k (1-based) it calls onDraw(grad, k,
   * loss); onDraw must not change the parameters.
   */
  estimateDraws(draws: number, rng: Rng, grad: Float64Array, onDraw: (grad: Float64Array, k: number, loss: number) => void): void;
}

export interface GradientEstimator {
  readonly name: string;
  readonly summary: string;
  /** False for estimators that draw no samples (exact, analytic, tanh relaxation). */
  readonly stochastic: boolean;
  /** Whether the estimator is unbiased (so its error must vanish like 1/sqrt(M)). */
  readonly unbiased: boolean;
  supports(chain: StochasticChain): true | string;
  start(chain: StochasticChain): EstimatorSession;
}

/** Per-layer scratch buffers for forward/backward passes through a chain. */
export function layerBuffers(chain: StochasticChain): Float64Array[] {
  return chain.layers.map((k) => new Float64Array(k));
}

/**
 * One sample of every case's estimate: adds scale x this sample's gradient estimate for case c into
 * `grad` and returns its loss (the objective estimate of the sample).
 */
export type CaseSample = (c: number, rng: Rng, grad: Float64Array, scale: number) => number;

/**
 * The session every sampling estimator shares: estimate(M) averages M samples of each case, case
 * after case; estimateDraws repeats estimate(1) with the memo kept. `deterministic`: the sample
 * draws nothing, so one sample is the estimate whatever M says.
 */
export function samplingSession(chain: StochasticChain, memo: LayerMemo, sample: CaseSample, deterministic = false): EstimatorSession {
  return {
    estimate(samples, rng, grad) {
      memo.reset();
      const S = deterministic ? 1 : samples;
      const scale = 1 / (chain.cases * S);
      grad.fill(0);
      let total = 0;
      for (let c = 0; c < chain.cases; c++) for (let s = 0; s < S; s++) total += sample(c, rng, grad, scale);
      return total * scale;
    },
    estimateDraws(draws, rng, grad, onDraw) {
      memo.reset();
      const scale = 1 / chain.cases;
      for (let k = 1; k <= draws; k++) {
        grad.fill(0);
        let total = 0;
        for (let c = 0; c < chain.cases; c++) total += sample(c, rng, grad, scale);
        onDraw(grad, k, total * scale);
      }
    },
  };
}

/** estimateDraws for sessions that keep nothing between estimates: repeated estimate(1). */
export function drawsByEstimate(session: Pick<EstimatorSession, 'estimate'>): EstimatorSession {
  return {
    estimate: (samples, rng, grad) => session.estimate(samples, rng, grad),
    estimateDraws(draws, rng, grad, onDraw) {
      for (let k = 1; k <= draws; k++) onDraw(grad, k, session.estimate(1, rng, grad));
    },
  };
}

/**
 * One forward sample through the chain for case `c`: x_l = +1 where u < sigmoid(a_l), layer by
 * layer, one uniform per unit in order; the probabilities come from the memo. The uniforms
 * are kept in `u` when given (ARM reuses them for its antithetic pass).
 */
export function sampleForward(
  memo: LayerMemo,
  c: number,
  rng: { nextU32(): number },
  prob: Float64Array[],
  x: Float64Array[],
  u?: Float64Array[],
): void {
  for (let l = 0; l < prob.length; l++) {
    const pl = prob[l]!;
    const xl = x[l]!;
    memo.fill(c, l, l > 0 ? x[l - 1]! : null, null, pl);
    if (u) {
      const ul = u[l]!;
      for (let k = 0; k < pl.length; k++) {
        ul[k] = uniform32(rng);
        xl[k] = ul[k]! < pl[k]! ? 1 : -1;
      }
    } else {
      for (let k = 0; k < pl.length; k++) xl[k] = uniform32(rng) < pl[k]! ? 1 : -1;
    }
  }
}
