/**
 * SGD's pieces as gradient transformations: weight decay added to the gradient (PyTorch's
 * `weight_decay`, optax.add_decayed_weights), heavy-ball momentum (PyTorch SGD without dampening,
 * optax.trace), and the bias-corrected exponential average that BayesBiNN calls momentum.
 */
import { needParams, type Transform } from './transform.js';

/**
 * updates += decay * (params - center): L2 weight decay (center 0), or the pull of a Gaussian-
 * or Bernoulli-natural-parameter prior towards `center` (BayesBiNN's KL term).
 */
export function addDecayedWeights(decay: number, center: number | Float64Array = 0): Transform<null> {
  return {
    init: () => null,
    update(updates, _state, params) {
      if (decay === 0) return;
      const p = needParams(params, 'addDecayedWeights');
      if (typeof center !== 'number') for (let i = 0; i < updates.length; i++) updates[i]! += decay * (p[i]! - center[i]!);
      else if (center !== 0) for (let i = 0; i < updates.length; i++) updates[i]! += decay * (p[i]! - center);
      else for (let i = 0; i < updates.length; i++) updates[i]! += decay * p[i]!;
    },
  };
}

/** buffer = momentum * buffer + updates; the updates become the buffer (PyTorch SGD, dampening 0). */
export function trace(momentum: number): Transform<Float64Array> {
  return {
    init: (n) => new Float64Array(n),
    update(updates, buffer) {
      for (let i = 0; i < updates.length; i++) {
        buffer[i] = momentum * buffer[i]! + updates[i]!;
        updates[i] = buffer[i]!;
      }
    },
  };
}

export interface EmaState {
  t: number;
  m: Float64Array;
}

/**
 * m = beta m + (1 - beta) updates; the updates become m / (1 - beta^t) (Adam's first moment with
 * its bias correction; beta = 0 passes the updates through).
 */
export function emaBiasCorrected(beta: number): Transform<EmaState> {
  return {
    init: (n) => ({ t: 0, m: new Float64Array(n) }),
    update(updates, state) {
      state.t += 1;
      const correction = 1 - beta ** state.t;
      for (let i = 0; i < updates.length; i++) {
        state.m[i] = beta * state.m[i]! + (1 - beta) * updates[i]!;
        updates[i] = state.m[i]! / correction;
      }
    },
  };
}
