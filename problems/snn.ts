/**
 * Spiking classifiers with binary synapses (BiSNN): `snn:data=moons|iris|mnist|FILE.csv,...`.
 * The variables are the +-1 weights of every LIF layer (layer by layer, out x in row-major);
 * the dynamics, readouts and gradients are problems/snn/lif.ts, the spike encodings
 * problems/snn/encoding.ts.
 *
 * Data: features are rescaled to [0, 1] by the training set's range (test points outside it
 * are clamped) and population-coded (`neurons` raised-cosine neurons per feature) for moons,
 * iris and CSV files; MNIST pixels / 255 are rate-coded (one neuron per pixel). The spike
 * trains (`steps` Bernoulli draws per input neuron) are drawn once from the spec's seed.
 *
 * loss(w): the DECOLLE objective, the local readout losses of every layer summed over the
 * steps t >= burnin, averaged over the training samples, computed on the binary network with
 * XNOR-popcount drives. The prediction is the last layer's readout averaged over t >= burnin
 * (a spike-count readout): class 1 where the mean logit is >= 0 for one unit, else argmax.
 * lossAndGradient / minibatchLossAndGradient: the same loss for real weights (the relaxed
 * samples of Bayes-BiSNN, or sign(latent) for ST-BiSNN) with the surrogate gradient of the
 * spec's rule (`grad=decolle`, the authors', or `grad=bptt`).
 */
import { type PackedMatrix, packRows } from '../src/core/bits.js';
import { UserError } from '../src/core/errors.js';
import type { Problem, Scores } from '../src/core/problem.js';
import type { Signs } from '../src/core/signs.js';
import { SpecReader, type ParsedSpec } from '../src/core/spec.js';
import { loadRawTrainTest } from '../src/datasets/load.js';
import { Rng } from '../src/numerics/rng.js';
import { drawSpikeTrains, encodeRates, featureRange, rescale, type FeatureRange } from './snn/encoding.js';
import {
  backward,
  binaryDrive,
  integrate,
  readoutScores,
  relaxedForward,
  packSpikes,
  localLoss,
  type GradientRule,
  type LifLayer,
  type LifNetwork,
} from './snn/lif.js';

/** Spike draws a problem may make at creation (about 10 s and 60 MiB of packed bits here). */
const MAX_SPIKE_DRAWS = 5e8;

/** Samples per chunk of the binary pass (bounds its memory: chunk x steps x width doubles). */
const CHUNK = 64;

export interface SnnSet {
  count: number;
  /** packed spikes, rows (sample * steps + t) x inputs */
  spikes: PackedMatrix;
  labels: Int32Array;
}

/** The rows of samples `indices` of a packed spike set (steps rows per sample). */
function selectSamples(spikes: PackedMatrix, steps: number, indices: ArrayLike<number>): PackedMatrix {
  const { words, bits } = spikes;
  const data = new Uint32Array(indices.length * steps * words);
  for (let k = 0; k < indices.length; k++) {
    const from = indices[k]! * steps * words;
    data.set(spikes.data.subarray(from, from + steps * words), k * steps * words);
  }
  return { rows: indices.length * steps, bits, words, data };
}

/** Packed 0/1 rows as real rows (the relaxed pass's input). */
function unpackToReal(spikes: PackedMatrix): Float64Array {
  const { rows, bits, words, data } = spikes;
  const out = new Float64Array(rows * bits);
  for (let r = 0; r < rows; r++) for (let i = 0; i < bits; i++) out[r * bits + i] = (data[r * words + (i >>> 5)]! >>> (i & 31)) & 1;
  return out;
}

export class SnnProblem implements Problem {
  readonly kind = 'snn';
  readonly n: number;
  readonly trainSize: number;
  readonly weightGroups: readonly number[];
  readonly classes: number;
  readonly net: LifNetwork;
  readonly train: SnnSet;
  readonly test: SnnSet;
  readonly inputs: number;
  private readonly allRows: Int32Array;

  constructor(
    readonly spec: string,
    readonly description: string,
    readonly hidden: readonly number[],
    train: SnnSet,
    test: SnnSet,
    classes: number,
    steps: number,
    burnin: number,
    readonly rule: GradientRule,
    /** the training points' features rescaled to [0, 1] (row-major count x features), for plots */
    readonly trainPoints: Float64Array,
    /** what turns [0,1] features into input firing rates, for new points (the unit-square map) */
    private readonly encoder: { coding: 'population' | 'rate'; neurons: number; features: number },
    seed: number,
  ) {
    this.inputs = train.spikes.bits;
    this.classes = classes;
    const units = classes === 2 ? 1 : classes;
    const rng = new Rng(seed, 'snn/readout');
    const layers: LifLayer[] = [];
    let offset = 0;
    let inputs = this.inputs;
    for (const h of hidden) {
      // the authors' fixed readouts: +-1 with probability 1/2, scaled by 1/sqrt(fan-in)
      const readout = Int8Array.from({ length: units * h }, () => rng.sign());
      layers.push({ inputs, outputs: h, offset, scale: 1 / Math.sqrt(inputs), readout, readoutScale: 1 / Math.sqrt(h) });
      offset += inputs * h;
      inputs = h;
    }
    this.net = { layers, units, steps, burnin };
    this.n = offset;
    this.weightGroups = layers.map((L) => L.inputs * L.outputs);
    this.train = train;
    this.test = test;
    this.trainSize = train.count;
    this.allRows = Int32Array.from({ length: train.count }, (_, i) => i);
  }

  /**
   * The binary network on a spike set, in chunks: the summed local loss (mean over samples)
   * and the last layer's readout averaged over t >= burnin (count x units).
   */
  binaryPass(w: ArrayLike<number>, set: { count: number; spikes: PackedMatrix; labels?: Int32Array }): { loss: number; scores: Float64Array } {
    const { layers, units, steps, burnin } = this.net;
    const packed = layers.map(({ inputs, outputs, offset }) => {
      const signs = Int8Array.from({ length: inputs * outputs }, (_, k) => (w[offset + k]! >= 0 ? 1 : -1));
      const rowSums = new Int32Array(outputs);
      for (let j = 0; j < outputs; j++) for (let i = 0; i < inputs; i++) rowSums[j]! += signs[j * inputs + i]!;
      return { weights: packRows(signs, outputs, inputs), rowSums };
    });
    const scores = new Float64Array(set.count * units);
    let loss = 0;
    for (let start = 0; start < set.count; start += CHUNK) {
      const indices = Int32Array.from({ length: Math.min(CHUNK, set.count - start) }, (_, k) => start + k);
      const batch = indices.length;
      let x = selectSamples(set.spikes, steps, indices);
      const labels = set.labels?.subarray(start, start + batch);
      for (let l = 0; l < layers.length; l++) {
        const layer = layers[l]!;
        const trace = integrate(binaryDrive(x, packed[l]!.weights, packed[l]!.rowSums), batch, steps, layer, 'hard');
        if (labels) loss += localLoss(this.net, layer, trace.s, labels) * batch;
        if (l === layers.length - 1) {
          const y = readoutScores(this.net, layer, trace.s, batch * steps);
          for (let b = 0; b < batch; b++) {
            for (let k = 0; k < units; k++) {
              let acc = 0;
              for (let t = burnin; t < steps; t++) acc += y[(b * steps + t) * units + k]!;
              scores[(start + b) * units + k] = acc / (steps - burnin);
            }
          }
        } else x = packSpikes(trace.s, batch * steps, layer.outputs);
      }
    }
    return { loss: loss / Math.max(1, set.count), scores };
  }

  /** Class probabilities from mean readout scores: logistic for one unit, softmax otherwise. */
  probabilitiesFromScores(scores: Float64Array, count: number): Float64Array {
    const { units } = this.net;
    const K = this.classes;
    const out = new Float64Array(count * K);
    for (let r = 0; r < count; r++) {
      if (units === 1) {
        const p1 = 1 / (1 + Math.exp(-scores[r]!));
        out[r * 2] = 1 - p1;
        out[r * 2 + 1] = p1;
        continue;
      }
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, scores[r * K + k]!);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(scores[r * K + k]! - max);
      for (let k = 0; k < K; k++) out[r * K + k] = Math.exp(scores[r * K + k]! - max) / sum;
    }
    return out;
  }

  /** Predicted class of each mean-readout row (ties to the lower class, as in the authors' > 0.5). */
  predictions(scores: Float64Array, count: number): Int32Array {
    const { units } = this.net;
    const out = new Int32Array(count);
    for (let r = 0; r < count; r++) {
      if (units === 1) {
        out[r] = scores[r]! > 0 ? 1 : 0;
        continue;
      }
      let best = 0;
      for (let k = 1; k < units; k++) if (scores[r * units + k]! > scores[r * units + best]!) best = k;
      out[r] = best;
    }
    return out;
  }

  loss(w: Signs): number {
    return this.binaryPass(w, this.train).loss;
  }

  score(w: Signs): Scores {
    const error = (set: SnnSet) => {
      const pred = this.predictions(this.binaryPass(w, set).scores, set.count);
      let wrong = 0;
      for (let r = 0; r < set.count; r++) if (pred[r] !== set.labels[r]) wrong++;
      return wrong / Math.max(1, set.count);
    };
    return { trainError: error(this.train), ...(this.test.count > 0 ? { testError: error(this.test) } : {}) };
  }

  classProbabilities(w: Signs, split: 'train' | 'test'): Float64Array {
    const set = split === 'train' ? this.train : this.test;
    return this.probabilitiesFromScores(this.binaryPass(w, set).scores, set.count);
  }

  labelsOf(split: 'train' | 'test'): Int32Array {
    return split === 'train' ? this.train.labels : this.test.labels;
  }

  /** Spike trains for new points given as features already in [0, 1] (the decision map's grid). */
  encodeUnitPoints(unit: Float64Array, count: number, seed: number): { count: number; spikes: PackedMatrix } {
    const { coding, neurons, features } = this.encoder;
    if (unit.length !== count * features) throw new RangeError(`encodeUnitPoints: ${unit.length} values for ${count} x ${features}`);
    const rates = encodeRates(unit, count, features, coding, neurons);
    return { count, spikes: drawSpikeTrains(rates, count, this.inputs, this.net.steps, new Rng(seed, 'snn/points')) };
  }

  lossAndGradient(x: Float64Array, grad: Float64Array): number {
    return this.minibatchLossAndGradient(x, grad, this.allRows);
  }

  minibatchLossAndGradient(x: Float64Array, grad: Float64Array, batch: Int32Array): number {
    const input = unpackToReal(selectSamples(this.train.spikes, this.net.steps, batch));
    const labels = Int32Array.from(batch, (r) => this.train.labels[r]!);
    const fwd = relaxedForward(this.net, x, input, labels, 'hard');
    backward(this.net, x, fwd, labels, this.rule, grad);
    return fwd.loss;
  }
}

const HIDDEN = /^\d+(-\d+)*$/;

export function createSnn(spec: ParsedSpec): SnnProblem {
  const r = new SpecReader(spec);
  const data = r.text('data', 'moons', /^\S+$/, 'moons, iris, mnist or a CSV file path');
  const isMnist = data === 'mnist';
  const defaults = isMnist ? { hidden: '128', steps: 20, burnin: 5, train: 1000, test: 500 } : { hidden: '256-256', steps: 100, burnin: 10, train: 200, test: 1000 };
  const hiddenText = r.text('hidden', defaults.hidden, HIDDEN, "layer sizes joined by '-', e.g. 256-256");
  const hidden = hiddenText.split('-').map(Number);
  if (hidden.some((h) => h < 1 || h > 4096)) throw new UserError(`problem spec '${spec.text}': hidden sizes must be between 1 and 4096, got '${hiddenText}'`);
  const steps = r.int('steps', defaults.steps, { min: 2, max: 1000 });
  const burnin = r.int('burnin', defaults.burnin, { min: 0, max: steps - 1 });
  const neurons = isMnist ? 1 : r.int('neurons', 10, { min: 1, max: 100 });
  const trainSize = r.int('train', defaults.train, { min: 0 });
  const testSize = r.int('test', defaults.test, { min: 0 });
  const holdout = data === 'moons' || isMnist ? 0 : r.number('holdout', 0.3, { min: 0, max: 0.9 });
  const noise = data === 'moons' ? r.number('noise', 0.1, { min: 0 }) : 0;
  const rule = r.choice('grad', 'decolle', ['decolle', 'bptt'] as const);
  const seed = r.int('seed', 1, { min: 0 });
  const canonical = r.finish();
  const tt = loadRawTrainTest({ data, trainSize, testSize, holdout, noise, seed });
  const features = tt.train.features;
  const coding = isMnist ? 'rate' : 'population';
  const inputs = features * neurons;
  // every sample draws steps x inputs spikes once: refuse sizes that would take minutes or memory
  const draws = (tt.train.count + tt.test.count) * steps * inputs;
  if (draws > MAX_SPIKE_DRAWS) {
    throw new UserError(`problem spec '${spec.text}': ${tt.train.count + tt.test.count} samples x ${steps} steps x ${inputs} inputs = ${draws.toExponential(2)} spike draws (limit ${MAX_SPIKE_DRAWS.toExponential(0)}); lower train, test, steps or neurons`);
  }
  const range: FeatureRange = isMnist ? { lo: new Float64Array(features), hi: new Float64Array(features).fill(1) } : featureRange(tt.train.X, tt.train.count, features);
  const spikeRng = new Rng(seed, 'snn/spikes');
  const encode = (set: typeof tt.train, name: string): SnnSet => {
    const rates = encodeRates(rescale(set.X, set.count, features, range), set.count, features, coding, neurons);
    return { count: set.count, spikes: drawSpikeTrains(rates, set.count, inputs, steps, spikeRng.fork(name)), labels: set.labels };
  };
  const description = `${tt.description}; ${coding === 'rate' ? 'rate-coded (spike probability = pixel)' : `features rescaled to [0,1] by the training range and population-coded by ${neurons} raised-cosine neurons each`}; ${steps} steps, burn-in ${burnin}`;
  const trainPoints = rescale(tt.train.X, tt.train.count, features, range);
  return new SnnProblem(canonical, description, hidden, encode(tt.train, 'train'), encode(tt.test, 'test'), tt.classes, steps, burnin, rule, trainPoints, { coding, neurons, features }, seed);
}
