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

/** Advances the step count; returns the bias corrections 1 - beta1^t and 1 - beta2^t of the new step. */
export function adamCorrections(state: AdamState, beta1: number, beta2: number): { c1: number; c2: number } {
  state.t += 1;
  return { c1: 1 - beta1 ** state.t, c2: 1 - beta2 ** state.t };
}

/**
 * Entry i of one Adam step with gradient g: updates m_i and v_i and returns the step
 * (-lr m_hat) / (sqrt(v_hat) + eps). The one place Adam's arithmetic is written: the
 * transformation below and fused loops (ste's minibatch step) call it, so both round alike.
 */
export function adamEntry(state: AdamState, i: number, g: number, lr: number, beta1: number, beta2: number, eps: number, c1: number, c2: number): number {
  const m = beta1 * state.m[i]! + (1 - beta1) * g;
  const v = beta2 * state.v[i]! + (1 - beta2) * g * g;
  state.m[i] = m;
  state.v[i] = v;
  return (-lr * (m / c1)) / (Math.sqrt(v / c2) + eps);
}

/** The defaults of beta1, beta2 and eps (Kingma & Ba's). */
export const ADAM_DEFAULTS = { beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

function adamStep({ lr, beta1 = ADAM_DEFAULTS.beta1, beta2 = ADAM_DEFAULTS.beta2, eps = ADAM_DEFAULTS.eps }: AdamOptions, grad: Float64Array, state: AdamState, out: Float64Array): Float64Array {
  const { c1, c2 } = adamCorrections(state, beta1, beta2);
  for (let i = 0; i < grad.length; i++) out[i] = adamEntry(state, i, grad[i]!, lr, beta1, beta2, eps, c1, c2);
  return out;
}

export function adamInit(n: number): AdamState {
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
