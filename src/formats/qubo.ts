/**
 * Quadratic binary programs as read from files, before any change of variables:
 *   objective(v) = sum over entries (i, j, q) of q v_i v_j  +  2 b'v  +  c,
 * v in {0,1}^n ('01') or {-1,+1}^n ('pm1'), to be minimised or maximised. The readers (this
 * file's QUBO JSON, biqmac.ts) only parse and check; problems/bqp.ts turns a QuboData into the
 * internal loss w'Qw + 2b'w + c over {-1,+1}^n (problems/quadratic.ts: fromZeroOne).
 *
 * QUBO / BQP JSON: `{"Q": ..., "b": [...], "c": 0, "sense": "min"|"max", "vars": "01"|"pm1",
 * "integer": true|false}`, every key but Q optional (defaults: b = 0, c = 0, min, pm1, not
 * declared integer), so the original `{Q, b, c}` BQP files read as before. Q is either
 *  - dense: an array of n rows of n numbers, symmetric or upper-triangular (a lower-triangle
 *    entry facing a different upper one is refused as a likely mistake), used as given: v'Qv; or
 *  - a list of entries [[i, j, q], ...] with 0-based indices, and then "n" is required; each
 *    listed ordered pair counts once as given (q v_i v_j), a pair listed twice is refused.
 */
import { UserError } from '../core/errors.js';
import { ensureAffordable } from '../core/memory.js';
import { parseJsonText, readText } from './text-file.js';
import type { Sense } from '../core/diag-sdp.js';

export type Vars = '01' | 'pm1';

export interface QuboData {
  readonly n: number;
  /** entries (rows[k], cols[k], vals[k]) of the objective's quadratic part, as given */
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly vals: Float64Array;
  /** linear part: the objective has 2 b'v */
  readonly b: Float64Array;
  readonly c: number;
  readonly sense: Sense;
  readonly vars: Vars;
  /** every coefficient is an integer (declared, and checked) */
  readonly integer: boolean;
  /** where it came from, for messages */
  readonly source: string;
}

/** The objective of v (0/1 or ±1 entries, in the data's own variables), straight from the entries. */
export function quboObjective(data: QuboData, v: ArrayLike<number>): number {
  let total = data.c;
  for (let k = 0; k < data.vals.length; k++) total += data.vals[k]! * v[data.rows[k]!]! * v[data.cols[k]!]!;
  for (let i = 0; i < data.n; i++) total += 2 * data.b[i]! * v[i]!;
  return total;
}

/** What the user may state about a file (problem spec keys); a contradiction is an error. */
export interface QuboFlags {
  sense?: Sense;
  integer?: boolean;
}

/** The largest n read from a dense or entry-list file (the internal form is dense n x n). */
export const QUBO_MAX_N = 8000;

/** A JSON value as a short text for an error message: bounded, whatever its size or nesting. */
function describeJson(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v !== null && typeof v === 'object') return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function finiteNumber(v: unknown, file: string, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${file}: ${where} is ${describeJson(v)}, not a finite number`);
  return v;
}

export function parseQuboJson(text: string, file: string, flags: QuboFlags = {}): QuboData {
  const doc = parseJsonText(text, file);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UserError(`${file}: expected an object {"Q": ..., "b": [...], "c": number, "sense": "min"|"max", "vars": "01"|"pm1"}`);
  const { Q: rawQ, b: rawB, c: rawC, sense: rawSense, vars: rawVars, n: rawN, integer: rawInteger, ...rest } = doc as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new UserError(`${file}: unknown key "${unknown[0]}" (known: Q, b, c, n, sense, vars, integer)`);
  if (rawSense !== undefined && rawSense !== 'min' && rawSense !== 'max') throw new UserError(`${file}: "sense" must be "min" or "max", got ${describeJson(rawSense)}`);
  if (rawVars !== undefined && rawVars !== '01' && rawVars !== 'pm1') throw new UserError(`${file}: "vars" must be "01" or "pm1", got ${describeJson(rawVars)}`);
  if (rawInteger !== undefined && typeof rawInteger !== 'boolean') throw new UserError(`${file}: "integer" must be true or false, got ${describeJson(rawInteger)}`);
  const fileSense = rawSense as Sense | undefined;
  if (fileSense && flags.sense && fileSense !== flags.sense) throw new UserError(`${file}: the file says "sense": "${fileSense}" but sense=${flags.sense} was given`);
  const sense: Sense = flags.sense ?? fileSense ?? 'min';
  const vars: Vars = (rawVars as Vars | undefined) ?? 'pm1';
  if (rawInteger === false && flags.integer) throw new UserError(`${file}: the file says "integer": false but int=1 was given`);
  const integer = flags.integer === true || rawInteger === true;
  if (!Array.isArray(rawQ) || rawQ.length === 0) throw new UserError(`${file}: "Q" must be a non-empty array (of rows, or of [i, j, q] entries with "n")`);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  let n: number;
  if (rawN === undefined) {
    n = rawQ.length;
    if (n > QUBO_MAX_N) throw new UserError(`${file}: n = ${n} is above ${QUBO_MAX_N}, the largest problem read as a dense form`);
    ensureAffordable(8 * n * n, `${file}: the dense ${n} x ${n} matrix Q`);
    const dense = new Float64Array(n * n);
    rawQ.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== n) throw new UserError(`${file}: Q row ${i} must be an array of ${n} numbers (Q must be square; a list of [i, j, q] entries needs "n")`);
      row.forEach((v, j) => (dense[i * n + j] = finiteNumber(v, file, `Q[${i}][${j}]`)));
    });
    let symmetric = true;
    let upper = true;
    let witness = '';
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const a = dense[i * n + j]!;
        const l = dense[j * n + i]!;
        if (Math.abs(a - l) > 1e-12 * Math.max(1, Math.abs(a), Math.abs(l))) {
          symmetric = false;
          if (!witness) witness = `Q[${i}][${j}] = ${a}, Q[${j}][${i}] = ${l}`;
        }
        if (l !== 0) upper = false;
      }
    }
    if (!symmetric && !upper) throw new UserError(`${file}: Q is not symmetric and not upper-triangular (${witness})`);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const v = dense[i * n + j]!;
        if (v !== 0) {
          rows.push(i);
          cols.push(j);
          vals.push(v);
        }
      }
    }
  } else {
    if (typeof rawN !== 'number' || !Number.isInteger(rawN) || rawN < 1) throw new UserError(`${file}: "n" must be a positive integer, got ${describeJson(rawN)}`);
    if (rawN > QUBO_MAX_N) throw new UserError(`${file}: n = ${rawN} is above ${QUBO_MAX_N}, the largest problem read as a dense form`);
    n = rawN;
    ensureAffordable(8 * n * n, `${file}: the dense ${n} x ${n} form`);
    const seen = new Set<number>();
    rawQ.forEach((entry, k) => {
      if (!Array.isArray(entry) || entry.length !== 3) throw new UserError(`${file}: Q[${k}] must be an entry [i, j, q] (0-based indices), got ${describeJson(entry)}`);
      const [i, j] = entry as unknown[];
      for (const [name, idx] of [['i', i], ['j', j]] as const) {
        if (typeof idx !== 'number' || !Number.isInteger(idx) || idx < 0 || idx >= n) throw new UserError(`${file}: Q[${k}]: index ${name} = ${describeJson(idx)} is not an integer in 0..${n - 1}`);
      }
      const key = (i as number) * n + (j as number);
      if (seen.has(key)) throw new UserError(`${file}: Q[${k}]: entry (${i}, ${j}) is listed twice`);
      seen.add(key);
      rows.push(i as number);
      cols.push(j as number);
      vals.push(finiteNumber(entry[2], file, `Q[${k}][2]`));
    });
  }
  const b = new Float64Array(n);
  if (rawB !== undefined) {
    if (!Array.isArray(rawB) || rawB.length !== n) throw new UserError(`${file}: "b" must be an array of ${n} numbers`);
    rawB.forEach((v, i) => (b[i] = finiteNumber(v, file, `b[${i}]`)));
  }
  if (rawC !== undefined && (typeof rawC !== 'number' || !Number.isFinite(rawC))) throw new UserError(`${file}: "c" must be a finite number, got ${describeJson(rawC)}`);
  const c = rawC === undefined ? 0 : (rawC as number);
  if (integer) {
    const bad = (v: number) => !Number.isInteger(v);
    for (let k = 0; k < vals.length; k++) if (bad(vals[k]!)) throw new UserError(`${file}: Q entry (${rows[k]}, ${cols[k]}) = ${vals[k]} is not an integer, but the problem is declared integer`);
    for (let i = 0; i < n; i++) if (bad(b[i]!)) throw new UserError(`${file}: b[${i}] = ${b[i]} is not an integer, but the problem is declared integer`);
    if (bad(c)) throw new UserError(`${file}: "c" = ${c} is not an integer, but the problem is declared integer`);
  }
  return { n, rows: Int32Array.from(rows), cols: Int32Array.from(cols), vals: Float64Array.from(vals), b, c, sense, vars, integer, source: file };
}

export function readQuboJson(path: string, flags: QuboFlags = {}): QuboData {
  return parseQuboJson(readText(path), path, flags);
}
