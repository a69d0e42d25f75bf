/**
 * Update rules in the optax style: a gradient transformation is an init/update pair over plain
 * state, and `chain` composes them left to right. `update` rewrites the update vector in place
 * (it arrives as the gradient and leaves as the step to add to the parameters), so that solvers
 * own their parameter vectors and no transformation allocates per step.
 *
 *   const opt = chain(addDecayedWeights(1e-4), trace(0.9), scaleByLearningRate(warmupCosine(...)));
 *   const state = opt.init(n);
 *   u.set(grad); opt.update(u, state, params); applyUpdates(params, u);
 */
export interface Transform<S = unknown> {
  /** The state for n parameters. */
  init(n: number): S;
  /** Rewrites `updates` in place; `params` are the parameters before this step (weight decay reads them). */
  update(updates: Float64Array, state: S, params?: Float64Array): void;
}

/** Composes transformations: each one's output is the next one's input (optax.chain). */
export function chain(...transforms: readonly Transform<any>[]): Transform<unknown[]> {
  return {
    init: (n) => transforms.map((t) => t.init(n)),
    update(updates, state, params) {
      for (let k = 0; k < transforms.length; k++) transforms[k]!.update(updates, state[k], params);
    },
  };
}

/** params += updates. */
export function applyUpdates(params: Float64Array, updates: Float64Array): void {
  for (let i = 0; i < params.length; i++) params[i]! += updates[i]!;
}

/** The parameters a transformation reads, or a programming error (never a user's). */
export function needParams(params: Float64Array | undefined, name: string): Float64Array {
  if (!params) throw new Error(`${name} needs the parameters in update(updates, state, params)`);
  return params;
}
