/**
 * A small stochastic binary network, the subject of the gradient-estimator study: inputs
 * x_0 in R^d, stochastic layers x_l = sign(W_l [x_{l-1}; 1] - Z) with logistic noise Z (so
 * P(unit = +1) = sigmoid(a)), and a deterministic output z = W_out [x_last; 1] with the logistic
 * loss log(1 + exp(-y z)) for labels y = +-1. The objective is the mean over the data of the
 * expected loss. Parameters are the real matrices W_l (one block per layer).
 *
 * Exact expected loss and gradient: a sum over all joint hidden states (2^15 for [2,5,5,5]),
 * computed layer by layer. Beyond the first layer the transition tables p(x_l | x_{l-1}) and the
 * expected loss given a state depend on the label only, not on the data point, so the sum costs
 * O(2^(h_{l-1} + h_l)) per layer and class plus O(2^h_1) per point. Layers of at most 12 units.
 *
 * Units coding. Internally the states are +-1. The PSA authors code the same units as {0,1}
 * (x01 = (x + 1) / 2); a layer fed by a stochastic layer then has other parameters for the same
 * function: W x01 + b = (W / 2) x + (b + sum_j W_j / 2), i.e. W_pm = W_01 / 2, b_pm = b_01 +
 * rowsum(W_01) / 2. The first layer's input is the data point in both codings, so its parameters
 * agree. Gradients follow by the chain rule (gradientInUnits); relative errors and cosines are not
 * invariant under this linear map, so every metric must be reported in one stated coding.
 */
import type { ParamBlock, StochasticChain } from '../src/core/stochastic-chain.js';
import type { NetworkFile, UnitCoding } from '../src/formats/sbn-network.js';
import { sigmoid, softplus, softplusAndSigmoid } from '../src/numerics/logistic.js';
import { Rng } from '../src/numerics/rng.js';
import { adam } from '../src/optim/adam.js';
import type { LabelledPoints } from './two-class-2d.js';

export const SBN_MAX_UNITS = 12;

export class StochasticBinaryNetwork implements StochasticChain {
  readonly layers: number[];
  readonly blocks: ParamBlock[];
  readonly paramCount: number;
  readonly cases: number;
  readonly differentiable = true;
  /** Only the first layer sees the data point. */
  readonly caseFreeDeepLayers = true;
  /** All parameters, block after block; each block is row-major (units x (inputs + 1)). */
  readonly params: Float64Array;
  private readonly inputs: number[];
  /** Each data point's input row, as a view made once (hot loops must not allocate). */
  private readonly rows: Float64Array[];
  /** outputLoss's scratch for the loss derivative. */
  private readonly slope = new Float64Array(1);

  constructor(
    /** [input dimension, hidden layer sizes...] */
    readonly sizes: readonly number[],
    readonly data: LabelledPoints,
    /** null: all parameters zero (to be set, e.g. from a network file) */
    rng: Rng | null,
  ) {
    if (sizes.length < 2) throw new RangeError('a network needs an input size and at least one hidden layer');
    if (sizes.slice(1).some((h) => h > SBN_MAX_UNITS || h < 1)) throw new RangeError(`hidden layers must have 1..${SBN_MAX_UNITS} units`);
    this.layers = sizes.slice(1);
    this.inputs = sizes.slice(0, -1);
    this.cases = data.count;
    const d0 = sizes[0]!;
    this.rows = Array.from({ length: data.count }, (_, c) => data.X.subarray(c * d0, (c + 1) * d0));
    const shapes = [...this.layers.map((h, l) => [h, this.inputs[l]! + 1] as const), [1, this.layers[this.layers.length - 1]! + 1] as const];
    this.blocks = [];
    let offset = 0;
    for (let l = 0; l < shapes.length; l++) {
      const size = shapes[l]![0] * shapes[l]![1];
      this.blocks.push({ name: `layer ${l + 1}`, offset, size });
      offset += size;
    }
    this.paramCount = offset;
    this.params = new Float64Array(offset);
    if (rng) for (let l = 0; l < shapes.length; l++) {
      const { offset: o, size } = this.blocks[l]!;
      const sd = 1 / Math.sqrt(shapes[l]![1]);
      for (let k = 0; k < size; k++) this.params[o + k] = sd * rng.normal();
    }
  }

  /** Units of layer l (the output layer, l = layers.length, has one) and its inputs. */
  private shape(l: number): { rows: number; cols: number } {
    const K = this.layers.length;
    return { rows: l === K ? 1 : this.layers[l]!, cols: l === K ? this.layers[K - 1]! : this.inputs[l]! };
  }

  /** A network from a network file (whose sizes it takes) on `data`. */
  static fromNetworkFile(file: NetworkFile, data: LabelledPoints, where = 'network'): StochasticBinaryNetwork {
    const d = data.X.length / data.count;
    const first = file.layers[0]!;
    if (first.inputs !== d) throw new RangeError(`${where}: layers[0] takes ${first.inputs} inputs but the data points have ${d} coordinates`);
    const sizes = [first.inputs, ...file.layers.slice(0, -1).map((l) => l.outputs)];
    const net = new StochasticBinaryNetwork(sizes, data, null);
    net.setParams(file);
    return net;
  }

  /** Sets the parameters from layers coded in `file.units` (sizes must match). */
  setParams(file: NetworkFile): void {
    file.layers.forEach((layer, l) => {
      const { rows, cols } = this.shape(l);
      if (layer.outputs !== rows || layer.inputs !== cols) throw new RangeError(`layer ${l + 1} is ${layer.outputs} x ${layer.inputs}, expected ${rows} x ${cols}`);
      const o = this.blocks[l]!.offset;
      const half = file.units === '01' && l > 0 ? 0.5 : 1;
      for (let r = 0; r < rows; r++) {
        let bias = layer.bias[r]!;
        for (let j = 0; j < cols; j++) {
          const w = layer.weight[r * cols + j]!;
          this.params[o + r * (cols + 1) + j] = w * half;
          if (half !== 1) bias += w / 2;
        }
        this.params[o + r * (cols + 1) + cols] = bias;
      }
    });
  }

  /** The parameters as layers coded in `units`. */
  toNetworkFile(units: UnitCoding): NetworkFile {
    const layers = this.blocks.map((block, l) => {
      const { rows, cols } = this.shape(l);
      const weight = new Float64Array(rows * cols);
      const bias = new Float64Array(rows);
      const convert = units === '01' && l > 0;
      for (let r = 0; r < rows; r++) {
        let b = this.params[block.offset + r * (cols + 1) + cols]!;
        for (let j = 0; j < cols; j++) {
          const w = this.params[block.offset + r * (cols + 1) + j]!;
          weight[r * cols + j] = convert ? 2 * w : w;
          if (convert) b -= w;
        }
        bias[r] = b;
      }
      return { outputs: rows, inputs: cols, weight, bias };
    });
    return { units, layers };
  }

  /**
   * A gradient with respect to the internal (+-1-coded) parameters, re-expressed in `units`
   * (the transpose of the parameter map's Jacobian): for a layer fed by stochastic units coded
   * {0,1}, dL/dW01_kj = (dL/dWpm_kj + dL/dbpm_k) / 2 and dL/db01_k = dL/dbpm_k. `out` may be `g`.
   */
  gradientInUnits(units: UnitCoding, g: Float64Array, out: Float64Array): void {
    if (out !== g) out.set(g);
    if (units === 'pm1') return;
    for (let l = 1; l < this.blocks.length; l++) {
      const { rows, cols } = this.shape(l);
      const o = this.blocks[l]!.offset;
      for (let r = 0; r < rows; r++) {
        const base = o + r * (cols + 1);
        const gb = g[base + cols]!;
        for (let j = 0; j < cols; j++) out[base + j] = (g[base + j]! + gb) / 2;
        out[base + cols] = gb;
      }
    }
  }

  /**
   * Adds a step given in the coordinates of `units` to the parameters (the parameter map is
   * linear: dW_pm = dW_01 / 2, db_pm = db_01 + rowsum(dW_01) / 2 for layers fed by stochastic units).
   */
  addStepInUnits(units: UnitCoding, step: Float64Array): void {
    if (units === 'pm1') {
      for (let i = 0; i < this.paramCount; i++) this.params[i]! += step[i]!;
      return;
    }
    for (let l = 0; l < this.blocks.length; l++) {
      const { rows, cols } = this.shape(l);
      const o = this.blocks[l]!.offset;
      for (let r = 0; r < rows; r++) {
        const base = o + r * (cols + 1);
        let db = step[base + cols]!;
        for (let j = 0; j < cols; j++) {
          const dw = step[base + j]!;
          this.params[base + j]! += l > 0 ? dw / 2 : dw;
          if (l > 0) db += dw / 2;
        }
        this.params[base + cols]! += db;
      }
    }
  }

  /**
   * The data-dependent initialisation of the PSA authors' code (gradeval, 'AP2-init'), in {0,1}
   * coding: every weight and bias U(-1, 1); then each stochastic layer is standardised so that its
   * pre-activation has mean 0 and variance 1 under independent inputs of the propagated means and
   * variances (the data's per-coordinate mean and unbiased variance for the first layer; mean 1/2
   * and variance 1/4 after it, since a standardised pre-activation gives P(x01 = 1) ~ 1/2). The
   * output layer keeps its uniform draw.
   */
  initDataDependent(rng: Rng): void {
    const d0 = this.sizes[0]!;
    const C = this.cases;
    let mean = new Float64Array(d0);
    let variance = new Float64Array(d0);
    for (let c = 0; c < C; c++) for (let j = 0; j < d0; j++) mean[j]! += this.data.X[c * d0 + j]! / C;
    for (let c = 0; c < C; c++) for (let j = 0; j < d0; j++) variance[j]! += (this.data.X[c * d0 + j]! - mean[j]!) ** 2 / (C - 1);
    const layers = this.blocks.map((_, l) => {
      const { rows, cols } = this.shape(l);
      const weight = Float64Array.from({ length: rows * cols }, () => rng.uniform(-1, 1));
      const bias = Float64Array.from({ length: rows }, () => rng.uniform(-1, 1));
      return { outputs: rows, inputs: cols, weight, bias };
    });
    for (let l = 0; l < this.layers.length; l++) {
      const { weight, bias, outputs, inputs } = layers[l]!;
      for (let r = 0; r < outputs; r++) {
        let m = bias[r]!;
        let v = 0;
        for (let j = 0; j < inputs; j++) {
          m += weight[r * inputs + j]! * mean[j]!;
          v += weight[r * inputs + j]! ** 2 * variance[j]!;
        }
        const s = Math.sqrt(v + 1e-10);
        for (let j = 0; j < inputs; j++) weight[r * inputs + j]! /= s;
        bias[r] = (bias[r]! - m) / s;
      }
      mean = new Float64Array(outputs).fill(0.5);
      variance = new Float64Array(outputs).fill(0.25);
    }
    this.setParams({ units: '01', layers });
  }

  private inputOf(c: number, l: number, prev: Float64Array | null): Float64Array {
    return l === 0 ? this.rows[c]! : prev!;
  }

  preActivation(c: number, l: number, prev: Float64Array | null, a: Float64Array): void {
    const input = this.inputOf(c, l, prev);
    const d = this.inputs[l]!;
    const W = this.params;
    let o = this.blocks[l]!.offset;
    for (let k = 0; k < a.length; k++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += W[o + j]! * input[j]!;
      a[k] = s + W[o + d]!;
      o += d + 1;
    }
  }

  backPreActivation(c: number, l: number, prev: Float64Array | null, dA: Float64Array, scale: number, grad: Float64Array, dPrev: Float64Array | null): void {
    const input = this.inputOf(c, l, prev);
    const d = this.inputs[l]!;
    const W = this.params;
    const base = this.blocks[l]!.offset;
    if (dPrev) dPrev.fill(0);
    for (let k = 0; k < dA.length; k++) {
      const g = dA[k]!;
      if (g === 0) continue;
      const o = base + k * (d + 1);
      const gs = g * scale;
      for (let j = 0; j < d; j++) grad[o + j]! += gs * input[j]!;
      grad[o + d]! += gs;
      if (dPrev) for (let j = 0; j < d; j++) dPrev[j]! += g * W[o + j]!;
    }
  }

  outputLoss(c: number, x: Float64Array, dX: Float64Array | null, grad: Float64Array | null, scale: number): number {
    const o = this.blocks[this.blocks.length - 1]!.offset;
    const h = x.length;
    const W = this.params;
    let z = W[o + h]!;
    for (let j = 0; j < h; j++) z += W[o + j]! * x[j]!;
    const y = this.data.y[c]!;
    if (!dX && !grad) return softplus(-y * z);
    const loss = softplusAndSigmoid(-y * z, this.slope);
    const dz = -y * this.slope[0]!;
    if (dX) for (let j = 0; j < h; j++) dX[j] = dz * W[o + j]!;
    if (grad) {
      const gs = dz * scale;
      for (let j = 0; j < h; j++) grad[o + j]! += gs * x[j]!;
      grad[o + h]! += gs;
    }
    return loss;
  }

  /** The states of an h-unit layer: state s has unit k at +1 iff bit k of s is set. */
  private static stateVectors(h: number): Float64Array {
    const out = new Float64Array((1 << h) * h);
    for (let s = 0; s < 1 << h; s++) for (let k = 0; k < h; k++) out[s * h + k] = (s >>> k) & 1 ? 1 : -1;
    return out;
  }

  exactGradient(grad: Float64Array): number {
    const K = this.layers.length;
    const H = this.layers;
    const S = H.map((h) => 1 << h);
    const vec = H.map((h) => StochasticBinaryNetwork.stateVectors(h));
    const classes = [1, -1];
    grad.fill(0);
    // Transition tables T_l[s_prev * S_l + s] = p(x_l = s | x_{l-1} = s_prev) and unit means, l >= 1.
    const T: Float64Array[] = [];
    const mean: Float64Array[] = [];
    for (let l = 1; l < K; l++) {
      const t = new Float64Array(S[l - 1]! * S[l]!);
      const mu = new Float64Array(S[l - 1]! * H[l]!);
      const a = new Float64Array(H[l]!);
      const p = new Float64Array(H[l]!);
      for (let sp = 0; sp < S[l - 1]!; sp++) {
        this.preActivation(0, l, vec[l - 1]!.subarray(sp * H[l - 1]!, (sp + 1) * H[l - 1]!), a);
        for (let k = 0; k < H[l]!; k++) {
          p[k] = sigmoid(a[k]!);
          mu[sp * H[l]! + k] = 2 * p[k]! - 1;
        }
        for (let s = 0; s < S[l]!; s++) {
          let prob = 1;
          for (let k = 0; k < H[l]!; k++) prob *= (s >>> k) & 1 ? p[k]! : 1 - p[k]!;
          t[sp * S[l]! + s] = prob;
        }
      }
      T[l] = t;
      mean[l] = mu;
    }
    // Per class: V_l(s) = E[loss | x_l = s], the output derivative, and G_l(s_prev) = dE[V_l | s_prev]/da_l.
    const last = K - 1;
    const oOut = this.blocks[K]!.offset;
    const hL = H[last]!;
    const V: Float64Array[][] = [];
    const dOut: Float64Array[] = [];
    const G: Float64Array[][] = [];
    for (const y of classes) {
      const v: Float64Array[] = [];
      const g: Float64Array[] = [];
      const vl = new Float64Array(S[last]!);
      const dz = new Float64Array(S[last]!);
      for (let s = 0; s < S[last]!; s++) {
        let z = this.params[oOut + hL]!;
        for (let j = 0; j < hL; j++) z += this.params[oOut + j]! * vec[last]![s * hL + j]!;
        vl[s] = softplus(-y * z);
        dz[s] = -y * sigmoid(-y * z);
      }
      v[last] = vl;
      for (let l = last; l >= 1; l--) {
        const prev = new Float64Array(S[l - 1]!);
        const gl = new Float64Array(S[l - 1]! * H[l]!);
        const t = T[l]!;
        for (let sp = 0; sp < S[l - 1]!; sp++) {
          let acc = 0;
          for (let s = 0; s < S[l]!; s++) {
            const pv = t[sp * S[l]! + s]! * v[l]![s]!;
            acc += pv;
            for (let k = 0; k < H[l]!; k++) gl[sp * H[l]! + k]! += pv * vec[l]![s * H[l]! + k]!;
          }
          prev[sp] = acc;
          // d/da_k of sum_s p(s) V(s) = sum_s p(s) V(s) (x_k - mu_k) / 2
          for (let k = 0; k < H[l]!; k++) gl[sp * H[l]! + k] = (gl[sp * H[l]! + k]! - mean[l]![sp * H[l]! + k]! * acc) / 2;
        }
        v[l - 1] = prev;
        g[l] = gl;
      }
      V.push(v);
      G.push(g);
      dOut.push(dz);
    }
    // First layer per point; forward marginals summed per class.
    const C = this.cases;
    const a0 = new Float64Array(H[0]!);
    const p0 = new Float64Array(H[0]!);
    const dA0 = new Float64Array(H[0]!);
    const marginal = classes.map(() => new Float64Array(S[0]!));
    let total = 0;
    for (let c = 0; c < C; c++) {
      const ci = this.data.y[c]! > 0 ? 0 : 1;
      const v0 = V[ci]![0]!;
      this.preActivation(c, 0, null, a0);
      for (let k = 0; k < H[0]!; k++) p0[k] = sigmoid(a0[k]!);
      dA0.fill(0);
      let e = 0;
      const q = marginal[ci]!;
      for (let s = 0; s < S[0]!; s++) {
        let prob = 1;
        for (let k = 0; k < H[0]!; k++) prob *= (s >>> k) & 1 ? p0[k]! : 1 - p0[k]!;
        q[s]! += prob / C;
        const pv = prob * v0[s]!;
        e += pv;
        for (let k = 0; k < H[0]!; k++) dA0[k]! += pv * vec[0]![s * H[0]! + k]!;
      }
      for (let k = 0; k < H[0]!; k++) dA0[k] = (dA0[k]! - (2 * p0[k]! - 1) * e) / 2;
      total += e;
      this.backPreActivation(c, 0, null, dA0, 1 / C, grad, null);
    }
    // Deeper layers and the output layer from the class marginals.
    for (let ci = 0; ci < classes.length; ci++) {
      let q = marginal[ci]!;
      for (let l = 1; l <= K; l++) {
        const hp = H[l - 1]!;
        const Sp = S[l - 1]!;
        if (l === K) {
          const dz = dOut[ci]!;
          for (let sp = 0; sp < Sp; sp++) {
            const w = q[sp]! * dz[sp]!;
            for (let j = 0; j < hp; j++) grad[oOut + j]! += w * vec[l - 1]![sp * hp + j]!;
            grad[oOut + hp]! += w;
          }
          break;
        }
        const gl = G[ci]![l]!;
        const dA = new Float64Array(H[l]!);
        for (let sp = 0; sp < Sp; sp++) {
          if (q[sp] === 0) continue;
          for (let k = 0; k < H[l]!; k++) dA[k] = gl[sp * H[l]! + k]!;
          this.backPreActivation(0, l, vec[l - 1]!.subarray(sp * hp, (sp + 1) * hp), dA, q[sp]!, grad, null);
        }
        const next = new Float64Array(S[l]!);
        const t = T[l]!;
        for (let sp = 0; sp < Sp; sp++) {
          const w = q[sp]!;
          if (w === 0) continue;
          for (let s = 0; s < S[l]!; s++) next[s]! += w * t[sp * S[l]! + s]!;
        }
        q = next;
      }
    }
    return total / C;
  }

  /**
   * Full-batch Adam on the exact gradient (in the +-1 coordinates): the study's "exact-adam"
   * training. `onEpoch(e)` runs after step e (1-based), e.g. to keep checkpoints.
   */
  train(epochs: number, lr = 0.05, onEpoch?: (epoch: number) => void): number[] {
    const opt = adam({ lr });
    const state = opt.init(this.paramCount);
    const grad = new Float64Array(this.paramCount);
    const step = new Float64Array(this.paramCount);
    const losses: number[] = [];
    for (let e = 0; e < epochs; e++) {
      losses.push(this.exactGradient(grad));
      opt.update(grad, state, step);
      for (let i = 0; i < this.paramCount; i++) this.params[i]! += step[i]!;
      onEpoch?.(e + 1);
    }
    return losses;
  }

  /** The same network function on other points (parameters shared by copy). */
  withData(data: LabelledPoints): StochasticBinaryNetwork {
    const net = new StochasticBinaryNetwork(this.sizes, data, null);
    net.params.set(this.params);
    return net;
  }
}
