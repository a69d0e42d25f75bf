/**
 * Gradient estimators of the expected loss of a chain of stochastic binary units (see
 * src/stochastic-chain.ts): the gradient of mean_c E[L_c] with respect to the chain's parameters.
 * For Bernoulli weights the parameters are the logits eta = logit(theta), theta = P(w = +1), so
 * mu = E[w] = tanh(eta / 2).
 *
 * An estimator starts a session on a chain; a session may keep state between calls (the running
 * baseline of REINFORCE), so a solver keeps one session for a whole run. `estimate(M, rng, grad)`
 * averages M independent single-sample estimates (deterministic estimators ignore M and rng).
 */
import { uniform32, type StochasticChain } from '../../src/core/stochastic-chain.js';
import { sigmoid } from '../../src/numerics/logistic.js';
import type { Rng } from '../../src/numerics/rng.js';

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
 * One forward sample through the chain for case `c`: x_l = +1 where u < sigmoid(a_l), layer by
 * layer, one uniform per unit in order. `prob[0]` must already hold the first layer's
 * probabilities (its input is the case's, fixed across samples). The uniforms are kept in `u`
 * when given (ARM reuses them for its antithetic pass).
 */
export function sampleForward(
  chain: StochasticChain,
  c: number,
  rng: { nextU32(): number },
  a: Float64Array[],
  prob: Float64Array[],
  x: Float64Array[],
  u?: Float64Array[],
): void {
  for (let l = 0; l < chain.layers.length; l++) {
    const al = a[l]!;
    const pl = prob[l]!;
    const xl = x[l]!;
    if (l > 0) {
      chain.preActivation(c, l, x[l - 1]!, al);
      for (let k = 0; k < al.length; k++) pl[k] = sigmoid(al[k]!);
    }
    if (u) {
      const ul = u[l]!;
      for (let k = 0; k < al.length; k++) {
        ul[k] = uniform32(rng);
        xl[k] = ul[k]! < pl[k]! ? 1 : -1;
      }
    } else {
      for (let k = 0; k < al.length; k++) xl[k] = uniform32(rng) < pl[k]! ? 1 : -1;
    }
  }
}
