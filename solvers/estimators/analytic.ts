/**
 * Closed form for quadratic losses with independent weights: with mu = E[w] = tanh(eta/2) and
 * E[w_i^2] = 1,  E[w'Qw + 2b'w + c] = c + 2 b'mu + sum_{i != j} Q_ij mu_i mu_j + sum_i Q_ii,
 * so dE/dmu_i = 2 b_i + 2 sum_{j != i} Q_ij mu_j, and dmu_i/deta_i = (1 - mu_i^2) / 2.
 */
import { drawsByEstimate, type GradientEstimator } from './estimator.js';

export const analyticEstimator: GradientEstimator = {
  name: 'analytic',
  summary: 'closed-form expected quadratic loss (quadratic problems only)',
  stochastic: false,
  unbiased: true,
  supports: (chain) =>
    chain.quadratic && chain.layers.length === 1 && chain.cases === 1 ? true : 'the analytic estimator needs a quadratic loss of independent Bernoulli weights',
  start(chain) {
    const { n, Q, b, c } = chain.quadratic!;
    const a = new Float64Array(n);
    const mu = new Float64Array(n);
    const dA = new Float64Array(n);
    return drawsByEstimate({
      estimate(_samples, _rng, grad) {
        chain.preActivation(0, 0, null, a);
        for (let i = 0; i < n; i++) mu[i] = Math.tanh(a[i]! / 2);
        let value = c;
        for (let i = 0; i < n; i++) {
          let row = 0;
          const base = i * n;
          for (let j = 0; j < n; j++) if (j !== i) row += Q[base + j]! * mu[j]!;
          value += mu[i]! * (row + 2 * b[i]!) + Q[base + i]!;
          dA[i] = (2 * (b[i]! + row) * (1 - mu[i]! * mu[i]!)) / 2;
        }
        grad.fill(0);
        chain.backPreActivation(0, 0, null, dA, 1, grad, null);
        return value;
      },
    });
  },
};
