/**
 * The input encoding of a binary classifier: how raw features become the network's binary
 * inputs. Every raw feature f has `levels` cut points c_f1 <= ... <= c_fL and gives L inputs,
 * input (f, k) being +1 where x_f >= c_fk and -1 elsewhere (feature-major: input index f L + k).
 * One cut per feature is a per-feature threshold; several are a thermometer code, which keeps the
 * order information a single sign throws away.
 *
 * `train` fits the cut points on the training rows only (test rows never shape the encoding),
 * `--save` writes them into the model file (src/formats/model.ts, "encoding"), and `eval` applies
 * the stored encoding to the raw rows: the same function, `encodeBits`, makes the inputs in both.
 * "Raw" means the values as the data reader gives them (CSV numbers as written; IDX and MNIST
 * pixels already divided by 255).
 *
 * The rules for the cut points:
 *  - fixed t:        one cut t for every feature (the binarisation of the v1 model format);
 *  - range, L cuts:  evenly spaced inside the feature's training range [lo, hi]:
 *                    c_k = lo + k (hi - lo) / (L + 1), k = 1..L;
 *  - quantile, L:    the training quantiles k / (L + 1) (linear interpolation between order
 *                    statistics); L = 1 is the per-feature training median;
 *  - shared, L cuts: evenly spaced inside the range of all features together, the same L cut
 *                    points for every feature (what translating images needs: a pixel's code
 *                    then means the same grey level wherever it moves, problems/mlp-shift.ts).
 */
import { UserError } from '../core/errors.js';
import { ensureAffordable } from '../core/memory.js';

export const CUT_RULES = ['fixed', 'range', 'quantile', 'shared'] as const;
export type CutRule = (typeof CUT_RULES)[number];

/** Most cut points per feature (the mlp spec's `levels` bound). */
export const MAX_LEVELS = 64;

export interface InputEncoding {
  /** raw features per row */
  readonly features: number;
  /** cut points per feature: the network takes features x levels inputs */
  readonly levels: number;
  /** features x levels, row-major, ascending along each row */
  readonly cuts: Float64Array;
  /** how the cut points were chosen, for the record */
  readonly rule: CutRule;
}

/** Number of binary inputs the encoding produces per row. */
export function encodedWidth(encoding: InputEncoding): number {
  return encoding.features * encoding.levels;
}

/** One cut `threshold` for each of `features` features. */
export function fixedEncoding(features: number, threshold: number): InputEncoding {
  return { features, levels: 1, cuts: new Float64Array(features).fill(threshold), rule: 'fixed' };
}

/** The quantile q of sorted values (linear interpolation between order statistics). */
function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Cut points fitted on `count` training rows of `features` values (X row-major): `levels` per
 * feature, placed by `rule` ('range' or 'quantile'; 'fixed' has no fitting, see fixedEncoding).
 */
export function fitEncoding(X: ArrayLike<number>, count: number, features: number, rule: 'range' | 'quantile' | 'shared', levels: number): InputEncoding {
  if (!Number.isSafeInteger(levels) || levels < 1 || levels > MAX_LEVELS) throw new RangeError(`levels ${levels}: expected 1..${MAX_LEVELS}`);
  if (count < 1) throw new UserError('the input encoding needs at least one training row');
  const cuts = new Float64Array(features * levels);
  if (rule === 'shared') {
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < count * features; k++) {
      lo = Math.min(lo, X[k]!);
      hi = Math.max(hi, X[k]!);
    }
    for (let f = 0; f < features; f++) for (let k = 0; k < levels; k++) cuts[f * levels + k] = lo + ((k + 1) * (hi - lo)) / (levels + 1);
    return { features, levels, cuts, rule };
  }
  const column = new Float64Array(count);
  for (let f = 0; f < features; f++) {
    for (let r = 0; r < count; r++) column[r] = X[r * features + f]!;
    if (rule === 'range') {
      let lo = Infinity;
      let hi = -Infinity;
      for (let r = 0; r < count; r++) {
        lo = Math.min(lo, column[r]!);
        hi = Math.max(hi, column[r]!);
      }
      for (let k = 0; k < levels; k++) cuts[f * levels + k] = lo + ((k + 1) * (hi - lo)) / (levels + 1);
    } else {
      column.sort();
      for (let k = 0; k < levels; k++) cuts[f * levels + k] = quantile(column, (k + 1) / (levels + 1));
    }
  }
  return { features, levels, cuts, rule };
}

/**
 * The encoded rows as 0/1 values (count x features levels, row-major; 1 = input +1): the network
 * binarises them at its input threshold (0.5). `where` (the data file) names the source when the
 * rows do not have the encoding's feature count.
 */
export function encodeBits(encoding: InputEncoding, X: ArrayLike<number>, count: number, width: number, where: string): Float64Array {
  const { features: d, levels: L, cuts } = encoding;
  if (width !== d) throw new UserError(`${where}: rows have ${width} features, but the input encoding takes ${d}`);
  if (X.length !== count * d) throw new RangeError(`${where}: ${X.length} values for ${count} x ${d}`);
  ensureAffordable(8 * count * d * L, `${where}: ${count} rows x ${d * L} encoded inputs`, 'lower the levels or the number of rows');
  const out = new Float64Array(count * d * L);
  for (let r = 0; r < count; r++) {
    for (let f = 0; f < d; f++) {
      const v = X[r * d + f]!;
      const at = (r * d + f) * L;
      for (let k = 0; k < L; k++) out[at + k] = v >= cuts[f * L + k]! ? 1 : 0;
    }
  }
  return out;
}

/** A short description, for messages: "8 cut points per feature (range)". */
export function describeEncoding(encoding: InputEncoding): string {
  const { levels, rule } = encoding;
  if (rule === 'fixed') return `x >= ${encoding.cuts[0]} for every feature`;
  if (rule === 'quantile' && levels === 1) return 'one cut per feature at its training median';
  const where = rule === 'range' ? 'evenly spaced in the training range' : rule === 'shared' ? 'evenly spaced in the training range of all features, the same for every feature' : 'at training quantiles';
  return levels === 1 ? `one cut per feature, ${where}` : `thermometer code: ${levels} cut points per feature, ${where}`;
}

/** The JSON form: {"features", "levels", "rule", "cuts": [[c_11, ..., c_1L], ...]}. */
export function encodingToJson(encoding: InputEncoding): object {
  const { features, levels, rule, cuts } = encoding;
  return { features, levels, rule, cuts: Array.from({ length: features }, (_, f) => Array.from(cuts.subarray(f * levels, (f + 1) * levels))) };
}

function positiveInt(v: unknown, max: number, where: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1 || v > max) throw new UserError(`${where}: expected an integer 1..${max}, got ${JSON.stringify(v)}`);
  return v;
}

/** Validates the JSON form; `inputs` is the width the network takes; `where` starts every error. */
export function encodingFromJson(raw: unknown, inputs: number, where: string): InputEncoding {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`${where}: expected an object with "features", "levels" and "cuts"`);
  const obj = raw as Record<string, unknown>;
  const levels = positiveInt(obj.levels, MAX_LEVELS, `${where}.levels`);
  const features = positiveInt(obj.features, 1 << 30, `${where}.features`);
  if (features * levels !== inputs) throw new UserError(`${where}: ${features} features x ${levels} levels = ${features * levels} inputs, but the first layer takes ${inputs}`);
  const rule = obj.rule ?? 'fixed';
  if (!(CUT_RULES as readonly unknown[]).includes(rule)) throw new UserError(`${where}.rule: expected one of ${CUT_RULES.join(', ')}, got ${JSON.stringify(rule)}`);
  if (!Array.isArray(obj.cuts) || obj.cuts.length !== features) throw new UserError(`${where}.cuts: expected ${features} arrays (one per feature) of ${levels} numbers`);
  const cuts = new Float64Array(features * levels);
  obj.cuts.forEach((row: unknown, f: number) => {
    if (!Array.isArray(row) || row.length !== levels) throw new UserError(`${where}.cuts[${f}]: expected an array of ${levels} numbers`);
    row.forEach((v: unknown, k: number) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${where}.cuts[${f}][${k}]: ${JSON.stringify(v)} is not a finite number`);
      if (k > 0 && v < (row[k - 1] as number)) throw new UserError(`${where}.cuts[${f}]: cut points must be ascending (${row[k - 1]} then ${v})`);
      cuts[f * levels + k] = v;
    });
  });
  return { features, levels, cuts, rule: rule as CutRule };
}
