/**
 * Leaky integrate-and-fire layers in the DECOLLE form used by BiSNN (Jang, Skatchkovsky &
 * Simeone 2020; kclip/BayesBiSNN, model/LIF_base.py). Per layer, per time step t, with input
 * spikes x_t in {0,1}^in, weights W (out x in) and scale c = 1/sqrt(in):
 *   P_t = alpha P_{t-1} + Q_{t-1}        (membrane trace of the inputs, alpha = e^(-1/10))
 *   Q_t = beta  Q_{t-1} + x_t            (synaptic trace,                beta  = e^(-1/2))
 *   R_t = gamma R_{t-1} + s_{t-1}        (refractory trace,              gamma = e^(-1/8))
 *   U_t = c W P_t - R_t,   s_t = 1[U_t >= 0]
 * and a fixed random +-1 readout per layer, y_t = (1/sqrt(out)) B s_t, trained through a local
 * loss (binary cross-entropy for one output, softmax cross-entropy otherwise) at every step
 * t >= burnin. The backward pass replaces ds/dU by the box surrogate 1[|U| <= 1/2].
 *
 * The traces are linear in the inputs, so W P_t is the same recursion run on the drive
 * W x_t: we filter the out-dimensional drive instead of the in-dimensional inputs. With binary
 * weights and binary spikes that drive is an XNOR-popcount dot product (`binaryDrive`), the
 * integer kernels of src/xnor; the relaxed pass (`realDrive`) sums real weights over the active
 * inputs. Both give the drive exactly (integers are exact in doubles), so a binary network
 * computes the same spikes on both paths.
 *
 * Gradients. `decolle` (the authors' rule) differentiates each layer's local loss at each step
 * with the layer's inputs and its refractory trace held fixed (the authors detach both);
 * `bptt` is the full gradient through time and across layers. With the `smooth` spike
 * s = clamp(U + 1/2, 0, 1), whose derivative is exactly the box surrogate, `bptt` is the exact
 * gradient of a differentiable model; the tests check it against finite differences.
 */
import type { PackedMatrix } from '../../src/core/bits.js';
import { packRows } from '../../src/core/bits.js';
import { xnorGemm } from '../../src/xnor/dot.js';

/** The DECOLLE constants of the BiSNN reference (tau_mem 10, tau_syn 2, tau_ref 8, box 1/2). */
export const LIF = {
  alpha: Math.exp(-1 / 10),
  beta: Math.exp(-1 / 2),
  gamma: Math.exp(-1 / 8),
  surrogateHalfWidth: 0.5,
} as const;

export type SpikeFunction = 'hard' | 'smooth';
export type GradientRule = 'decolle' | 'bptt';

export interface LifLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** index of the layer's first weight in the flat vector (out x in, row-major) */
  readonly offset: number;
  /** c = 1/sqrt(inputs): the authors' fan-in scaling of the synaptic drive */
  readonly scale: number;
  /** fixed +-1 readout, classes' x outputs */
  readonly readout: Int8Array;
  readonly readoutScale: number;
}

export interface LifNetwork {
  readonly layers: readonly LifLayer[];
  /** readout units: 1 (two classes, logistic) or the number of classes (softmax) */
  readonly units: number;
  readonly steps: number;
  readonly burnin: number;
}

/** One layer's trajectory over a batch: rows = batch x steps (row b * steps + t). */
export interface LayerTrace {
  /** membrane potential U */
  u: Float64Array;
  /** spikes s (0/1 with the hard spike, in [0,1] with the smooth one) */
  s: Float64Array;
}

/** The drive W x for every row of a packed 0/1 input (bit set = spike) and +-1 weights. */
export function binaryDrive(input: PackedMatrix, weights: PackedMatrix, rowSums: Int32Array): Float64Array {
  // a = 2x - 1 is the +-1 vector with the same bits, so <w, x> = (<w, a> + sum(w)) / 2
  const dots = xnorGemm(input, weights);
  const H = weights.rows;
  const out = new Float64Array(dots.length);
  for (let r = 0; r < input.rows; r++) for (let j = 0; j < H; j++) out[r * H + j] = (dots[r * H + j]! + rowSums[j]!) / 2;
  return out;
}

/** The drive W x for real inputs (rows x in) and real weights, skipping the zero inputs. */
export function realDrive(x: Float64Array, rows: number, layer: LifLayer, w: ArrayLike<number>): Float64Array {
  const { inputs: d, outputs: h, offset } = layer;
  const wt = new Float64Array(d * h);
  for (let j = 0; j < h; j++) for (let i = 0; i < d; i++) wt[i * h + j] = w[offset + j * d + i]!;
  const out = new Float64Array(rows * h);
  for (let r = 0; r < rows; r++) {
    const zr = r * h;
    for (let i = 0; i < d; i++) {
      const v = x[r * d + i]!;
      if (v === 0) continue;
      const wi = i * h;
      if (v === 1) for (let j = 0; j < h; j++) out[zr + j]! += wt[wi + j]!;
      else for (let j = 0; j < h; j++) out[zr + j]! += v * wt[wi + j]!;
    }
  }
  return out;
}

/** The LIF recursion over `steps` for each of `batch` samples, from the drive W x_t. */
export function integrate(drive: Float64Array, batch: number, steps: number, layer: LifLayer, spike: SpikeFunction): LayerTrace {
  const h = layer.outputs;
  const { alpha, beta, gamma } = LIF;
  const c = layer.scale;
  const u = new Float64Array(drive.length);
  const s = new Float64Array(drive.length);
  const p = new Float64Array(h);
  const q = new Float64Array(h);
  const r = new Float64Array(h);
  for (let b = 0; b < batch; b++) {
    p.fill(0);
    q.fill(0);
    r.fill(0);
    for (let t = 0; t < steps; t++) {
      const row = (b * steps + t) * h;
      const prev = row - h;
      for (let j = 0; j < h; j++) {
        p[j] = alpha * p[j]! + q[j]!;
        q[j] = beta * q[j]! + drive[row + j]!;
        r[j] = gamma * r[j]! + (t > 0 ? s[prev + j]! : 0);
        const uj = c * p[j]! - r[j]!;
        u[row + j] = uj;
        s[row + j] = spike === 'hard' ? (uj >= 0 ? 1 : 0) : Math.min(1, Math.max(0, uj + 0.5));
      }
    }
  }
  return { u, s };
}

/** The box surrogate of ds/dU (and the exact derivative of the smooth spike). */
export function surrogate(u: number): number {
  return u >= -LIF.surrogateHalfWidth && u <= LIF.surrogateHalfWidth ? 1 : 0;
}

/** Readout scores y_t = readoutScale * B s_t of every row (rows x units). */
export function readoutScores(net: LifNetwork, layer: LifLayer, s: Float64Array, rows: number): Float64Array {
  const { units } = net;
  const h = layer.outputs;
  const y = new Float64Array(rows * units);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < units; k++) {
      let acc = 0;
      const bk = k * h;
      for (let j = 0; j < h; j++) {
        const v = s[r * h + j]!;
        if (v !== 0) acc += layer.readout[bk + j]! * v;
      }
      y[r * units + k] = acc * layer.readoutScale;
    }
  }
  return y;
}

/**
 * Local loss of one score row with `label` (logistic for one unit, softmax cross-entropy
 * otherwise), adding d loss / d y times `weight` into dy at `offset` when given.
 */
export function rowLoss(y: Float64Array, offset: number, units: number, label: number, dy?: Float64Array, weight = 1): number {
  if (units === 1) {
    const z = y[offset]!;
    const t = label === 1 ? 1 : 0;
    // BCE with logits: log(1 + e^z) - t z, written stably
    const loss = Math.max(z, 0) - t * z + Math.log1p(Math.exp(-Math.abs(z)));
    if (dy) dy[offset]! += weight * (1 / (1 + Math.exp(-z)) - t);
    return loss;
  }
  let max = -Infinity;
  for (let k = 0; k < units; k++) max = Math.max(max, y[offset + k]!);
  let sum = 0;
  for (let k = 0; k < units; k++) sum += Math.exp(y[offset + k]! - max);
  if (dy) for (let k = 0; k < units; k++) dy[offset + k]! += weight * (Math.exp(y[offset + k]! - max) / sum - (k === label ? 1 : 0));
  return Math.log(sum) + max - y[offset + label]!;
}

/** Spikes as packed bits (rows x outputs), the next layer's binary input. */
export function packSpikes(s: Float64Array, rows: number, outputs: number): PackedMatrix {
  // packRows reads >= 0 as a set bit; map 0 -> -1 so only spikes are set
  const signs = new Int8Array(s.length);
  for (let k = 0; k < s.length; k++) signs[k] = s[k]! > 0 ? 1 : -1;
  return packRows(signs, rows, outputs);
}

export interface ForwardResult {
  traces: LayerTrace[];
  /** inputs of each layer as real rows (batch x steps x inputs) */
  inputs: Float64Array[];
  /** summed local loss over layers and steps t >= burnin, averaged over the batch */
  loss: number;
}

/**
 * The relaxed forward pass over a batch (real weights w), from the batch's input spikes as
 * real rows (batch x steps x inputs of layer 0).
 */
export function relaxedForward(net: LifNetwork, w: ArrayLike<number>, input: Float64Array, labels: ArrayLike<number>, spike: SpikeFunction): ForwardResult {
  const batch = labels.length;
  const rows = batch * net.steps;
  const traces: LayerTrace[] = [];
  const inputs: Float64Array[] = [];
  let x = input;
  let loss = 0;
  for (const layer of net.layers) {
    inputs.push(x);
    const trace = integrate(realDrive(x, rows, layer, w), batch, net.steps, layer, spike);
    traces.push(trace);
    loss += localLoss(net, layer, trace.s, labels);
    x = trace.s;
  }
  return { traces, inputs, loss };
}

/** A layer's local loss: summed over steps t >= burnin, averaged over the batch. */
export function localLoss(net: LifNetwork, layer: LifLayer, s: Float64Array, labels: ArrayLike<number>, dy?: Float64Array): number {
  const batch = labels.length;
  const rows = batch * net.steps;
  const y = readoutScores(net, layer, s, rows);
  let total = 0;
  for (let b = 0; b < batch; b++) {
    for (let t = net.burnin; t < net.steps; t++) total += rowLoss(y, (b * net.steps + t) * net.units, net.units, labels[b]!, dy, 1 / batch);
  }
  return total / batch;
}

/**
 * The gradient of the batch loss of `relaxedForward` with respect to w, written into grad
 * (zeroed first). `decolle`: local losses, inputs and refractory trace held fixed; `bptt`: the
 * full chain through the refractory traces and the layers below.
 */
export function backward(net: LifNetwork, w: ArrayLike<number>, fwd: ForwardResult, labels: ArrayLike<number>, rule: GradientRule, grad: Float64Array): void {
  grad.fill(0);
  const batch = labels.length;
  const T = net.steps;
  const rows = batch * T;
  const { alpha, beta, gamma } = LIF;
  const full = rule === 'bptt';
  // d loss / d s from the layer above (bptt only), rows x outputs of the current layer
  let fromAbove: Float64Array | undefined;
  for (let l = net.layers.length - 1; l >= 0; l--) {
    const layer = net.layers[l]!;
    const { inputs: d, outputs: h, offset, scale: c } = layer;
    const { u, s } = fwd.traces[l]!;
    const x = fwd.inputs[l]!;
    const dy = new Float64Array(rows * net.units);
    localLoss(net, layer, s, labels, dy);
    // d loss / d s through the fixed readout
    const gs = new Float64Array(rows * h);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < net.units; k++) {
        const g = dy[r * net.units + k]!;
        if (g === 0) continue;
        const bk = k * h;
        for (let j = 0; j < h; j++) gs[r * h + j]! += g * layer.readout[bk + j]! * layer.readoutScale;
      }
    }
    if (full && fromAbove) for (let k = 0; k < gs.length; k++) gs[k]! += fromAbove[k]!;
    const needBelow = full && l > 0;
    const gx = needBelow ? new Float64Array(rows * d) : undefined;
    // the input traces P_t of one sample, forward in time, kept for its backward sweep
    const P = new Float64Array(T * d);
    const q = new Float64Array(d);
    const gr = new Float64Array(h);
    const gu = new Float64Array(h);
    const gp = new Float64Array(d);
    const gq = new Float64Array(d);
    for (let b = 0; b < batch; b++) {
      q.fill(0);
      for (let t = 0; t < T; t++) {
        const base = t * d;
        const xrow = (b * T + t) * d;
        for (let i = 0; i < d; i++) {
          P[base + i] = (t > 0 ? alpha * P[base - d + i]! : 0) + q[i]!;
          q[i] = beta * q[i]! + x[xrow + i]!;
        }
      }
      gr.fill(0);
      gp.fill(0);
      gq.fill(0);
      for (let t = T - 1; t >= 0; t--) {
        const row = (b * T + t) * h;
        let any = false;
        for (let j = 0; j < h; j++) {
          // gr holds d loss / d R_{t+1}; R_{t+1} = gamma R_t + s_t
          const gsj = gs[row + j]! + (full ? gr[j]! : 0);
          const g = gsj * surrogate(u[row + j]!);
          gu[j] = g;
          if (g !== 0) any = true;
          if (full) gr[j] = gamma * gr[j]! - g;
        }
        if (any) {
          const base = t * d;
          for (let j = 0; j < h; j++) {
            const g = gu[j]!;
            if (g === 0) continue;
            const cg = c * g;
            const wrow = offset + j * d;
            for (let i = 0; i < d; i++) grad[wrow + i]! += cg * P[base + i]!;
          }
        }
        if (gx) {
          // Q_{t+1} = beta Q_t + x_{t+1} and P_{t+1} = alpha P_t + Q_t: d/dQ_t, then x_t's share
          const xrow = (b * T + t) * d;
          for (let i = 0; i < d; i++) {
            const gqt = beta * gq[i]! + gp[i]!;
            gx[xrow + i] = gqt;
            let back = 0;
            if (any) for (let j = 0; j < h; j++) if (gu[j] !== 0) back += w[offset + j * d + i]! * gu[j]!;
            gp[i] = c * back + alpha * gp[i]!;
            gq[i] = gqt;
          }
        }
      }
    }
    if (gx) {
      // x of this layer is s of the layer below: with smooth spikes ds/dU is folded in below
      fromAbove = gx;
    }
  }
}
