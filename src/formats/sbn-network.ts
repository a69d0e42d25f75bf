/**
 * The network file of the estimator study (`bnnrelax estimators --network / --save-network`), a
 * format other tools can write:
 *
 *   {"units": "01" | "pm1", "layers": [{"weight": [[...], ...], "bias": [...]}, ...]}
 *
 * `weight` is outputs x inputs; one entry per stochastic layer, then the deterministic logistic
 * output layer (one output) last. `units` says how the stochastic units are coded: "01" means
 * x = 1 with probability sigmoid(W x_prev + b), else 0 (the Bernoulli units of the PSA authors'
 * code); "pm1" means x = sign(W x_prev + b - Z) in {-1, +1} with logistic noise Z. The first
 * layer's input is the data point itself in both codings.
 */
import { UserError } from '../core/errors.js';
import { parseJsonText, readText, writeText } from './text-file.js';

export const UNIT_CODINGS = ['01', 'pm1'] as const;
export type UnitCoding = (typeof UNIT_CODINGS)[number];

export interface NetworkLayer {
  outputs: number;
  inputs: number;
  /** outputs x inputs, row-major */
  weight: Float64Array;
  bias: Float64Array;
}

export interface NetworkFile {
  units: UnitCoding;
  /** stochastic layers, then the output layer */
  layers: NetworkLayer[];
}

function finiteVector(raw: unknown, where: string): Float64Array {
  if (!Array.isArray(raw) || raw.length === 0) throw new UserError(`${where}: expected a non-empty array of numbers`);
  const out = new Float64Array(raw.length);
  raw.forEach((v: unknown, k: number) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${where}[${k}]: ${JSON.stringify(v)} is not a finite number`);
    out[k] = v;
  });
  return out;
}

/** Validates a parsed JSON value as a network; `where` (a file name) starts every error. */
export function networkFromJson(json: unknown, where: string): NetworkFile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UserError(`${where}: expected a JSON object with "units" and "layers"`);
  const obj = json as Record<string, unknown>;
  if (!UNIT_CODINGS.includes(obj.units as UnitCoding)) throw new UserError(`${where}: "units" is ${JSON.stringify(obj.units)}, expected "01" or "pm1"`);
  if (!Array.isArray(obj.layers) || obj.layers.length < 2) throw new UserError(`${where}: "layers" must list at least one stochastic layer and the output layer`);
  const layers: NetworkLayer[] = [];
  obj.layers.forEach((raw: unknown, l: number) => {
    const at = `${where}: layers[${l}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${at}: expected an object with "weight" and "bias"`);
    const layer = raw as Record<string, unknown>;
    if (!Array.isArray(layer.weight) || layer.weight.length === 0) throw new UserError(`${at}.weight: expected a non-empty array of rows (outputs x inputs)`);
    const rows = layer.weight.map((row: unknown, r: number) => finiteVector(row, `${at}.weight[${r}]`));
    const inputs = rows[0]!.length;
    rows.forEach((row, r) => {
      if (row.length !== inputs) throw new UserError(`${at}.weight[${r}]: ${row.length} entries, expected ${inputs} like row 0`);
    });
    const bias = finiteVector(layer.bias, `${at}.bias`);
    if (bias.length !== rows.length) throw new UserError(`${at}.bias: ${bias.length} entries, expected ${rows.length} (one per row of weight)`);
    const previous = layers[l - 1];
    if (previous && inputs !== previous.outputs) throw new UserError(`${at}: takes ${inputs} inputs but layers[${l - 1}] has ${previous.outputs} outputs`);
    const weight = new Float64Array(rows.length * inputs);
    rows.forEach((row, r) => weight.set(row, r * inputs));
    layers.push({ outputs: rows.length, inputs, weight, bias });
  });
  const last = layers[layers.length - 1]!;
  if (last.outputs !== 1) throw new UserError(`${where}: layers[${layers.length - 1}] (the logistic output layer) must have one output, has ${last.outputs}`);
  return { units: obj.units as UnitCoding, layers };
}

export function parseNetwork(text: string, file: string): NetworkFile {
  return networkFromJson(parseJsonText(text, file), file);
}

export function loadNetwork(file: string): NetworkFile {
  return parseNetwork(readText(file, 'network'), file);
}

/** The network as JSON text, one weight row per line (numbers in shortest round-trip form). */
export function networkToText(net: NetworkFile): string {
  const layers = net.layers.map((layer) => {
    const rows: string[] = [];
    for (let r = 0; r < layer.outputs; r++) rows.push(JSON.stringify(Array.from(layer.weight.subarray(r * layer.inputs, (r + 1) * layer.inputs))));
    return `    {"weight": [\n      ${rows.join(',\n      ')}\n    ],\n     "bias": ${JSON.stringify(Array.from(layer.bias))}}`;
  });
  return `{"units": "${net.units}",\n "layers": [\n${layers.join(',\n')}\n ]}\n`;
}

export function saveNetwork(file: string, net: NetworkFile): void {
  writeText(file, networkToText(net));
}
