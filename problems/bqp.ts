/**
 * Binary quadratic programs min w'Qw + 2b'w + c over {-1,+1}^n: random seeded instances
 * (`bqp:n=..,density=..,seed=..`), and instances read from files: QUBO / BQP JSON (`{"Q": ..., "b": [...],
 * "c": 0, "sense": ..., "vars": ...}`) and the BiqMac / Beasley sparse format.
 */
import type { ParsedSpec } from '../src/core/spec.js';
import { ensureAffordable } from '../src/core/memory.js';
import { SpecReader } from '../src/core/spec.js';
import { Rng } from '../src/numerics/rng.js';
import { fileVariables, formFromQubo, QuadraticProblem } from './quadratic.js';
import { quboObjective, readQuboJson, type QuboData } from '../src/formats/qubo.js';
import { readBiqmac } from '../src/formats/biqmac.js';

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

/**
 * A problem read from a QUBO / BQP file (src/formats/qubo.ts, biqmac.ts): the loss is the file's
 * objective as a minimisation over ±1 (formFromQubo), and results also report the objective in
 * the file's own convention (its sense and its 0/1 or ±1 variables), computed from the entries.
 */
export function quboProblem(spec: string, data: QuboData): QuadraticProblem {
  const problem = new QuadraticProblem(spec, 'bqp', formFromQubo(data));
  problem.objective = (w) => quboObjective(data, fileVariables(data, w));
  return problem;
}

/** A QUBO / BQP JSON file by its path (no flags: the file's own sense, or min). */
export function readBqpJson(path: string): QuadraticProblem {
  return quboProblem(`file:${path}`, readQuboJson(path));
}

const SENSES = ['min', 'max'] as const;

function fileFlags(r: SpecReader): { path: string; sense: 'min' | 'max' | undefined; integer: boolean } {
  const path = r.text('file', '', /./, 'a file path');
  const given = r.choice('sense', 'file', ['file', ...SENSES]);
  const integer = r.int('int', 0, { min: 0, max: 1 }) === 1;
  return { path, sense: given === 'file' ? undefined : given, integer };
}

/** `qubo:file=PATH[,sense=min|max][,int=0|1]`: a QUBO JSON file, with the sense and integrality stated. */
export function createQuboFile(spec: ParsedSpec): QuadraticProblem {
  const r = new SpecReader(spec);
  const { path, sense, integer } = fileFlags(r);
  const canonical = r.finish();
  return quboProblem(canonical, readQuboJson(path, { ...(sense ? { sense } : {}), integer }));
}

/** `biqmac:file=PATH[,sense=min|max][,int=0|1]`: a BiqMac / Beasley sparse file (default min, the Biq Mac library's). */
export function createBiqmacFile(spec: ParsedSpec): QuadraticProblem {
  const r = new SpecReader(spec);
  const { path, sense, integer } = fileFlags(r);
  const canonical = r.finish();
  return quboProblem(canonical, readBiqmac(path, { ...(sense ? { sense } : {}), integer }));
}
