/**
 * SGD with (heavy-ball) momentum as an init/update pair, with PyTorch's torch.optim.SGD semantics
 * (dampening 0, no Nesterov): buf <- momentum * buf + g (buf = g on the first step), step = -lr * buf.
 * The PSA authors train their study networks with it (lr 0.03, momentum 0.9).
 */
export interface MomentumOptions {
  lr: number;
  momentum: number;
}

export interface MomentumState {
  buf: Float64Array;
}

export function sgdMomentum({ lr, momentum }: MomentumOptions) {
  return {
    init(n: number): MomentumState {
      // a zero buffer makes the first step buf = g, as in PyTorch
      return { buf: new Float64Array(n) };
    },
    /** Writes the step (to be added to the parameters) into `step` and advances the state. */
    update(grad: Float64Array, state: MomentumState, step: Float64Array = new Float64Array(grad.length)): Float64Array {
      for (let i = 0; i < grad.length; i++) {
        state.buf[i] = momentum * state.buf[i]! + grad[i]!;
        step[i] = -lr * state.buf[i]!;
      }
      return step;
    },
  };
}
