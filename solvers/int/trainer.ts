/**
 * Integer-only training of a binary MLP (the "training BNNs without floating point precision"
 * seed): every value the training step reads or writes is an integer held in an integer typed
 * array, so a step needs no floating-point unit and the training state is small.
 *
 *  - Latent state: one saturating counter per weight, int8 (|h| <= 127) or int16 (|h| <= 32767);
 *    the weight is sign(h) (+1 at 0), packed 32 to a word for the forward pass.
 *  - Forward: z = XNOR-popcount(a, w) per layer (src/xnor), integers. Batch norm is replaced by
 *    an integer threshold per neuron, theta_j = ceil(mean_b z_bj) over the minibatch: exactly
 *    the binary network's sign(z - mean) for integer z (z >= mean iff z >= ceil(mean)).
 *    Hidden units output sign(z - theta); the last layer's scores are o = z - theta.
 *  - Output errors: the multi-class hinge, integer: each class k != y with o_k - o_y + margin > 0
 *    gets error -1 and the true class +1 per such k (one output unit: error t where t o < margin).
 *  - Backward: hidden errors g_bi = sum_k w_ki e_bk (integers), passed straight through where
 *    |z_bi - theta_i| <= the neuron's mean absolute deviation over the batch (the integer
 *    stand-in for batch norm's |z - mu| <= sigma clipping), zero elsewhere.
 *  - Update: G_ji = sum_b e_bj a_bi, h_ji <- clamp(h_ji + sign(G) (|G| >> shift), -H, H).
 * Divisions are exact: (s - mod(s, B)) / B divides a multiple of B.
 */
import { packRows, wordsFor, type PackedMatrix } from '../../src/core/bits.js';
import type { BinaryNetworkData } from '../../src/core/problem.js';
import type { Rng } from '../../src/numerics/rng.js';
import { xnorGemm } from '../../src/xnor/dot.js';

export type LatentBits = 8 | 16;

export interface IntTrainerOptions {
  bits: LatentBits;
  /** right shift of the summed integer gradient (the learning rate as a power of 2) */
  shift: number;
  /** initial latent values uniform in [-init, init] */
  init: number;
  /** hinge margin of the output scores (integer, >= 0) */
  margin: number;
}

/** Floor division of integers, exact (no fractional intermediate). */
export function floorDiv(a: number, b: number): number {
  const m = ((a % b) + b) % b;
  return (a - m) / b;
}

/** Ceiling division of integers, exact. */
export function ceilDiv(a: number, b: number): number {
  const q = floorDiv(a, b);
  return q * b === a ? q : q + 1;
}

interface IntLayer {
  readonly inputs: number;
  readonly outputs: number;
  readonly offset: number;
  /** latent counters, out x in */
  readonly latent: Int8Array | Int16Array;
  /** sign(latent) packed, out rows of in bits */
  readonly packed: Uint32Array;
}

export class IntTrainer {
  readonly layers: IntLayer[];
  readonly limit: number;
  /** current right shift of the gradient; the solver raises it over the epochs (integer annealing) */
  shift: number;
  readonly margin: number;
  /** the training inputs, packed +-1 rows */
  private readonly inputs: PackedMatrix;
  private readonly labels: Int32Array;

  constructor(
    net: BinaryNetworkData,
    options: IntTrainerOptions,
    rng: Rng,
  ) {
    this.limit = options.bits === 8 ? 127 : 32767;
    this.shift = options.shift;
    this.margin = options.margin;
    const init = Math.min(options.init, this.limit);
    this.layers = net.layers.map(({ inputs, outputs, offset }) => {
      const size = inputs * outputs;
      const latent = options.bits === 8 ? new Int8Array(size) : new Int16Array(size);
      for (let k = 0; k < size; k++) latent[k] = rng.int(2 * init + 1) - init;
      return { inputs, outputs, offset, latent, packed: new Uint32Array(outputs * wordsFor(inputs)) };
    });
    for (const layer of this.layers) this.repack(layer);
    const first = net.layers[0]!.inputs;
    this.inputs = packRows(net.trainInputs, net.trainLabels.length, first);
    this.labels = net.trainLabels;
  }

  /** Bytes of training state per weight: the latent counter plus its packed sign bit. */
  get stateBytesPerWeight(): number {
    return (this.limit === 127 ? 1 : 2) + 1 / 8;
  }

  /** The current binary weights, in the problem's order. */
  weights(n: number): Int8Array {
    const w = new Int8Array(n);
    for (const { latent, offset } of this.layers) for (let k = 0; k < latent.length; k++) w[offset + k] = latent[k]! >= 0 ? 1 : -1;
    return w;
  }

  private repack(layer: IntLayer): void {
    const { inputs, outputs, latent, packed } = layer;
    const words = wordsFor(inputs);
    packed.fill(0);
    for (let j = 0; j < outputs; j++) {
      for (let i = 0; i < inputs; i++) if (latent[j * inputs + i]! >= 0) packed[j * words + (i >>> 5)]! |= 1 << (i & 31);
    }
  }

  private batchInputs(batch: Int32Array): PackedMatrix {
    const { words, bits, data } = this.inputs;
    const out = new Uint32Array(batch.length * words);
    for (let b = 0; b < batch.length; b++) out.set(data.subarray(batch[b]! * words, (batch[b]! + 1) * words), b * words);
    return { rows: batch.length, bits, words, data: out };
  }

  /** One integer training step on the rows `batch`. */
  step(batch: Int32Array): void {
    const B = batch.length;
    const L = this.layers.length;
    const acts: Int8Array[] = [];
    const packedActs: PackedMatrix[] = [this.batchInputs(batch)];
    const centred: Int32Array[] = [];
    const windows: Int32Array[] = [];
    for (let l = 0; l < L; l++) {
      const layer = this.layers[l]!;
      const h = layer.outputs;
      const z = xnorGemm(packedActs[l]!, { rows: h, bits: layer.inputs, words: wordsFor(layer.inputs), data: layer.packed });
      const window = new Int32Array(h);
      for (let j = 0; j < h; j++) {
        let sum = 0;
        for (let b = 0; b < B; b++) sum += z[b * h + j]!;
        const theta = ceilDiv(sum, B);
        let dev = 0;
        for (let b = 0; b < B; b++) {
          const c = z[b * h + j]! - theta;
          z[b * h + j] = c;
          dev += c < 0 ? -c : c;
        }
        window[j] = Math.max(1, floorDiv(dev, B));
      }
      centred.push(z);
      windows.push(window);
      if (l < L - 1) {
        const a = new Int8Array(B * h);
        for (let k = 0; k < a.length; k++) a[k] = z[k]! >= 0 ? 1 : -1;
        acts.push(a);
        packedActs.push(packRows(a, B, h));
      }
    }
    // integer hinge errors of the output scores
    const out = this.layers[L - 1]!.outputs;
    const scores = centred[L - 1]!;
    let err: Int32Array = new Int32Array(B * out);
    for (let b = 0; b < B; b++) {
      const y = this.labels[batch[b]!]!;
      const row = b * out;
      if (out === 1) {
        const t = y === 1 ? 1 : -1;
        if (t * scores[row]! < this.margin) err[row] = t;
        continue;
      }
      for (let k = 0; k < out; k++) {
        if (k === y) continue;
        if (scores[row + k]! - scores[row + y]! + this.margin > 0) {
          err[row + k] = -1;
          err[row + y]! += 1;
        }
      }
    }
    for (let l = L - 1; l >= 0; l--) {
      const layer = this.layers[l]!;
      const { inputs: d, outputs: h, latent } = layer;
      // errors for the layer below, before this layer's weights change
      let below: Int32Array | undefined;
      if (l > 0) {
        below = new Int32Array(B * d);
        const zPrev = centred[l - 1]!;
        const wPrev = windows[l - 1]!;
        for (let b = 0; b < B; b++) {
          for (let j = 0; j < h; j++) {
            const e = err[b * h + j]!;
            if (e === 0) continue;
            const wj = j * d;
            for (let i = 0; i < d; i++) below[b * d + i]! += latent[wj + i]! >= 0 ? e : -e;
          }
          for (let i = 0; i < d; i++) {
            const c = zPrev[b * d + i]!;
            if ((c < 0 ? -c : c) > wPrev[i]!) below[b * d + i] = 0;
          }
        }
      }
      this.update(layer, l === 0 ? undefined : acts[l - 1]!, batch, err);
      if (below) err = below;
    }
  }

  /** h_j. += sign(G) (|G| >> shift), saturating, for G_ji = sum_b e_bj a_bi. */
  private update(layer: IntLayer, a: Int8Array | undefined, batch: Int32Array, err: Int32Array): void {
    const { inputs: d, outputs: h, latent } = layer;
    const B = batch.length;
    const G = new Int32Array(d);
    const limit = this.limit;
    const shift = this.shift;
    let touched = 0;
    const inputWords = wordsFor(d);
    for (let j = 0; j < h; j++) {
      G.fill(0);
      let any = false;
      for (let b = 0; b < B; b++) {
        const e = err[b * h + j]!;
        if (e === 0) continue;
        any = true;
        if (a) {
          for (let i = 0; i < d; i++) G[i]! += a[b * d + i]! > 0 ? e : -e;
        } else {
          // first layer: the packed training inputs, bit set = +1
          const base = batch[b]! * inputWords;
          const data = this.inputs.data;
          for (let i = 0; i < d; i++) G[i]! += (data[base + (i >>> 5)]! >>> (i & 31)) & 1 ? e : -e;
        }
      }
      if (!any) continue;
      const row = j * d;
      for (let i = 0; i < d; i++) {
        const g = G[i]!;
        const step = g < 0 ? -((-g) >> shift) : g >> shift;
        if (step === 0) continue;
        let v = latent[row + i]! + step;
        if (v > limit) v = limit;
        else if (v < -limit) v = -limit;
        latent[row + i] = v;
      }
      touched++;
    }
    if (touched > 0) this.repack(layer);
  }
}
