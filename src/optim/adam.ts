/**
 * Adam (Kingma & Ba 2015). `scaleByAdam` is the gradient transformation (src/optim/transform.ts);
 * `adam` is the same arithmetic in the call form `update(grad, state, step)` that leaves the
 * gradient alone and writes the step. The learning rate is folded into the one expression
 * (-lr m_hat) / (sqrt(v_hat) + eps), as every solver has always computed it (recorded outputs
 * depend on that rounding); compose a schedule after it with `scaleBySchedule` (a multiplier).
 */
import type { Transform } from './transform.js';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdamState {
  t: number;
  m: Float64Array;
  v: Float64Array;
}

function adamStep({ lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 }: AdamOptions, grad: Float64Array, state: AdamState, out: Float64Array): Float64Array {
  state.t += 1;
  const c1 = 1 - beta1 ** state.t;
  const c2 = 1 - beta2 ** state.t;
  for (let i = 0; i < grad.length; i++) {
    const g = grad[i]!;
    state.m[i] = beta1 * state.m[i]! + (1 - beta1) * g;
    state.v[i] = beta2 * state.v[i]! + (1 - beta2) * g * g;
    out[i] = (-lr * (state.m[i]! / c1)) / (Math.sqrt(state.v[i]! / c2) + eps);
  }
  return out;
}

function adamInit(n: number): AdamState {
  return { t: 0, m: new Float64Array(n), v: new Float64Array(n) };
}

/** Adam as a transformation: the updates (the gradient) become the step, in place. */
export function scaleByAdam(options: AdamOptions): Transform<AdamState> {
  return { init: adamInit, update: (updates, state) => void adamStep(options, updates, state, updates) };
}

/** Adam in the call form: `update` writes the step (to be added to the parameters) into `step`. */
export function adam(options: AdamOptions) {
  return {
    init: adamInit,
    update(grad: Float64Array, state: AdamState, step: Float64Array = new Float64Array(grad.length)): Float64Array {
      return adamStep(options, grad, state, step);
    },
  };
}
