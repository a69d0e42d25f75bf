/**
 * Binary multilayer perceptrons as combinatorial programs: `mlp:data=moons,arch=16-32-2,...`.
 * The variables are the binary weights of every layer (layer by layer, each out x in row-major);
 * inputs are the features binarised at the input threshold. Hidden activations are signs (a fully
 * binary network, the default) or, with `act=relu` or `act=htanh`, real (binary weights with real
 * activations: BinaryConnect, BayesBiNN's MNIST model); real activations are evaluated in
 * floating point after the first layer (src/xnor/bnn-forward.ts says which layers run on XNOR).
 *
 * Thresholds are batch normalisation folded into the sign: each neuron's pre-activation
 * z_j = <w_j, a> is normalised as (z_j - mu_j) / sigma_j (no learned shift or gain), with mu_j and
 * sigma_j^2 = var_j + 1e-5 the mean and variance of z_j over a set of samples. A hidden neuron
 * outputs sign(z_j - mu_j) (+1 at 0); the output layer's class scores are (z_j - mu_j) / sigma_j.
 *  - In training (the relaxed minibatch gradient) the statistics are those of the minibatch, as
 *    in batch-norm training; the backward pass goes through them (bn=full, the default) or holds
 *    them constant (bn=frozen).
 *  - For the binary network (`loss`, `score`, the saved model) they are the statistics over the
 *    whole training set, computed exactly for the given weights: threshold_j = mu_j,
 *    scale_j = g / sigma_j (output layer; hidden layers' scale is 1 and unused). The test set is scored with the training set's thresholds.
 * The loss is the mean cross-entropy of the softmax of the scores (logistic loss for a single
 * output unit on two classes). The gradient passes straight through the sign activations,
 * clipped to |normalised pre-activation| <= 1.
 * `loss`, `score` and `model` run the one binary forward pass of src/xnor/bnn-forward.ts (the
 * one `eval` runs); the relaxed pass runs in floating point and agrees with them at binary weights.
 * A hidden unit's straight-through derivative is 1 where its normalised pre-activation is in
 * [-1, 1] (sign, htanh) or positive (relu), else 0.
 */
import { packRows, type PackedMatrix } from '../src/core/bits.js';
import { loadTrainTest, sourceDefaults, BUILTIN_DATA } from '../src/datasets/load.js';
import type { Dataset, ImageGrid, TrainTest } from '../src/datasets/dataset.js';
import { UserError } from '../src/core/errors.js';
import { ensureAffordable } from '../src/core/memory.js';
import { softplus } from '../src/numerics/logistic.js';
import type { Activation, BinaryModel } from '../src/formats/model.js';
import { encodeBits, type InputEncoding } from '../src/formats/input-encoding.js';
import type { BinaryNetworkData, Problem, Scores, SignNetworkData } from '../src/core/problem.js';
import type { Signs } from '../src/core/signs.js';
import { SpecReader, type ParsedSpec } from '../src/core/spec.js';
import { Rng } from '../src/numerics/rng.js';
import { foldedModel, networkPass, predictions, type LayerStats } from '../src/xnor/bnn-forward.js';
import { activeLists, defaultRowSums, RelaxedPass } from './mlp-relaxed.js';
import { ImageShift } from './mlp-shift.js';

export interface MlpLayer {
  inputs: number;
  outputs: number;
  /** index of the layer's first weight in the flat weight vector */
  offset: number;
}

/**
 * Mean classification loss of score rows; writes dLoss/dscores (already divided by the row count)
 * into `dScores` when given. One column: logistic loss with class 1 as the positive side.
 */
function classLoss(scores: Float64Array, labels: ArrayLike<number>, rows: number, cols: number, dScores?: Float64Array): number {
  let total = 0;
  if (cols === 1) {
    for (let r = 0; r < rows; r++) {
      const t = labels[r] === 1 ? 1 : -1;
      const m = t * scores[r]!;
      total += softplus(-m);
      if (dScores) dScores[r] = (-t / (1 + Math.exp(m))) / rows;
    }
    return total / rows;
  }
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let max = -Infinity;
    for (let j = 0; j < cols; j++) max = Math.max(max, scores[base + j]!);
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += Math.exp(scores[base + j]! - max);
    const y = labels[r]!;
    total += Math.log(sum) + max - scores[base + y]!;
    if (dScores) {
      for (let j = 0; j < cols; j++) dScores[base + j] = (Math.exp(scores[base + j]! - max) / sum - (j === y ? 1 : 0)) / rows;
    }
  }
  return total / rows;
}

/** The image shape of the training rows, or the user's error of asking to translate rows that are not images. */
function imageGrid(train: Dataset, pixels: number): ImageGrid {
  if (!train.grid) throw new UserError(`shift=${pixels} translates images, but ${train.source} has no image shape (mnist and IDX files of N x rows x cols have one)`);
  return train.grid;
}

/**
 * The user's error of translating images whose pixels have different cut points: a pixel's code
 * would then mean another grey level where it moves (MNIST's always-black border pixels, cut at 0
 * by the range rule, code black as +1 and would move in as bright ones).
 */
function requireSharedCuts(data: TrainTest, pixels: number): void {
  const encoding = data.encoding;
  if (!encoding) return;
  const { features, levels, cuts } = encoding;
  for (let f = 1; f < features; f++) {
    for (let k = 0; k < levels; k++) {
      if (cuts[f * levels + k] !== cuts[k]) {
        throw new UserError(`shift=${pixels} moves each pixel's code to another pixel, which keeps its meaning only where every pixel has the same cut points; give cuts=shared (train --cuts shared) or a fixed threshold (rule '${encoding.rule}' gives pixel ${f} other cuts than pixel 0)`);
      }
    }
  }
}

/** Per input, 1 where a 0 pixel (or raw feature) gives +1 there: what a translation fills uncovered positions with. */
function backgroundCode(data: TrainTest): Uint8Array {
  const width = data.train.features;
  const code = data.encoding ? encodeBits(data.encoding, new Float64Array(data.encoding.features), 1, data.encoding.features, data.train.source) : new Float64Array(width);
  return Uint8Array.from(code, (v) => (v >= data.inputThreshold ? 1 : 0));
}

function binarise(data: Dataset, threshold: number): Int8Array {
  // a plain loop: Int8Array.from(X, map) boxes every value first (seconds and gigabytes on MNIST)
  const out = new Int8Array(data.X.length);
  for (let k = 0; k < out.length; k++) out[k] = data.X[k]! >= threshold ? 1 : -1;
  return out;
}

export class MlpProblem implements Problem {
  readonly kind = 'mlp';
  readonly n: number;
  readonly trainSize: number;
  readonly weightGroups: readonly number[];
  readonly weightShapes: readonly { outputs: number; inputs: number }[];
  readonly layers: readonly MlpLayer[];
  readonly classes: number;
  readonly inputThreshold: number;
  /** how the source's raw features became the inputs (saved with the model) */
  readonly encoding?: InputEncoding;
  readonly description: string;
  /** training inputs as ±1, row-major trainSize x inputs (the relaxed pass reads them) */
  private readonly trainInputs: Int8Array;
  private readonly trainPacked: PackedMatrix;
  private readonly testPacked: PackedMatrix;
  private readonly trainLabels: Int32Array;
  private readonly testLabels: Int32Array;
  private readonly allRows: Int32Array;
  /** the relaxed minibatch pass (problems/mlp-relaxed.ts), with its buffers */
  private readonly relaxed: RelaxedPass;

  constructor(
    readonly spec: string,
    readonly arch: readonly number[],
    data: TrainTest,
    readonly gain = 1,
    readonly bnBackward: 'full' | 'frozen' = 'full',
    readonly activation: Activation = 'sign',
    /**
     * Inverted dropout with this probability on the real hidden activations in the relaxed
     * (training) passes, drawn from the stream (seed, 'dropout'); the binary network (loss, score,
     * model, eval) keeps every unit.
     */
    readonly dropout: { p: number; seed: number } = { p: 0, seed: 1 },
    /**
     * Random translations by up to this many pixels of the training images in the relaxed passes
     * (problems/mlp-shift.ts), drawn from the stream (seed, 'shift'); 0 = none. Image data only.
     */
    readonly shift: { pixels: number; seed: number } = { pixels: 0, seed: 1 },
    /** the first layer's row sums in the relaxed passes: WebAssembly SIMD or JavaScript (the same bits) */
    rowSums: 'wasm' | 'js' = defaultRowSums(),
  ) {
    const { train, test, classes } = data;
    const where = `architecture ${arch.join('-')}`;
    const coded = data.encoding && data.encoding.levels > 1 ? ` (${data.encoding.features} raw features x ${data.encoding.levels} thermometer cut points; levels/threshold choose the input encoding)` : '';
    if (arch[0] !== train.features) throw new UserError(`${where} takes ${arch[0]} inputs, but ${train.source} gives ${train.features} features per sample${coded}`);
    const outputs = arch[arch.length - 1]!;
    if (outputs !== classes && !(outputs === 1 && classes === 2)) {
      throw new UserError(`${where} has ${outputs} outputs, but ${train.source} has ${classes} classes (use ${classes}${classes === 2 ? ' or 1' : ''})`);
    }
    const layers: MlpLayer[] = [];
    let offset = 0;
    for (let l = 1; l < arch.length; l++) {
      layers.push({ inputs: arch[l - 1]!, outputs: arch[l]!, offset });
      offset += arch[l - 1]! * arch[l]!;
    }
    this.layers = layers;
    this.n = offset;
    this.weightGroups = layers.map((L) => L.inputs * L.outputs);
    this.weightShapes = layers.map(({ inputs, outputs }) => ({ inputs, outputs }));
    this.classes = classes;
    this.inputThreshold = data.inputThreshold;
    if (data.encoding) this.encoding = data.encoding;
    this.description = data.description;
    this.trainSize = train.count;
    this.trainInputs = binarise(train, data.inputThreshold);
    this.trainPacked = packRows(this.trainInputs, train.count, train.features);
    this.testPacked = packRows(binarise(test, data.inputThreshold), test.count, test.features);
    this.trainLabels = train.labels;
    this.testLabels = test.labels;
    this.allRows = Int32Array.from({ length: train.count }, (_, i) => i);
    const active = activeLists(this.trainInputs, train.count, train.features);
    if (dropout.p > 0 && activation === 'sign') throw new UserError(`dropout=${dropout.p} drops real hidden activations: give act=relu or act=htanh with it`);
    const drop = dropout.p > 0 ? { p: dropout.p, rng: new Rng(dropout.seed, 'dropout') } : undefined;
    let shifter: ImageShift | undefined;
    if (shift.pixels > 0) {
      const grid = imageGrid(train, shift.pixels);
      requireSharedCuts(data, shift.pixels);
      shifter = new ImageShift(active, grid, backgroundCode(data), shift.pixels, new Rng(shift.seed, 'shift'));
    }
    this.relaxed = new RelaxedPass(layers, active, this.trainLabels, activation, gain, bnBackward, classLoss, this.trainPacked, undefined, drop, shifter, rowSums);
  }

  /** Number of test rows. */
  get testSize(): number {
    return this.testPacked.rows;
  }

  /** The weight matrices of w, packed (outputs x inputs per layer). */
  private packedWeights(w: Signs): PackedMatrix[] {
    return this.layers.map(({ inputs, outputs, offset }) => packRows(w.subarray(offset, offset + inputs * outputs), outputs, inputs));
  }

  /**
   * The binary network on packed ±1 inputs (src/xnor/bnn-forward.ts). With `stats` absent the
   * batch-norm statistics are computed over these rows (the training set) and returned.
   */
  private binaryPass(input: PackedMatrix, w: Signs, stats?: LayerStats[]): { scores: Float64Array; stats: LayerStats[] } {
    const net = { activation: this.activation, layers: this.packedWeights(w).map((weights) => ({ weights })) };
    const pass = networkPass(net, input, { gain: this.gain, ...(stats ? { stats } : { fold: true }) });
    return { scores: pass.scores, stats: pass.stats! };
  }

  /** The training-set pass of the most recent weights: loss, score and model of one w share it. */
  private lastTrain?: { w: Int8Array; result: { scores: Float64Array; stats: LayerStats[] } };

  private trainPass(w: Signs): { scores: Float64Array; stats: LayerStats[] } {
    const last = this.lastTrain;
    if (last && last.w.length === w.length && last.w.every((v, i) => v === w[i])) return last.result;
    const result = this.binaryPass(this.trainPacked, w);
    this.lastTrain = { w: Int8Array.from(w), result };
    return result;
  }

  private get outputs(): number {
    return this.layers[this.layers.length - 1]!.outputs;
  }

  loss(w: Signs): number {
    const { scores } = this.trainPass(w);
    return classLoss(scores, this.trainLabels, this.trainSize, this.outputs);
  }

  score(w: Signs): Scores {
    const train = this.trainPass(w);
    const error = (scores: Float64Array, labels: Int32Array) => {
      const pred = predictions(scores, labels.length, this.outputs);
      let wrong = 0;
      for (let r = 0; r < labels.length; r++) if (pred[r] !== labels[r]) wrong++;
      return wrong / labels.length;
    };
    const out: Scores = { trainError: error(train.scores, this.trainLabels) };
    if (this.testPacked.rows > 0) out.testError = error(this.binaryPass(this.testPacked, w, train.stats).scores, this.testLabels);
    return out;
  }

  /** The layers and binarised training rows, for solvers that run the network themselves (int). */
  get binaryNetwork(): BinaryNetworkData | undefined {
    // the integer trainer's network is sign-activated throughout: real activations have no such form
    if (this.activation !== 'sign') return undefined;
    return { layers: this.layers, classes: this.classes, trainInputs: this.trainInputs, trainLabels: this.trainLabels };
  }

  // --- for the MIP (issue 12): the network and training data as plain arrays -----------------
  /** The network and its binarised training set as data (see SignNetworkData). */
  get signNetwork(): SignNetworkData | undefined {
    // the MILP linearises sign units: a network with real activations is not one
    if (this.activation !== 'sign') return undefined;
    return {
      arch: this.arch,
      rows: this.trainSize,
      inputs: this.trainInputs,
      labels: this.trainLabels,
      thresholds: 'train-mean',
      output: this.outputs === 1 ? 'sign' : 'argmax-normalised',
    };
  }
  // --- end of the MIP's block ------------------------------------------------------------------

  /** The binary network with batch norm folded over the training set, in the model file format. */
  model(w: Signs): BinaryModel {
    const { stats } = this.trainPass(w);
    const model = foldedModel(this.packedWeights(w), stats, { inputThreshold: this.inputThreshold, activation: this.activation, gain: this.gain });
    return this.encoding ? { ...model, encoding: this.encoding } : model;
  }

  /** Up to `rows` training inputs (binarised, packed), for the batch-norm statistics of sampled networks. */
  calibrationInputs(rows: number): PackedMatrix {
    const count = Math.min(rows, this.trainSize);
    const d0 = this.layers[0]!.inputs;
    return packRows(this.trainInputs.subarray(0, count * d0), count, d0);
  }

  lossAndGradient(x: Float64Array, grad: Float64Array): number {
    return this.relaxed.run(x, this.allRows, grad);
  }

  minibatchLossAndGradient(x: Float64Array, grad: Float64Array, batch: Int32Array): number {
    return this.relaxed.run(x, batch, grad);
  }
}

const ARCH = /^\d+(-\d+)+$/;

export function createMlp(spec: ParsedSpec): MlpProblem {
  const r = new SpecReader(spec);
  const data = r.text('data', 'moons', /^\S+$/, `one of ${BUILTIN_DATA.join(', ')} or a file path`);
  const builtin = (BUILTIN_DATA as readonly string[]).includes(data);
  const defaultArch = { moons: '16-32-2', iris: '32-32-3', mnist: '784-256-10' }[data as 'moons'] ?? '';
  const archText = r.text('arch', defaultArch, ARCH, "sizes joined by '-', e.g. 784-256-10");
  const arch = archText.split('-').map(Number);
  if (arch.some((v) => v < 1 || !Number.isSafeInteger(v))) throw new UserError(`problem spec '${spec.text}': arch sizes must be positive integers, got '${archText}'`);
  // weights, their gradient and the solvers' state (a few doubles each), before anything is built
  let weightCount = 0;
  for (let l = 1; l < arch.length; l++) weightCount += arch[l - 1]! * arch[l]!;
  ensureAffordable(64 * weightCount, `problem spec '${spec.text}': ${weightCount} binary weights`, 'use a smaller arch');
  const labels = builtin ? undefined : spec.entries.has('labels') ? r.text('labels', '') : undefined;
  const test = builtin ? undefined : spec.entries.has('testdata') ? r.text('testdata', '') : undefined;
  const testLabels = builtin ? undefined : spec.entries.has('testlabels') ? r.text('testlabels', '') : undefined;
  const defaults = sourceDefaults(data, labels);
  const trainSize = r.int('train', defaults.trainSize, { min: 0 });
  const testSize = r.int('test', defaults.testSize, { min: 0 });
  const holdout = r.number('holdout', defaults.holdout, { min: 0, max: 0.9 });
  const noise = data === 'moons' ? r.number('noise', defaults.noise, { min: 0 }) : 0;
  // a threshold given without levels thresholds the raw features (levels 0)
  const levels = r.int('levels', spec.entries.has('threshold') ? 0 : defaults.levels, { min: 0, max: 64 });
  // with levels > 0 the threshold binarises the 0/1 code; with 0 a number or 'median' (each feature's training median)
  const thresholdDefault = levels > 0 ? 0.5 : defaults.rawThreshold;
  const inputThreshold = (spec.entries.get('threshold') ?? thresholdDefault) === 'median' ? r.choice('threshold', 'median', ['median'] as const) : r.number('threshold', thresholdDefault === 'median' ? 0.5 : thresholdDefault);
  // read only when given or not the range default, so that the other specs keep their canonical form
  const cuts = spec.entries.has('cuts') || (levels > 0 && defaults.cuts !== 'range') ? r.choice('cuts', defaults.cuts, ['range', 'quantile', 'shared'] as const) : undefined;
  const gain = r.number('gain', 1, { min: 1e-6 });
  const bn = r.choice('bn', 'full', ['full', 'frozen'] as const);
  // read only when given, so that specs without it keep their canonical form
  const act = spec.entries.has('act') ? r.choice('act', 'sign', ['sign', 'relu', 'htanh'] as const) : 'sign';
  // read only when given, so that specs without it keep their canonical form
  const dropout = spec.entries.has('dropout') ? r.number('dropout', 0, { min: 0, max: 0.9 }) : 0;
  // read only when given, so that specs without it keep their canonical form
  const shift = spec.entries.has('shift') ? r.int('shift', 0, { min: 0, max: 8 }) : 0;
  const seed = r.int('seed', 1, { min: 0 });
  const canonical = r.finish();
  const trainTest = loadTrainTest({ data, labels, test, testLabels, trainSize, testSize, holdout, noise, levels, inputThreshold, cuts, seed });
  return new MlpProblem(canonical, arch, trainTest, gain, bn, act, { p: dropout, seed }, { pixels: shift, seed });
}
