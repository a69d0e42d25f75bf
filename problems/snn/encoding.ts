/**
 * Real inputs as Bernoulli spike trains. Population coding (BiSNN's two-moons encoding,
 * kclip/BayesBiSNN utils/data_utils.py): each feature, rescaled to [0, 1], drives `neurons`
 * neurons with raised-cosine tuning curves centred at k/(neurons - 1),
 *   rate_k(v) = 1/2 + cos(clamp(pi (v - c_k) / spacing, -pi, pi)) / 2,
 * and each neuron spikes independently with that probability at every step. Rate coding
 * (MNIST): one neuron per feature, spiking with probability equal to the feature in [0, 1].
 * Spike trains are drawn once, seeded, and stored packed: row (sample * steps + t).
 */
import { wordsFor, type PackedMatrix } from '../../src/core/bits.js';
import type { Rng } from '../../src/numerics/rng.js';

/** Per-feature min and max over the reference (training) rows: the [0, 1] rescaling. */
export interface FeatureRange {
  lo: Float64Array;
  hi: Float64Array;
}

export function featureRange(X: Float64Array, count: number, features: number): FeatureRange {
  const lo = new Float64Array(features).fill(Infinity);
  const hi = new Float64Array(features).fill(-Infinity);
  for (let r = 0; r < count; r++) {
    for (let f = 0; f < features; f++) {
      const v = X[r * features + f]!;
      lo[f] = Math.min(lo[f]!, v);
      hi[f] = Math.max(hi[f]!, v);
    }
  }
  return { lo, hi };
}

/** Rescales to [0, 1] by the reference range, clamping values outside it (test points). */
export function rescale(X: Float64Array, count: number, features: number, range: FeatureRange): Float64Array {
  const out = new Float64Array(X.length);
  for (let r = 0; r < count; r++) {
    for (let f = 0; f < features; f++) {
      const span = range.hi[f]! - range.lo[f]!;
      const v = span > 0 ? (X[r * features + f]! - range.lo[f]!) / span : 0.5;
      out[r * features + f] = Math.min(1, Math.max(0, v));
    }
  }
  return out;
}

/** Raised-cosine firing probabilities of `neurons` neurons for a value v in [0, 1]. */
export function populationRates(v: number, neurons: number): Float64Array {
  const rates = new Float64Array(neurons);
  const spacing = 1 / Math.max(neurons - 1, 1);
  for (let k = 0; k < neurons; k++) {
    const phase = Math.min(Math.PI, Math.max(-Math.PI, (Math.PI * (v - k * spacing)) / spacing));
    rates[k] = 0.5 + Math.cos(phase) / 2;
  }
  return rates;
}

/** Firing probabilities of every input neuron for rows of [0,1] features (rows x inputs). */
export function encodeRates(unit: Float64Array, count: number, features: number, coding: 'population' | 'rate', neurons: number): Float64Array {
  if (coding === 'rate') return Float64Array.from(unit);
  const inputs = features * neurons;
  const out = new Float64Array(count * inputs);
  for (let r = 0; r < count; r++) {
    for (let f = 0; f < features; f++) out.set(populationRates(unit[r * features + f]!, neurons), r * inputs + f * neurons);
  }
  return out;
}

/** Independent Bernoulli spikes at every step: packed rows (sample * steps + t) x inputs. */
export function drawSpikeTrains(rates: Float64Array, count: number, inputs: number, steps: number, rng: Rng): PackedMatrix {
  // packed directly (1 bit per draw): no byte-per-spike intermediate
  const words = wordsFor(inputs);
  const data = new Uint32Array(count * steps * words);
  for (let r = 0; r < count; r++) {
    for (let t = 0; t < steps; t++) {
      const base = (r * steps + t) * words;
      for (let i = 0; i < inputs; i++) if (rng.float() < rates[r * inputs + i]!) data[base + (i >>> 5)]! |= 1 << (i & 31);
    }
  }
  return { rows: count * steps, bits: inputs, words, data };
}
