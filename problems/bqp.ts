/**
 * Binary quadratic programs min w'Qw + 2b'w + c over {-1,+1}^n: random seeded instances
 * (`bqp:n=..,density=..,seed=..`) and instances read from a JSON file `{ "Q": [[...]], "b": [...], "c": 0 }`.
 */
import { UserError } from '../src/core/errors.js';
import type { ParsedSpec } from '../src/core/spec.js';
import { ensureAffordable } from '../src/core/memory.js';
import { SpecReader } from '../src/core/spec.js';
import { Rng } from '../src/numerics/rng.js';
import { QuadraticProblem } from './quadratic.js';
import { readText } from '../src/formats/text-file.js';

/** Random BQP: each off-diagonal pair is coupled with probability `density`, couplings and
 * linear terms standard normal, zero diagonal (a constant on the hypercube anyway). */
export function createBqp(spec: ParsedSpec): QuadraticProblem {
  const r = new SpecReader(spec);
  const n = r.int('n', 20, { min: 1, max: 100000 });
  const density = r.number('density', 0.5, { min: 0, max: 1 });
  const seed = r.int('seed', 1, { min: 0 });
  const canonical = r.finish();
  ensureAffordable(8 * n * n, `problem spec '${spec.text}': the dense ${n} x ${n} matrix Q`, 'lower n');
  const rng = new Rng(seed, 'bqp');
  const Q = new Float64Array(n * n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (rng.float() < density) {
        const v = rng.normal();
        Q[i * n + j] = v;
        Q[j * n + i] = v;
      }
    }
  }
  for (let i = 0; i < n; i++) b[i] = rng.normal();
  return new QuadraticProblem(canonical, 'bqp', { n, Q, b, c: 0 });
}

/** A JSON value as a short text for an error message: bounded, whatever its size or nesting. */
function describeJson(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v !== null && typeof v === 'object') return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** Reads `{Q, b?, c?}` and checks shape, symmetry and finiteness, naming the file in every error. */
export function readBqpJson(path: string): QuadraticProblem {
  const text = readText(path);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new UserError(`${path}: expected an object {"Q": [[...]], "b": [...], "c": number}`);
  const { Q: rawQ, b: rawB, c: rawC } = doc as Record<string, unknown>;
  if (!Array.isArray(rawQ) || rawQ.length === 0) throw new UserError(`${path}: "Q" must be a non-empty array of rows`);
  const n = rawQ.length;
  const Q = new Float64Array(n * n);
  rawQ.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== n) throw new UserError(`${path}: Q row ${i} must be an array of ${n} numbers (Q must be square)`);
    row.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${path}: Q[${i}][${j}] is ${describeJson(v)}, not a finite number`);
      Q[i * n + j] = v;
    });
  });
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = Q[i * n + j]!;
      const c = Q[j * n + i]!;
      if (Math.abs(a - c) > 1e-12 * Math.max(1, Math.abs(a), Math.abs(c))) {
        throw new UserError(`${path}: Q is not symmetric (Q[${i}][${j}] = ${a}, Q[${j}][${i}] = ${c})`);
      }
    }
  }
  const b = new Float64Array(n);
  if (rawB !== undefined) {
    if (!Array.isArray(rawB) || rawB.length !== n) throw new UserError(`${path}: "b" must be an array of ${n} numbers`);
    rawB.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new UserError(`${path}: b[${i}] is ${describeJson(v)}, not a finite number`);
      b[i] = v;
    });
  }
  let c = 0;
  if (rawC !== undefined) {
    if (typeof rawC !== 'number' || !Number.isFinite(rawC)) throw new UserError(`${path}: "c" must be a finite number`);
    c = rawC;
  }
  return new QuadraticProblem(`file:${path}`, 'bqp', { n, Q, b, c });
}
