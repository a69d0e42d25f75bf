/**
 * The relaxed minibatch pass of an `mlp` problem (problems/mlp.ts): loss and gradient at real
 * weights, batch-norm statistics of the minibatch, straight through the sign activations (clipped
 * to |normalised z| <= 1) or through relu / htanh.
 *
 * Where a layer's input is ±1 (the binarised inputs; hidden layers with act=sign),
 * z = W a = 2 * (sum of W's columns where a = +1) - (sum of all columns), and the weight gradient
 * has the same form, so the forward and weight-gradient loops run over the +1 inputs only: the
 * training inputs' +1 positions are listed once (CSR), a sign layer's are listed as it is computed.
 * Where the weights are ±1 too (ste steps at sign(u)), the forward runs on the XNOR kernels.
 * Every buffer is allocated once per minibatch size and reused: a training step allocates only
 * the batch-norm statistics. The sums run in the same order as the plain loops they replace
 * (inputs ascending, then samples ascending), so the results are the same to the last bit.
 */
import { wordsFor, type PackedMatrix } from '../src/core/bits.js';
import type { Activation } from '../src/formats/model.js';
import type { XnorBackend } from '../src/xnor/backend.js';
import { defaultXnorBackend } from '../src/xnor/index.js';
import { activate, columnStats } from '../src/xnor/bnn-forward.js';
import { addRows, addScaledRows, RowSumsArena, rowSumsUnavailable } from '../src/numerics/row-sums.js';
import { WASM_ARENA_MAX_BYTES, type F64Block, type I32Block } from '../src/core/wasm-arena.js';
import { WASM_PAGE } from '../src/core/wasm.js';
import type { Rng } from '../src/numerics/rng.js';

export interface RelaxedLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** index of the layer's first weight in the flat weight vector (outputs x inputs, row-major) */
  readonly offset: number;
}

/** dLoss/dscores (divided by the row count) into `dScores`; returns the mean loss. */
export type ClassLoss = (scores: Float64Array, labels: ArrayLike<number>, rows: number, cols: number, dScores: Float64Array) => number;

/** The +1 positions of each row of a rows x width ±1 matrix: row r's are index[start[r] .. start[r + 1]). */
export interface ActiveLists {
  readonly start: Int32Array;
  readonly index: Int32Array;
}

export function activeLists(signs: Int8Array, rows: number, width: number): ActiveLists {
  const start = new Int32Array(rows + 1);
  let count = 0;
  for (let k = 0; k < signs.length; k++) if (signs[k]! > 0) count++;
  const index = new Int32Array(count);
  let at = 0;
  for (let r = 0; r < rows; r++) {
    start[r] = at;
    const base = r * width;
    for (let i = 0; i < width; i++) if (signs[base + i]! > 0) index[at++] = i;
  }
  start[rows] = at;
  return { start, index };
}

/** The ±1 inputs of one minibatch: row b's +1 positions are index[start[b] .. start[b + 1]) (ascending); its packed row is at b * words. */
export interface BatchInputs {
  readonly start: Int32Array;
  readonly index: Int32Array;
  readonly packed: Uint32Array;
}

/** What the relaxed pass feeds its first layer instead of the training rows (problems/mlp-shift.ts translates them). */
export interface InputAugmentation {
  /** the augmented inputs of training rows `batch`, in batch order */
  batch(batch: Int32Array): BatchInputs;
}

/** Tile edge of the blocked transposes (weights to inputs-major, gradient back). */
const TILE = 32;

/**
 * The first layer's buffers in WebAssembly memory, where its row sums (forward and weight
 * gradient over the ±1 inputs, src/numerics/row-sums.ts) run: the workspace's wt[0], gt[0],
 * delta[0] and z[0] are views of these blocks, so the JavaScript code around them is unchanged.
 */
interface FirstLayerArena {
  arena: RowSumsArena;
  wt: F64Block;
  gt: F64Block;
  delta: F64Block;
  z: F64Block;
  /** the batch's +1 inputs, row b's at index[from[b] .. to[b]) (the forward at real weights) */
  index: I32Block;
  from: I32Block;
  to: I32Block;
  /** the gradient's per-input sample lists: colStart (d + 1) and samples (up to B d) */
  colStart: I32Block;
  samples: I32Block;
}

/** Which implementation runs the first layer's row sums: 'wasm' where it can run here, else 'js'. */
export function defaultRowSums(): 'wasm' | 'js' {
  return rowSumsUnavailable() === undefined ? 'wasm' : 'js';
}

/** Per-minibatch-size buffers. */
interface Workspace {
  batch: number;
  first?: FirstLayerArena;
  /** W^T per layer (inputs x outputs): input i's outgoing weights contiguous */
  wt: Float64Array[];
  colSum: Float64Array[];
  /** pre-activations, normalised in place (batch x outputs) per layer */
  z: Float64Array[];
  /** the input of layer l + 1 for real activations (batch x outputs of layer l) */
  real: Float64Array[];
  /** with dropout: 1 where hidden unit (b, j) of layer l was kept in this pass, else 0 */
  kept: Uint8Array[];
  /** +1 positions of each sample of a hidden sign layer: sample b's are at b * width, `count[b]` of them */
  signIndex: Int32Array[];
  signCount: Int32Array[];
  /** the weight gradient of a layer, inputs-major */
  gt: Float64Array[];
  deltaSum: Float64Array[];
  /** dLoss/dz per layer (batch x outputs) */
  delta: Float64Array[];
  labels: Int32Array;
  /** per layer: its weights packed (outputs x words), its ±1 inputs packed (batch x words), the XNOR products */
  packedW: Uint32Array[];
  packedActs: Uint32Array[];
  gemmOut: Int32Array[];
  /** the non-zero positions of one row or column of real activations, and their values */
  nonZeros: Int32Array;
  nonZeroValues: Float64Array;
  /** per layer with ±1 inputs: the samples of each input, gathered for the weight gradient */
  lists: Lists[];
}

/** Sample b's +1 inputs are index[rowFrom[b] .. rowTo[b]); input i's samples are samples[colStart[i] .. colStart[i + 1]). */
interface Lists {
  rowFrom: Int32Array;
  rowTo: Int32Array;
  colStart: Int32Array;
  fill: Int32Array;
  /** grown to the batch's count of +1 inputs */
  samples: Int32Array;
}

export class RelaxedPass {
  private work?: Workspace;

  constructor(
    private readonly layers: readonly RelaxedLayer[],
    private readonly inputs: ActiveLists,
    private readonly labels: Int32Array,
    private readonly activation: Activation,
    private readonly gain: number,
    private readonly bnBackward: 'full' | 'frozen',
    private readonly classLoss: ClassLoss,
    /** the training inputs packed (src/core/bits.ts), for the XNOR forward */
    private readonly packedInputs: PackedMatrix,
    private readonly backend: XnorBackend = defaultXnorBackend(),
    /**
     * Inverted dropout on real hidden activations (training passes only): each unit of each sample
     * is kept with probability 1 - p and then scaled by 1 / (1 - p), drawn from `dropout.rng`
     * (layer by layer, sample-major, one float per unit) on every call.
     */
    private readonly dropout?: { p: number; rng: Rng },
    /** random translations of the training images (problems/mlp-shift.ts), drawn on every call */
    private readonly shift?: InputAugmentation,
    /** the first layer's row sums in WebAssembly SIMD or in JavaScript (the same bits) */
    private readonly rowSums: 'wasm' | 'js' = defaultRowSums(),
  ) {
    if (dropout && activation === 'sign') throw new RangeError('dropout needs real activations');
  }

  private workspace(B: number): Workspace {
    if (this.work && this.work.batch === B) return this.work;
    const hidden = this.layers.slice(0, -1);
    const first = this.firstLayerArena(B);
    // layer 0's buffers are the arena's blocks where it runs there, plain arrays otherwise
    const f64For = (l: number, length: number, block?: F64Block) => (l === 0 && block ? block.view : new Float64Array(length));
    this.work = {
      batch: B,
      ...(first ? { first } : {}),
      wt: this.layers.map((L, l) => f64For(l, L.inputs * L.outputs, first?.wt)),
      colSum: this.layers.map((L) => new Float64Array(L.outputs)),
      z: this.layers.map((L, l) => f64For(l, B * L.outputs, first?.z)),
      real: this.activation === 'sign' ? [] : hidden.map((L) => new Float64Array(B * L.outputs)),
      kept: this.dropout ? hidden.map((L) => new Uint8Array(B * L.outputs)) : [],
      signIndex: this.activation === 'sign' ? hidden.map((L) => new Int32Array(B * L.outputs)) : [],
      signCount: this.activation === 'sign' ? hidden.map(() => new Int32Array(B)) : [],
      gt: this.layers.map((L, l) => f64For(l, L.inputs * L.outputs, first?.gt)),
      deltaSum: this.layers.map((L) => new Float64Array(L.outputs)),
      delta: this.layers.map((L, l) => f64For(l, B * L.outputs, first?.delta)),
      labels: new Int32Array(B),
      packedW: this.layers.map((L) => new Uint32Array(L.outputs * wordsFor(L.inputs))),
      packedActs: this.layers.map((L, l) => (l === 0 || this.activation === 'sign' ? new Uint32Array(B * wordsFor(L.inputs)) : new Uint32Array(0))),
      gemmOut: this.layers.map((L) => new Int32Array(B * L.outputs)),
      nonZeros: new Int32Array(Math.max(B, ...this.layers.map((L) => L.inputs))),
      nonZeroValues: new Float64Array(Math.max(B, ...this.layers.map((L) => L.inputs))),
      lists: this.layers.map((L, l) => ({
        rowFrom: new Int32Array(B),
        rowTo: new Int32Array(B),
        colStart: l === 0 && first ? first.colStart.view : new Int32Array(L.inputs + 1),
        fill: new Int32Array(L.inputs),
        // the arena's list holds the most a batch can have (B d), so it is never regrown
        samples: l === 0 && first ? first.samples.view : new Int32Array(0),
      })),
    };
    return this.work;
  }

  /** The first layer's blocks in WebAssembly memory for batches of B, or undefined where its sums run in JavaScript. */
  private firstLayerArena(B: number): FirstLayerArena | undefined {
    if (this.rowSums !== 'wasm') return undefined;
    const { inputs: d, outputs: h } = this.layers[0]!;
    const f64 = [d * h, d * h, B * h, B * h].map((n) => 8 * n);
    const i32 = [B * d, B, B, d + 1, B * d].map((n) => 4 * n);
    const bytes = RowSumsArena.bytesFor(...f64, ...i32);
    // a first layer too large for one WebAssembly memory (2 GiB here) keeps the JavaScript sums
    if (bytes + 2 * WASM_PAGE > WASM_ARENA_MAX_BYTES) return undefined;
    const arena = new RowSumsArena(bytes);
    return { arena, wt: arena.f64(d * h), gt: arena.f64(d * h), delta: arena.f64(B * h), z: arena.f64(B * h), index: arena.i32(B * d), from: arena.i32(B), to: arena.i32(B), colStart: arena.i32(d + 1), samples: arena.i32(B * d) };
  }

  /** Loss on the training rows `batch` at real weights x; writes its gradient into `grad`. */
  run(x: Float64Array, batch: Int32Array, grad: Float64Array): number {
    const B = batch.length;
    const L = this.layers.length;
    const ws = this.workspace(B);
    const real = this.activation !== 'sign';
    const invStds: Float64Array[] = [];
    // the first layer's inputs: the training rows themselves, or their translations (row b of `fed`)
    const fed = this.shift?.batch(batch);
    for (let l = 0; l < L; l++) {
      const { inputs: d, outputs: h, offset } = this.layers[l]!;
      const Wt = ws.wt[l]!;
      const colSum = ws.colSum[l]!;
      const z = ws.z[l]!;
      const signInputs = l === 0 || !real;
      const words = wordsFor(d);
      if (signInputs && packWeightSigns(x, offset, h, d, ws.packedW[l]!)) {
        // ±1 inputs and ±1 weights (ste's steps, every binary network): z = <w_j, a> on the XNOR
        // kernels. Both sums are of integers below 2^53, so z is the same number either way.
        const acts = ws.packedActs[l]!;
        if (l === 0 && fed) acts.set(fed.packed.subarray(0, B * words));
        else if (l === 0) {
          const src = this.packedInputs.data;
          for (let b = 0; b < B; b++) acts.set(src.subarray(batch[b]! * words, (batch[b]! + 1) * words), b * words);
        }
        const out = this.backend.gemm({ rows: B, bits: d, words, data: acts }, { rows: h, bits: d, words, data: ws.packedW[l]! }, ws.gemmOut[l]!);
        for (let k = 0; k < B * h; k++) z[k] = out[k]!;
        // the next layer's backward pass reads W^T (the first layer's is not needed)
        if (l > 0) transposeIn(x, offset, h, d, Wt, colSum);
      } else {
        transposeIn(x, offset, h, d, Wt, colSum);
        if (l === 0) this.sumActiveInputs(batch, fed, Wt, colSum, h, z, ws.first);
        else if (!real) sumActiveRows(ws.signIndex[l - 1]!, ws.signCount[l - 1]!, d, B, Wt, colSum, h, z);
        else sumRealRows(ws.real[l - 1]!, B, d, Wt, h, z, ws.nonZeros, ws.nonZeroValues);
      }
      const { mean, invStd } = columnStats(z, B, h);
      invStds.push(invStd);
      if (l < L - 1 && !real) listSigns(z, mean, B, h, ws.signIndex[l]!, ws.signCount[l]!, ws.packedActs[l + 1]!);
      const g = l === L - 1 ? this.gain : 1;
      for (let b = 0; b < B; b++) for (let j = 0; j < h; j++) z[b * h + j] = (z[b * h + j]! - mean[j]!) * invStd[j]! * g;
      if (l < L - 1 && real) {
        const a = ws.real[l]!;
        for (let k = 0; k < B * h; k++) a[k] = activate(this.activation, z[k]!);
        if (this.dropout) dropUnits(a, B * h, this.dropout, ws.kept[l]!);
      }
    }
    const labels = ws.labels;
    for (let b = 0; b < B; b++) labels[b] = this.labels[batch[b]!]!;
    const hOut = this.layers[L - 1]!.outputs;
    let delta = ws.delta[L - 1]!;
    const loss = this.classLoss(ws.z[L - 1]!, labels, B, hOut, delta);
    for (let l = L - 1; l >= 0; l--) {
      const { inputs: d, outputs: h, offset } = this.layers[l]!;
      const g = l === L - 1 ? this.gain : 1;
      this.throughBatchNorm(delta, ws.z[l]!, invStds[l]!, B, h, g);
      const Gt = ws.gt[l]!;
      const deltaSum = ws.deltaSum[l]!;
      if (l === 0 || !real) {
        const lists = ws.lists[l]!;
        if (l === 0 && fed) {
          for (let b = 0; b < B; b++) {
            lists.rowFrom[b] = fed.start[b]!;
            lists.rowTo[b] = fed.start[b + 1]!;
          }
        } else if (l === 0) {
          const { start } = this.inputs;
          for (let b = 0; b < B; b++) {
            lists.rowFrom[b] = start[batch[b]!]!;
            lists.rowTo[b] = start[batch[b]! + 1]!;
          }
        } else {
          const count = ws.signCount[l - 1]!;
          for (let b = 0; b < B; b++) {
            lists.rowFrom[b] = b * d;
            lists.rowTo[b] = b * d + count[b]!;
          }
        }
        gradientFromLists(lists, l > 0 ? ws.signIndex[l - 1]! : fed ? fed.index : this.inputs.index, B, d, delta, h, Gt, deltaSum, l === 0 ? ws.first : undefined);
        transposeOut(Gt, deltaSum, true, offset, h, d, grad);
      } else {
        gradientRealRows(ws.real[l - 1]!, B, d, delta, h, Gt, ws.nonZeros, ws.nonZeroValues);
        transposeOut(Gt, deltaSum, false, offset, h, d, grad);
      }
      if (l === 0) break;
      // back to the previous layer's normalised pre-activations: straight through sign (clipped),
      // or the derivative of relu / htanh
      const prev = ws.delta[l - 1]!;
      backToPrevious(ws.wt[l]!, delta, ws.z[l - 1]!, B, d, h, this.activation === 'relu', prev);
      if (this.dropout) {
        // through the dropout mask: the kept units' outputs were scaled by 1 / (1 - p)
        const kept = ws.kept[l - 1]!;
        const keepScale = 1 / (1 - this.dropout.p);
        for (let k = 0; k < B * d; k++) prev[k] = kept[k] ? prev[k]! * keepScale : 0;
      }
      delta = prev;
    }
    return loss;
  }

  /** dLoss/dzhat -> dLoss/dz, in place: through the batch statistics (bn=full) or holding them (frozen). */
  private throughBatchNorm(delta: Float64Array, zhat: Float64Array, invStd: Float64Array, B: number, h: number, g: number): void {
    if (this.bnBackward === 'frozen') {
      // statistics held constant: dLoss/dz = dLoss/dzhat * g / sigma
      for (let b = 0; b < B; b++) for (let j = 0; j < h; j++) delta[b * h + j]! *= invStd[j]! * g;
      return;
    }
    // with xhat = (z - mu) / sigma and d = dLoss/dxhat,
    // dLoss/dz = (d - mean_b d - xhat * mean_b(d xhat)) / sigma
    const m1 = new Float64Array(h);
    const m2 = new Float64Array(h);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < h; j++) {
        const d = delta[b * h + j]! * g;
        m1[j]! += d;
        m2[j]! += (d * zhat[b * h + j]!) / g;
      }
    }
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < h; j++) {
        const d = delta[b * h + j]! * g;
        delta[b * h + j] = (d - m1[j]! / B - ((zhat[b * h + j]! / g) * m2[j]!) / B) * invStd[j]!;
      }
    }
  }

  /** z[b] = 2 * (sum of W^T rows at the +1 inputs of training row batch[b], or of row b of `fed`) - colSum. */
  private sumActiveInputs(batch: Int32Array, fed: BatchInputs | undefined, Wt: Float64Array, colSum: Float64Array, h: number, z: Float64Array, first?: FirstLayerArena): void {
    const { start, index } = fed ?? this.inputs;
    if (first) {
      // the batch's +1 inputs gathered into the arena, then the sums there
      const { index: at, from, to } = first;
      let k = 0;
      for (let b = 0; b < batch.length; b++) {
        const r = fed ? b : batch[b]!;
        from.view[b] = k;
        at.view.set(index.subarray(start[r]!, start[r + 1]!), k);
        k += start[r + 1]! - start[r]!;
        to.view[b] = k;
      }
      first.arena.gatherSums(batch.length, from, 0, to, 0, at, first.wt, h, first.z);
      for (let b = 0; b < batch.length; b++) finishSignSum(z, b * h, colSum, h);
      return;
    }
    z.fill(0);
    for (let b = 0; b < batch.length; b++) {
      const r = fed ? b : batch[b]!;
      addRows(index, start[r]!, start[r + 1]!, Wt, h, z, b * h);
      finishSignSum(z, b * h, colSum, h);
    }
  }
}

/** Inverted dropout in place on a[0 .. count): kept with probability 1 - p (rng.float() >= p), then scaled by 1 / (1 - p). */
function dropUnits(a: Float64Array, count: number, dropout: { p: number; rng: Rng }, kept: Uint8Array): void {
  const { p, rng } = dropout;
  const keepScale = 1 / (1 - p);
  for (let k = 0; k < count; k++) {
    const keep = rng.float() >= p;
    kept[k] = keep ? 1 : 0;
    a[k] = keep ? a[k]! * keepScale : 0;
  }
}

/** Wt (d x h) = the layer's weights (h x d at offset) transposed, in tiles; colSum[j] = sum_i W_ji (i ascending). */
function transposeIn(x: Float64Array, offset: number, h: number, d: number, Wt: Float64Array, colSum: Float64Array): void {
  for (let j = 0; j < h; j++) {
    const base = offset + j * d;
    let s = 0;
    for (let i = 0; i < d; i++) s += x[base + i]!;
    colSum[j] = s;
  }
  for (let j0 = 0; j0 < h; j0 += TILE) {
    const j1 = Math.min(h, j0 + TILE);
    for (let i0 = 0; i0 < d; i0 += TILE) {
      const i1 = Math.min(d, i0 + TILE);
      for (let j = j0; j < j1; j++) {
        const base = offset + j * d;
        for (let i = i0; i < i1; i++) Wt[i * h + j] = x[base + i]!;
      }
    }
  }
}

/** grad (h x d at offset) = Gt transposed: 2 Gt - deltaSum where the inputs were ±1 (`signs`), else Gt. */
function transposeOut(Gt: Float64Array, deltaSum: Float64Array, signs: boolean, offset: number, h: number, d: number, grad: Float64Array): void {
  for (let j0 = 0; j0 < h; j0 += TILE) {
    const j1 = Math.min(h, j0 + TILE);
    for (let i0 = 0; i0 < d; i0 += TILE) {
      const i1 = Math.min(d, i0 + TILE);
      for (let j = j0; j < j1; j++) {
        const base = offset + j * d;
        if (signs) {
          const s = deltaSum[j]!;
          for (let i = i0; i < i1; i++) grad[base + i] = 2 * Gt[i * h + j]! - s;
        } else {
          for (let i = i0; i < i1; i++) grad[base + i] = Gt[i * h + j]!;
        }
      }
    }
  }
}

/**
 * The weight gradient of a layer with ±1 inputs, inputs-major: Gt row i = sum of delta rows b
 * (ascending) over the samples whose input i is +1, four samples per pass (left to right, rounded
 * as one sample at a time would be), and deltaSum = sum of all delta rows. The samples of each
 * input are gathered first from the per-sample lists (rows[b] .. rowsEnd[b] of `index`).
 */
function gradientFromLists(lists: Lists, index: Int32Array, B: number, d: number, delta: Float64Array, h: number, Gt: Float64Array, deltaSum: Float64Array, first?: FirstLayerArena): void {
  const { rowFrom, rowTo, colStart } = lists;
  colStart.fill(0);
  for (let b = 0; b < B; b++) for (let k = rowFrom[b]!; k < rowTo[b]!; k++) colStart[index[k]! + 1]!++;
  for (let i = 0; i < d; i++) colStart[i + 1]! += colStart[i]!;
  const total = colStart[d]!;
  if (lists.samples.length < total) lists.samples = new Int32Array(total);
  const samples = lists.samples;
  const fill = lists.fill;
  fill.set(colStart.subarray(0, d));
  for (let b = 0; b < B; b++) for (let k = rowFrom[b]!; k < rowTo[b]!; k++) samples[fill[index[k]!]!++] = b;
  deltaSum.fill(0);
  for (let b = 0; b < B; b++) for (let j = 0; j < h; j++) deltaSum[j]! += delta[b * h + j]!;
  if (first) {
    // input i's samples run from colStart[i] to colStart[i + 1]: the same block, shifted by one
    first.arena.gatherSums(d, first.colStart, 0, first.colStart, 1, first.samples, first.delta, h, first.gt);
    return;
  }
  for (let i = 0; i < d; i++) {
    const gi = i * h;
    for (let j = 0; j < h; j++) Gt[gi + j] = 0;
    addRows(samples, colStart[i]!, colStart[i + 1]!, delta, h, Gt, gi);
  }
}

function finishSignSum(z: Float64Array, zb: number, colSum: Float64Array, h: number): void {
  for (let j = 0; j < h; j++) z[zb + j] = 2 * z[zb + j]! - colSum[j]!;
}

/** A hidden sign layer's +1 positions (z >= mean) per sample, ascending, and the same signs packed (B x words). */
function listSigns(z: Float64Array, mean: Float64Array, B: number, h: number, index: Int32Array, count: Int32Array, packed: Uint32Array): void {
  const words = wordsFor(h);
  packed.fill(0, 0, B * words);
  for (let b = 0; b < B; b++) {
    let c = 0;
    const zb = b * h;
    for (let j = 0; j < h; j++) {
      if (z[zb + j]! >= mean[j]!) {
        index[zb + c++] = j;
        packed[b * words + (j >>> 5)]! |= 1 << (j & 31);
      }
    }
    count[b] = c;
  }
}

/** Whether typed arrays are little-endian here (x86, ARM): packWeightSigns then reads the doubles' words. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The high word of +1.0 and -1.0 without the sign bit (their low words are 0). */
const ONE_HIGH = 0x3ff00000;

/**
 * Packs the layer's weights (h rows of d at offset) as signs into `out` when every one is exactly
 * +1 or -1; returns false (and `out` is partly written) at the first 32 that are not. On
 * little-endian machines it reads the doubles' two 32-bit words without a branch per weight: w is
 * ±1 exactly when its low word is 0 and its high word, sign bit aside, is 0x3ff00000, and w = +1
 * when that sign bit is 0 (NaN, -0 and every other value fail the first test).
 */
export function packWeightSigns(x: Float64Array, offset: number, h: number, d: number, out: Uint32Array): boolean {
  const words = wordsFor(d);
  if (!LITTLE_ENDIAN) return packWeightSignsPlain(x, offset, h, d, out);
  const halves = new Uint32Array(x.buffer, x.byteOffset, 2 * x.length);
  for (let j = 0; j < h; j++) {
    const base = offset + j * d;
    for (let w = 0; w < words; w++) {
      const end = Math.min(d, 32 * w + 32);
      let bits = 0;
      let bad = 0;
      for (let i = 32 * w; i < end; i++) {
        const lo = halves[2 * (base + i)]!;
        const hi = halves[2 * (base + i) + 1]!;
        bad |= lo | ((hi & 0x7fffffff) ^ ONE_HIGH);
        bits |= (~hi >>> 31) << (i & 31);
      }
      if (bad !== 0) return false;
      out[j * words + w] = bits;
    }
  }
  return true;
}

/** packWeightSigns with a comparison per weight (any byte order). */
export function packWeightSignsPlain(x: Float64Array, offset: number, h: number, d: number, out: Uint32Array): boolean {
  const words = wordsFor(d);
  for (let j = 0; j < h; j++) {
    const base = offset + j * d;
    for (let w = 0; w < words; w++) {
      const end = Math.min(d, 32 * w + 32);
      let bits = 0;
      for (let i = 32 * w; i < end; i++) {
        const v = x[base + i]!;
        if (v === 1) bits |= 1 << (i & 31);
        else if (v !== -1) return false;
      }
      out[j * words + w] = bits;
    }
  }
  return true;
}

function sumActiveRows(index: Int32Array, count: Int32Array, d: number, B: number, Wt: Float64Array, colSum: Float64Array, h: number, z: Float64Array): void {
  z.fill(0);
  for (let b = 0; b < B; b++) {
    addRows(index, b * d, b * d + count[b]!, Wt, h, z, b * h);
    finishSignSum(z, b * h, colSum, h);
  }
}

/**
 * The non-zeros of a[first + k step] for k < length, in order: their k into nz, their values into
 * nzValues; returns how many (a row of real activations with step 1, a column with step d).
 */
function nonZerosOf(a: Float64Array, first: number, step: number, length: number, nz: Int32Array, nzValues: Float64Array): number {
  let c = 0;
  for (let k = 0; k < length; k++) {
    const v = a[first + k * step]!;
    if (v !== 0) {
      nz[c] = k;
      nzValues[c++] = v;
    }
  }
  return c;
}

/** z = a W^T for real inputs a (B x d), over each row's non-zeros (relu's zeros skipped). */
function sumRealRows(a: Float64Array, B: number, d: number, Wt: Float64Array, h: number, z: Float64Array, nz: Int32Array, nzValues: Float64Array): void {
  for (let b = 0; b < B; b++) {
    const c = nonZerosOf(a, b * d, 1, d, nz, nzValues);
    z.fill(0, b * h, (b + 1) * h);
    addScaledRows(nz, nzValues, c, Wt, h, z, b * h);
  }
}

/** Gt (d x h) = a^T delta for real inputs a (B x d): for each input, its non-zero samples in ascending order. */
function gradientRealRows(a: Float64Array, B: number, d: number, delta: Float64Array, h: number, Gt: Float64Array, nz: Int32Array, nzValues: Float64Array): void {
  for (let i = 0; i < d; i++) {
    const c = nonZerosOf(a, i, d, B, nz, nzValues);
    Gt.fill(0, i * h, (i + 1) * h);
    addScaledRows(nz, nzValues, c, delta, h, Gt, i * h);
  }
}

/** prev[b, i] = sum_j W_ji delta[b, j] where unit i passes a gradient (|zhat| <= 1, or zhat > 0 for relu), else 0. */
function backToPrevious(Wt: Float64Array, delta: Float64Array, prevZ: Float64Array, B: number, d: number, h: number, relu: boolean, prev: Float64Array): void {
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < d; i++) {
      const zi = prevZ[b * d + i]!;
      if (relu ? !(zi > 0) : zi > 1 || zi < -1) {
        prev[b * d + i] = 0;
        continue;
      }
      let s = 0;
      const wi = i * h;
      for (let j = 0; j < h; j++) s += Wt[wi + j]! * delta[b * h + j]!;
      prev[b * d + i] = s;
    }
  }
}
