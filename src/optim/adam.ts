/**
 * Adam (Kingma & Ba) as a pure init/update pair in the optax style: the state is plain data and
 * `update` returns the step to add, so any solver can own its parameters.
 */
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

export function adam({ lr, beta1 = 0.9, beta2 = 0.999, eps = 1e-8 }: AdamOptions) {
  return {
    init(n: number): AdamState {
      return { t: 0, m: new Float64Array(n), v: new Float64Array(n) };
    },
    /** Writes the step (to be added to the parameters) into `step` and advances the state. */
    update(grad: Float64Array, state: AdamState, step: Float64Array = new Float64Array(grad.length)): Float64Array {
      state.t += 1;
      const c1 = 1 - beta1 ** state.t;
      const c2 = 1 - beta2 ** state.t;
      for (let i = 0; i < grad.length; i++) {
        const g = grad[i]!;
        state.m[i] = beta1 * state.m[i]! + (1 - beta1) * g;
        state.v[i] = beta2 * state.v[i]! + (1 - beta2) * g * g;
        step[i] = (-lr * (state.m[i]! / c1)) / (Math.sqrt(state.v[i]! / c2) + eps);
      }
      return step;
    },
  };
}
