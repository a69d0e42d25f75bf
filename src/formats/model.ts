/**
 * The binary model format (README, section xnor; docs/seed-methods.md): a stack of layers with
 * ±1 weights, per-neuron real thresholds and (last layer) scales.
 *
 * `bnnrelax.model.v1` is the network alone, with sign activations. `bnnrelax.model.v2` adds, each
 * optional: "activation" ("sign", "relu" or "htanh": hidden layer j outputs act(scale_j (z_j -
 * threshold_j)), so real activations store their batch-norm 1/sigma as the hidden scale), "gain"
 * (the output gain the last scale was built with), "distribution" (what a probabilistic solver
 * learnt: {"kind": "bernoulli", "logits": F} with P(w_i = +1) = sigmoid(logits_i), or
 * {"kind": "gaussian-rows", "rank": k, "groups": [sizes], "V": F}, n x k row-major, w_i =
 * sign(<V_i, [1, r]>) with one r ~ N(0, I_(k-1)) per group of consecutive weights), and
 * "calibration" ({"rows", "inputs", "packed"}: binarised training rows over which each sampled
 * network's batch-norm statistics are computed). F is base64 of little-endian float64 values; the
 * weights of the distribution are in layer order, each layer out x in row-major.
 * `bnnrelax.model.v3` adds "encoding" (src/formats/input-encoding.ts): how raw features become
 * the network's inputs, {"features": d, "levels": L, "rule", "cuts": [[...L ascending cuts], x d]},
 * input f L + k being 1 where raw feature f >= cuts[f][k]; those 0/1 inputs are then binarised at
 * inputThreshold, which must be in (0, 1]. Without it the inputs are the raw features binarised
 * at inputThreshold. A new version rather than an optional v2 field, so that a reader that does
 * not know the encoding refuses the file instead of reading raw features as inputs. The lowest
 * version that holds the model is written (v1 when none of these fields is present); all three
 * are read.
 *
 * Plain form, which other tools write:
 *   {"format": "bnnrelax.model.v1", "inputThreshold": t,
 *    "layers": [{"weights": [[1,-1,...], ...], "threshold": [...], "scale": [...]}, ...]}
 * weights are out x in arrays of 1 / -1; threshold defaults to zeros, scale to ones.
 * `saveModel` writes the plain form (`bnnrelax train --save`), or the packed form on request.
 * Packed form, for large models: a layer gives "inputs", "outputs" and "packedWeights" instead of
 * "weights": base64 of the little-endian 32-bit words of src/bits.ts (row r = output neuron r,
 * ceil(inputs / 32) words per row, bit j of word floor(j / 32) is 1 for +1, padding bits 0).
 */
import { packRows, unpackSigns, wordsFor, type PackedMatrix } from '../core/bits.js';
import { UserError } from '../core/errors.js';
import { parseJsonText, readText, writeText } from './text-file.js';
import { encodingFromJson, encodingToJson, type InputEncoding } from './input-encoding.js';

export const MODEL_FORMAT = 'bnnrelax.model.v1';
export const MODEL_FORMAT_V2 = 'bnnrelax.model.v2';
export const MODEL_FORMAT_V3 = 'bnnrelax.model.v3';
const FORMATS: readonly unknown[] = [MODEL_FORMAT, MODEL_FORMAT_V2, MODEL_FORMAT_V3];

export const ACTIVATIONS = ['sign', 'relu', 'htanh'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** A learnt distribution over the binary weights (layer order, each layer out x in row-major). */
export type WeightDistribution =
  | { readonly kind: 'bernoulli'; readonly logits: Float64Array }
  | { readonly kind: 'gaussian-rows'; readonly rank: number; readonly groups: readonly number[]; readonly V: Float64Array };

export interface BinaryLayer {
  readonly inputs: number;
  readonly outputs: number;
  /** outputs x inputs, row j = the weights of output neuron j */
  readonly weights: PackedMatrix;
  readonly threshold: Float64Array;
  readonly scale: Float64Array;
}

export interface BinaryModel {
  /** input x_i = +1 where feature_i >= inputThreshold, else -1 */
  readonly inputThreshold: number;
  readonly layers: readonly BinaryLayer[];
  /** hidden activation (absent: sign) */
  readonly activation?: Activation;
  /** the output gain the last layer's scale includes (absent: 1) */
  readonly gain?: number;
  readonly distribution?: WeightDistribution;
  /** binarised training rows for the batch-norm statistics of sampled networks */
  readonly calibration?: PackedMatrix;
  /** how raw features become the (0/1) inputs, fitted on the training rows (absent: the inputs are the raw features) */
  readonly encoding?: InputEncoding;
}

/** The plain-JSON description of one layer, as written by other tools (and by modelToJson). */
export interface LayerSpec {
  /** out x in, entries 1 or -1 */
  weights: ArrayLike<ArrayLike<number>>;
  threshold?: ArrayLike<number>;
  scale?: ArrayLike<number>;
}

/** Builds a validated model from in-memory arrays; `where` names the source in errors. */
export function createModel(layers: readonly LayerSpec[], inputThreshold = 0, where = 'model'): BinaryModel {
  const json = { format: MODEL_FORMAT, inputThreshold, layers: layers.map((l) => ({ weights: l.weights, threshold: l.threshold, scale: l.scale })) };
  return modelFromJson(json, where);
}

function isNumberArray(v: unknown): v is ArrayLike<number> {
  return (Array.isArray(v) || ArrayBuffer.isView(v)) && !(v instanceof DataView);
}

function realVector(raw: unknown, length: number, fill: number, where: string): Float64Array {
  if (raw === undefined || raw === null) return new Float64Array(length).fill(fill);
  if (!isNumberArray(raw)) throw new UserError(`${where}: expected an array of ${length} numbers`);
  if (raw.length !== length) throw new UserError(`${where}: has ${raw.length} entries, expected ${length} (one per output neuron)`);
  const out = new Float64Array(length);
  for (let j = 0; j < length; j++) {
    const v = raw[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${where}[${j}]: ${JSON.stringify(v)} is not a finite number`);
    out[j] = v;
  }
  return out;
}

function plainWeights(raw: unknown, where: string): PackedMatrix {
  if (!Array.isArray(raw) && !isNumberArray(raw)) throw new UserError(`${where}: expected an array of rows (out x in) of 1 / -1`);
  const rows = raw as ArrayLike<unknown>;
  if (rows.length === 0) throw new UserError(`${where}: a layer needs at least one output neuron`);
  const first = rows[0];
  if (!isNumberArray(first) || first.length === 0) throw new UserError(`${where}[0]: expected a non-empty array of 1 / -1`);
  const inputs = first.length;
  const values = new Int8Array(rows.length * inputs);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!isNumberArray(row)) throw new UserError(`${where}[${r}]: expected an array of 1 / -1`);
    if (row.length !== inputs) throw new UserError(`${where}[${r}]: has ${row.length} weights, row 0 has ${inputs}`);
    for (let c = 0; c < inputs; c++) {
      const v = row[c];
      if (v !== 1 && v !== -1) throw new UserError(`${where}[${r}][${c}]: ${JSON.stringify(v)} is not a binary weight (1 or -1)`);
      values[r * inputs + c] = v;
    }
  }
  return packRows(values, rows.length, inputs);
}

function packedWeights(layer: Record<string, unknown>, where: string): PackedMatrix {
  const { inputs, outputs, packedWeights: b64 } = layer;
  for (const [key, v] of [['inputs', inputs], ['outputs', outputs]] as const) {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new UserError(`${where}.${key}: expected a positive integer, got ${JSON.stringify(v)}`);
  }
  if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new UserError(`${where}.packedWeights: expected a base64 string`);
  const bits = inputs as number;
  const rows = outputs as number;
  const words = wordsFor(bits);
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== rows * words * 4) {
    throw new UserError(`${where}.packedWeights: ${bytes.length} bytes, expected ${rows * words * 4} (${rows} rows x ${words} 32-bit words)`);
  }
  const data = new Uint32Array(rows * words);
  for (let k = 0; k < data.length; k++) data[k] = bytes.readUInt32LE(4 * k);
  if (bits % 32 !== 0) {
    const padding = ~0 << (bits % 32);
    for (let r = 0; r < rows; r++) {
      if ((data[r * words + words - 1]! & padding) !== 0) throw new UserError(`${where}.packedWeights: row ${r} has bits set past input ${bits} (padding must be 0)`);
    }
  }
  return { rows, bits, words, data };
}

/** Validates a parsed JSON value as a model; `where` (a file name) starts every error. */
export function modelFromJson(json: unknown, where: string): BinaryModel {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UserError(`${where}: expected a JSON object with "format": "${MODEL_FORMAT}"`);
  const obj = json as Record<string, unknown>;
  if (!FORMATS.includes(obj.format)) {
    throw new UserError(`${where}: "format" is ${JSON.stringify(obj.format)}, expected one of ${FORMATS.map((f) => `"${f}"`).join(', ')}`);
  }
  const t = obj.inputThreshold ?? 0;
  if (typeof t !== 'number' || !Number.isFinite(t)) throw new UserError(`${where}: inputThreshold ${JSON.stringify(t)} is not a finite number`);
  if (!Array.isArray(obj.layers) || obj.layers.length === 0) throw new UserError(`${where}: "layers" must be a non-empty array`);
  const layers: BinaryLayer[] = [];
  obj.layers.forEach((raw: unknown, l: number) => {
    const at = `${where}: layers[${l}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${at}: expected an object with "weights"`);
    const layer = raw as Record<string, unknown>;
    let weights: PackedMatrix;
    if (layer.weights !== undefined) weights = plainWeights(layer.weights, `${at}.weights`);
    else if (layer.packedWeights !== undefined) weights = packedWeights(layer, at);
    else throw new UserError(`${at}: needs "weights" (or "packedWeights" with "inputs" and "outputs")`);
    const previous = layers[l - 1];
    if (previous && weights.bits !== previous.outputs) {
      throw new UserError(`${at}: takes ${weights.bits} inputs but layers[${l - 1}] has ${previous.outputs} outputs`);
    }
    layers.push({
      inputs: weights.bits,
      outputs: weights.rows,
      weights,
      threshold: realVector(layer.threshold, weights.rows, 0, `${at}.threshold`),
      scale: realVector(layer.scale, weights.rows, 1, `${at}.scale`),
    });
  });
  const model: BinaryModel = { inputThreshold: t, layers };
  // an encoding in an older version would be read by older readers as raw-feature inputs: refuse it
  if (obj.encoding !== undefined && obj.format !== MODEL_FORMAT_V3) throw new UserError(`${where}: "encoding" needs "format": "${MODEL_FORMAT_V3}" (found ${JSON.stringify(obj.format)})`);
  if (obj.format === MODEL_FORMAT) return model;
  const v2 = { ...model, ...v2Fields(obj, layers, where) };
  if (obj.format === MODEL_FORMAT_V2 || obj.encoding === undefined) return v2;
  // the encoding's 0/1 code is binarised at the threshold: outside (0, 1] every input would be constant
  if (!(t > 0 && t <= 1)) throw new UserError(`${where}: inputThreshold ${t} with an "encoding" must be in (0, 1] (it binarises the encoding's 0/1 inputs)`);
  return { ...v2, encoding: encodingFromJson(obj.encoding, layers[0]!.inputs, `${where}: encoding`) };
}

function float64s(raw: unknown, count: number, where: string): Float64Array {
  if (typeof raw !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) throw new UserError(`${where}: expected a base64 string of float64 values`);
  const bytes = Buffer.from(raw, 'base64');
  if (bytes.length !== count * 8) throw new UserError(`${where}: ${bytes.length} bytes, expected ${count * 8} (${count} float64 values)`);
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    out[k] = bytes.readDoubleLE(8 * k);
    if (!Number.isFinite(out[k]!)) throw new UserError(`${where}: value ${k} is not finite`);
  }
  return out;
}

function base64Float64(values: Float64Array): string {
  const bytes = Buffer.alloc(values.length * 8);
  values.forEach((v, k) => bytes.writeDoubleLE(v, 8 * k));
  return bytes.toString('base64');
}

function positiveInt(v: unknown, where: string, max = 1 << 30): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > max) throw new UserError(`${where}: expected a positive integer, got ${JSON.stringify(v)}`);
  return v;
}

/** The optional v2 fields, checked against the layers. */
function v2Fields(obj: Record<string, unknown>, layers: readonly BinaryLayer[], where: string): Partial<BinaryModel> {
  const out: { -readonly [K in keyof BinaryModel]?: BinaryModel[K] } = {};
  if (obj.activation !== undefined) {
    if (!(ACTIVATIONS as readonly unknown[]).includes(obj.activation)) throw new UserError(`${where}: "activation" must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(obj.activation)}`);
    out.activation = obj.activation as Activation;
  }
  if (obj.gain !== undefined) {
    if (typeof obj.gain !== 'number' || !(obj.gain > 0) || !Number.isFinite(obj.gain)) throw new UserError(`${where}: "gain" must be a positive number, got ${JSON.stringify(obj.gain)}`);
    out.gain = obj.gain;
  }
  const n = layers.reduce((s, l) => s + l.inputs * l.outputs, 0);
  if (obj.distribution !== undefined) {
    const at = `${where}: distribution`;
    const d = obj.distribution as Record<string, unknown>;
    if (typeof d !== 'object' || d === null) throw new UserError(`${at}: expected an object with "kind"`);
    if (d.kind === 'bernoulli') out.distribution = { kind: 'bernoulli', logits: float64s(d.logits, n, `${at}.logits`) };
    else if (d.kind === 'gaussian-rows') {
      const rank = positiveInt(d.rank, `${at}.rank`, 1024);
      if (!Array.isArray(d.groups) || d.groups.length === 0) throw new UserError(`${at}.groups: expected a non-empty array of group sizes`);
      const groups = d.groups.map((g, k) => positiveInt(g, `${at}.groups[${k}]`));
      const total = groups.reduce((a, b) => a + b, 0);
      if (total !== n) throw new UserError(`${at}.groups: sizes sum to ${total}, the layers have ${n} weights`);
      out.distribution = { kind: 'gaussian-rows', rank, groups, V: float64s(d.V, n * rank, `${at}.V`) };
    } else throw new UserError(`${at}.kind: expected "bernoulli" or "gaussian-rows", got ${JSON.stringify(d.kind)}`);
  }
  if (obj.calibration !== undefined) {
    const c = obj.calibration as Record<string, unknown>;
    const at = `${where}: calibration`;
    if (typeof c !== 'object' || c === null) throw new UserError(`${at}: expected an object with "rows", "inputs" and "packed"`);
    if (c.inputs !== layers[0]!.inputs) throw new UserError(`${at}.inputs: ${JSON.stringify(c.inputs)}, the first layer takes ${layers[0]!.inputs}`);
    out.calibration = packedWeights({ inputs: c.inputs, outputs: positiveInt(c.rows, `${at}.rows`), packedWeights: c.packed }, at);
  }
  return out;
}

/** Parses model JSON text; syntax errors name the file and line. */
export function parseModel(text: string, file: string): BinaryModel {
  return modelFromJson(parseJsonText(text, file), file);
}

export function loadModel(file: string): BinaryModel {
  return parseModel(readText(file, 'model'), file);
}

/** The model as JSON: plain ±1 arrays, or with `packed` base64 weights. */
export function modelToJson(model: BinaryModel, options: { packed?: boolean } = {}): object {
  const v2 = model.activation !== undefined || model.gain !== undefined || model.distribution !== undefined || model.calibration !== undefined;
  const d = model.distribution;
  const c = model.calibration;
  return {
    format: model.encoding ? MODEL_FORMAT_V3 : v2 ? MODEL_FORMAT_V2 : MODEL_FORMAT,
    inputThreshold: model.inputThreshold,
    ...(model.encoding ? { encoding: encodingToJson(model.encoding) } : {}),
    ...(model.activation ? { activation: model.activation } : {}),
    ...(model.gain !== undefined ? { gain: model.gain } : {}),
    ...(d?.kind === 'bernoulli' ? { distribution: { kind: d.kind, logits: base64Float64(d.logits) } } : {}),
    ...(d?.kind === 'gaussian-rows' ? { distribution: { kind: d.kind, rank: d.rank, groups: d.groups, V: base64Float64(d.V) } } : {}),
    ...(c ? { calibration: { rows: c.rows, inputs: c.bits, packed: packedBase64(c) } } : {}),
    layers: model.layers.map((layer) => {
      const common = { threshold: Array.from(layer.threshold), scale: Array.from(layer.scale) };
      if (!options.packed) {
        const weights: number[][] = [];
        for (let r = 0; r < layer.outputs; r++) weights.push(Array.from(unpackSigns(layer.weights.data, layer.inputs, r * layer.weights.words)));
        return { weights, ...common };
      }
      return { inputs: layer.inputs, outputs: layer.outputs, packedWeights: packedBase64(layer.weights), ...common };
    }),
  };
}

function packedBase64(m: PackedMatrix): string {
  const bytes = Buffer.alloc(m.data.length * 4);
  m.data.forEach((w, k) => bytes.writeUInt32LE(w, 4 * k));
  return bytes.toString('base64');
}

/** Writes the model as JSON (plain ±1 arrays, or with `packed` base64 weights), one line. */
export function saveModel(file: string, model: BinaryModel, options: { packed?: boolean } = {}): void {
  writeText(file, JSON.stringify(modelToJson(model, options)) + '\n');
}
