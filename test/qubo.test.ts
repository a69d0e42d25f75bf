import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { signsFromString } from '../src/core/signs.js';
import { mulberry32, randomPm1 } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-qubo-'));
let count = 0;
const file = (name: string, text: string) => {
  const path = join(dir, `${count++}-${name}`);
  writeFileSync(path, text);
  return path;
};

async function cli(...argv: string[]) {
  const io = bufferIo();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Plain objective of a dense QUBO as the file states it: sum_ij Q_ij v_i v_j + 2 b'v + c. */
function denseObjective(Q: number[][], b: number[], c: number, v: number[]): number {
  let total = c;
  for (let i = 0; i < Q.length; i++) {
    total += 2 * b[i]! * v[i]!;
    for (let j = 0; j < Q.length; j++) total += Q[i]![j]! * v[i]! * v[j]!;
  }
  return total;
}

/** Plain BiqMac objective: sum_i q_ii x_i + 2 sum_{i<j} q_ij x_i x_j over the listed entries. */
function biqmacObjective(entries: [number, number, number][], x: number[]): number {
  let total = 0;
  for (const [i, j, q] of entries) total += i === j ? q * x[i - 1]! : 2 * q * x[i - 1]! * x[j - 1]!;
  return total;
}

const toVars = (w: Int8Array, vars: '01' | 'pm1') => Array.from(w, (s) => (vars === '01' ? (1 + s) / 2 : s));

describe('QUBO JSON round trip', () => {
  const random = mulberry32(21);
  const int = (r: number) => Math.floor(random() * (2 * r + 1)) - r;
  const cases: { name: string; vars: '01' | 'pm1'; sense: 'min' | 'max'; shape: 'upper' | 'symmetric' | 'entries' }[] = [];
  for (const vars of ['01', 'pm1'] as const) for (const sense of ['min', 'max'] as const) for (const shape of ['upper', 'symmetric', 'entries'] as const) cases.push({ name: `${vars} ${sense} ${shape}`, vars, sense, shape });

  it.each(cases)('$name: objective from the file equals the reported one, loss = objective or -objective', async ({ vars, sense, shape }) => {
    for (let t = 0; t < 4; t++) {
      const n = 3 + Math.floor(random() * 10);
      const Q = Array.from({ length: n }, () => new Array<number>(n).fill(0));
      for (let i = 0; i < n; i++) {
        for (let j = i; j < n; j++) {
          const v = int(20);
          if (shape === 'symmetric') Q[i]![j] = Q[j]![i] = v;
          else Q[i]![j] = v;
        }
      }
      const b = Array.from({ length: n }, () => int(5));
      const c = int(7);
      const doc =
        shape === 'entries'
          ? { n, Q: Q.flatMap((row, i) => row.map((v, j) => [i, j, v]).filter(([, , v]) => v !== 0)), b, c, sense, vars, integer: true }
          : { Q, b, c, sense, vars };
      const path = file('q.json', JSON.stringify(doc));
      const problem = loadProblem(path);
      const result = await runSolver(findSolver('exact'), problem, { seed: 1 });
      const w = signsFromString(result.weights);
      const expected = denseObjective(Q, b, c, toVars(w, vars));
      expect(result.objective).toBe(expected);
      expect(Number.isInteger(result.objective)).toBe(true);
      expect(result.loss).toBe(sense === 'min' ? expected : -expected);
      // and at arbitrary points, not just the optimum
      for (let k = 0; k < 10; k++) {
        const x = randomPm1(n, random);
        const e = denseObjective(Q, b, c, toVars(x, vars));
        expect(problem.objective!(x)).toBe(e);
        expect(problem.loss(x)).toBe(sense === 'min' ? e : -e);
      }
    }
  });

  it('sense=max on the command line turns a file without a sense into a maximisation', () => {
    const path = file('nosense.json', JSON.stringify({ Q: [[1, -3], [0, 2]], vars: '01' }));
    const max = loadProblem(`qubo:file=${path},sense=max`);
    const x = Int8Array.from([1, 1]); // x = (1, 1): 1 - 3 + 2 = 0
    expect(max.objective!(x)).toBe(0);
    expect(max.loss(Int8Array.from([1, -1]))).toBe(-1); // x = (1, 0): objective 1, loss -1
  });
});

describe('BiqMac / Beasley sparse round trip', () => {
  it('objective from the file equals the reported one on random integer files, min and max', async () => {
    const random = mulberry32(33);
    for (let t = 0; t < 12; t++) {
      const n = 3 + Math.floor(random() * 12);
      const entries: [number, number, number][] = [];
      for (let i = 1; i <= n; i++) for (let j = i; j <= n; j++) if (random() < 0.5) entries.push(random() < 0.5 ? [i, j, Math.floor(random() * 201) - 100] : [j, i, Math.floor(random() * 201) - 100]);
      if (entries.length === 0) entries.push([1, 1, 5]);
      const path = file('b.sparse', `# comment\n${n} ${entries.length}\n${entries.map((e) => e.join(' ')).join('\n')}\n`);
      const sense = t % 2 ? 'max' : 'min';
      const problem = loadProblem(`biqmac:file=${path},sense=${sense},int=1`);
      const result = await runSolver(findSolver('exact'), problem, { seed: 1 });
      const x = toVars(signsFromString(result.weights), '01');
      const expected = biqmacObjective(entries, x);
      expect(result.objective).toBe(expected);
      expect(result.loss).toBe(sense === 'min' ? expected : -expected);
      // brute force over x in {0,1}^n of the plain formula: the same optimum
      let best = sense === 'min' ? Infinity : -Infinity;
      for (let code = 0; code < 2 ** n; code++) {
        const v = biqmacObjective(entries, Array.from({ length: n }, (_, i) => (code >> i) & 1));
        best = sense === 'min' ? Math.min(best, v) : Math.max(best, v);
      }
      expect(result.objective).toBe(best);
    }
  });
});

describe('bad QUBO / BiqMac input: one line naming the file (and line), exit 2', () => {
  const biq = (name: string, text: string, flags = '') => `biqmac:file=${file(name, text)}${flags}`;
  const qubo = (name: string, doc: string, flags = '') => `qubo:file=${file(name, doc)}${flags}`;
  it.each([
    ['first line', biq('h.sparse', '3\n1 1 2\n'), /h\.sparse:1: the first line must be 'n m'/],
    ['fewer entries', biq('few.sparse', '3 3\n1 1 2\n1 2 1\n'), /few\.sparse:3: file ends after 2 entries, but the first line announces 3/],
    ['more entries', biq('more.sparse', '3 1\n1 1 2\n1 2 1\n'), /more\.sparse:3: more entries than the 1 announced/],
    ['index out of range', biq('range.sparse', '3 2\n1 1 2\n1 4 1\n'), /range\.sparse:3: index out of range 1\.\.3/],
    ['not a number', biq('nan.sparse', '3 1\n1 2 x\n'), /nan\.sparse:2: q must be a finite number, got 'x'/],
    ['repeated pair', biq('rep.sparse', '3 2\n1 2 1\n2 1 1\n'), /rep\.sparse:3: entry 2 1 repeats line 2/],
    ['non-integer declared integer', biq('int.sparse', '3 1\n1 2 0.5\n', ',int=1'), /int\.sparse:2: q = 0\.5 is not an integer/],
    ['sense contradicts the flag', qubo('sense.json', '{"Q": [[1]], "sense": "max"}', ',sense=min'), /sense\.json: the file says "sense": "max" but sense=min was given/],
    ['non-integer in an integer file', qubo('qi.json', '{"Q": [[1.5]], "integer": true}'), /qi\.json: Q entry \(0, 0\) = 1\.5 is not an integer/],
    ['entry index out of range', qubo('qr.json', '{"n": 2, "Q": [[0, 2, 1]]}'), /qr\.json: Q\[0\]: index j = 2 is not an integer in 0\.\.1/],
    ['entry listed twice', qubo('qd.json', '{"n": 2, "Q": [[0, 1, 1], [0, 1, 2]]}'), /qd\.json: Q\[1\]: entry \(0, 1\) is listed twice/],
    ['lower and upper disagree', qubo('ql.json', '{"Q": [[0, 1], [2, 0]]}'), /ql\.json: Q is not symmetric and not upper-triangular/],
    ['unknown key', qubo('qk.json', '{"Q": [[1]], "linear": [1]}'), /qk\.json: unknown key "linear"/],
    ['malformed JSON', qubo('qm.json', '{"Q": [[1],\n [2]'), /qm\.json:2: malformed JSON/],
    ['bad vars', qubo('qv.json', '{"Q": [[1]], "vars": "bool"}'), /qv\.json: "vars" must be "01" or "pm1"/],
  ])('%s', async (_name, spec, message) => {
    const r = await cli('solve', '--problem', spec, '--solver', 'exact');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });
});
