/**
 * The deterministic tanh relaxation (mean field): every unit takes its mean x = E[x] = tanh(a/2)
 * and is differentiated exactly, dx/da = (1 - x^2)/2. No samples; biased for nonlinear losses
 * (it replaces E[L(x)] by L(E[x])).
 */
import { pathwiseEstimator } from './pathwise.js';

export const tanhEstimator = pathwiseEstimator({
  name: 'tanh',
  summary: 'deterministic tanh (mean-field) relaxation (biased, no samples)',
  rule: {
    kind: 'relaxed',
    noisy: false,
    apply(a, _u, x, d) {
      for (let k = 0; k < a.length; k++) {
        const v = Math.tanh(a[k]! / 2);
        x[k] = v;
        d[k] = (1 - v * v) / 2;
      }
    },
  },
});
