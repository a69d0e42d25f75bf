/**
 * The binary model format `bnnrelax.model.v1` (README, section xnor): a stack of layers with
 * ±1 weights, per-neuron real thresholds and (last layer) scales.
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

export const MODEL_FORMAT = 'bnnrelax.model.v1';

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
  if (obj.format !== MODEL_FORMAT) throw new UserError(`${where}: "format" is ${JSON.stringify(obj.format)}, expected "${MODEL_FORMAT}"`);
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
  return { inputThreshold: t, layers };
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
  return {
    format: MODEL_FORMAT,
    inputThreshold: model.inputThreshold,
    layers: model.layers.map((layer) => {
      const common = { threshold: Array.from(layer.threshold), scale: Array.from(layer.scale) };
      if (!options.packed) {
        const weights: number[][] = [];
        for (let r = 0; r < layer.outputs; r++) weights.push(Array.from(unpackSigns(layer.weights.data, layer.inputs, r * layer.weights.words)));
        return { weights, ...common };
      }
      const bytes = Buffer.alloc(layer.weights.data.length * 4);
      layer.weights.data.forEach((w, k) => bytes.writeUInt32LE(w, 4 * k));
      return { inputs: layer.inputs, outputs: layer.outputs, packedWeights: bytes.toString('base64'), ...common };
    }),
  };
}

/** Writes the model as JSON (plain ±1 arrays, or with `packed` base64 weights), one line. */
export function saveModel(file: string, model: BinaryModel, options: { packed?: boolean } = {}): void {
  writeText(file, JSON.stringify(modelToJson(model, options)) + '\n');
}
