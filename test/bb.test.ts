import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import type { Problem } from '../src/core/problem.js';
import { signsFromString } from '../src/core/signs.js';
import { NodeHeap } from '../solvers/bb/node-heap.js';
import { lossSpacing, reduceForm } from '../solvers/bb/reduce.js';
import { bruteForceMin, mulberry32, randomPm1 } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-bb-'));
let files = 0;
const file = (ext: string, text: string) => {
  const path = join(dir, `f${files++}.${ext}`);
  writeFileSync(path, text);
  return path;
};

/** A random graph in rudy format: weights +1, or ±1, or small integers. */
function randomGraph(n: number, density: number, random: () => number, weights: 'one' | 'pm1' | 'int'): string {
  const edges: string[] = [];
  for (let i = 1; i <= n; i++) {
    for (let j = i + 1; j <= n; j++) {
      if (random() >= density) continue;
      const w = weights === 'one' ? 1 : weights === 'pm1' ? (random() < 0.5 ? -1 : 1) : 1 + Math.floor(random() * 9);
      edges.push(`${i} ${j} ${w}`);
    }
  }
  if (edges.length === 0) edges.push(`1 2 1`);
  return `${n} ${edges.length}\n${edges.join('\n')}\n`;
}

/** A random integer QUBO JSON over 0/1 variables (dense upper-triangular or an entry list). */
function randomQubo(n: number, random: () => number, sense: 'min' | 'max', asEntries: boolean): string {
  const int = () => Math.floor(random() * 21) - 10;
  if (asEntries) {
    const Q: number[][] = [];
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) if (random() < 0.6) Q.push([i, j, int()]);
    return JSON.stringify({ n, Q, sense, vars: '01', integer: true });
  }
  const Q = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j >= i ? int() : 0)));
  return JSON.stringify({ Q, sense, vars: '01' });
}

/** A random BiqMac sparse file (min x'Qx, x in {0,1}^n, each pair once). */
function randomBiqmac(n: number, random: () => number): string {
  const lines: string[] = [];
  for (let i = 1; i <= n; i++) for (let j = i; j <= n; j++) if (random() < 0.5) lines.push(`${i} ${j} ${Math.floor(random() * 201) - 100}`);
  if (lines.length === 0) lines.push('1 1 -1');
  return `# random test instance\n${n} ${lines.length}\n${lines.join('\n')}\n`;
}

/** The 300 instances: every quadratic kind, n = 4..24 (most small, so the test stays fast). */
function instances(): { label: string; load: () => Problem; enumerate: number }[] {
  const random = mulberry32(11);
  const out: { label: string; load: () => Problem; enumerate: number }[] = [];
  const kinds = ['bqp-dense', 'bqp-sparse', 'lsq', 'teacher', 'maxcut', 'maxcut-pm1', 'qubo', 'qubo-entries', 'biqmac', 'lsq-under'] as const;
  for (let k = 0; k < 300; k++) {
    const kind = kinds[k % kinds.length]!;
    // every 25th instance at n = 20..24, the rest at 4..14
    const n = k % 25 === 0 ? 20 + (k % 5) : 4 + Math.floor(random() * 11);
    const seed = 1 + k;
    // bound most nodes by the SDP (enumerate <= 3) so the tree, not the enumeration, is tested
    const enumerate = Math.floor(random() * 4);
    let load: () => Problem;
    switch (kind) {
      case 'bqp-dense':
        load = () => loadProblem(`bqp:n=${n},density=1,seed=${seed}`);
        break;
      case 'bqp-sparse':
        load = () => loadProblem(`bqp:n=${n},density=0.2,seed=${seed}`);
        break;
      case 'lsq':
        load = () => loadProblem(`lsq:n=${n},m=${2 * n},noise=0.5,seed=${seed}`);
        break;
      case 'lsq-under':
        load = () => loadProblem(`lsq:n=${n},m=${Math.max(1, n >> 1)},noise=2,seed=${seed}`);
        break;
      case 'teacher':
        load = () => loadProblem(`teacher:n=${n},m=${3 * n},test=10,noise=0.2,loss=squared,seed=${seed}`);
        break;
      case 'maxcut': {
        const path = file('txt', randomGraph(Math.max(n, 2), 0.5, random, 'int'));
        load = () => loadProblem(path);
        break;
      }
      case 'maxcut-pm1': {
        const path = file('txt', randomGraph(Math.max(n, 2), 0.4, random, 'pm1'));
        load = () => loadProblem(path);
        break;
      }
      case 'qubo': {
        const path = file('json', randomQubo(n, random, k % 2 ? 'max' : 'min', false));
        load = () => loadProblem(path);
        break;
      }
      case 'qubo-entries': {
        const path = file('json', randomQubo(n, random, k % 2 ? 'max' : 'min', true));
        load = () => loadProblem(`qubo:file=${path}`);
        break;
      }
      case 'biqmac': {
        const path = file('bq', randomBiqmac(n, random));
        load = () => loadProblem(`biqmac:file=${path},int=1`);
        break;
      }
    }
    out.push({ label: `${kind} n=${n} #${k}`, load, enumerate });
  }
  return out;
}

describe('bb', () => {
  it('finds the optimum of exact on 300 random instances of every quadratic kind, with a bound never above it', async () => {
    const bb = findSolver('bb');
    const exact = findSolver('exact');
    let sdpNodes = 0;
    for (const inst of instances()) {
      const problem = inst.load();
      const reference = await runSolver(exact, problem, { seed: 1 });
      const r = await runSolver(bb, problem, { seed: 3, params: { enumerate: inst.enumerate, tabu: 0 } });
      const scale = 1e-9 * Math.max(1, Math.abs(reference.loss));
      expect(r.proven, inst.label).toBe(true);
      expect(Math.abs(r.loss - reference.loss), inst.label).toBeLessThanOrEqual(scale);
      expect(r.bound!, inst.label).toBeLessThanOrEqual(reference.loss + scale);
      // the reported loss is the loss of the reported weights
      expect(r.loss).toBe(problem.loss(signsFromString(r.weights)));
      sdpNodes += (r.info as { sdpSolves: number }).sdpSolves;
    }
    // the tree was exercised, not just the leaf enumeration
    expect(sdpNodes).toBeGreaterThan(600);
  }, 240_000);

  it('stopped early, reports the incumbent, a proven bound below the optimum and proven: false', async () => {
    const problem = loadProblem('bqp:n=12,density=1,seed=4');
    const optimum = bruteForceMin(problem).value;
    const r = await runSolver(findSolver('bb'), problem, { seed: 1, params: { nodes: 3, enumerate: 0, tabu: 0, rounds: 1 } });
    expect(r.proven).toBeUndefined();
    expect(r.optimum).toBeUndefined();
    expect(r.bound!).toBeLessThanOrEqual(optimum + 1e-9);
    expect(r.loss).toBeGreaterThanOrEqual(optimum - 1e-9);
    const info = r.info as { stopReason: string; provenGap: number; open: number; nodes: number };
    expect(info.stopReason).toBe('max-nodes');
    expect(info.open).toBeGreaterThan(0);
    expect(info.provenGap).toBeCloseTo(r.loss - r.bound!, 12);
  });

  it('the same seed gives the same result', async () => {
    const problem = loadProblem('bqp:n=22,density=0.5,seed=2');
    const run = async () => {
      const { timeMs: _t, info, ...rest } = await runSolver(findSolver('bb'), problem, { seed: 5, params: { enumerate: 2 } });
      const { nodeLog, ...kept } = info as Record<string, unknown>;
      return JSON.stringify({ ...rest, kept, nodes: (nodeLog as { bound: number; free: number }[]).map((x) => [x.bound, x.free]) });
    };
    expect(await run()).toBe(await run());
  });
});

describe('bb building blocks', () => {
  it('reduceForm: the reduced loss equals the full loss at every completion', () => {
    const random = mulberry32(5);
    const problem = loadProblem('bqp:n=9,density=0.7,seed=8');
    const form = problem.quadratic!;
    for (let t = 0; t < 20; t++) {
      const fixed = new Int8Array(9);
      for (let i = 0; i < 9; i++) fixed[i] = random() < 0.4 ? (random() < 0.5 ? -1 : 1) : 0;
      const reduced = reduceForm(form, fixed);
      const wFree = randomPm1(reduced.n, random);
      const full = Int8Array.from(fixed);
      reduced.free.forEach((i, k) => (full[i] = wFree[k]!));
      // plain w'Qw + 2b'w + c of the reduced form
      let v = reduced.c;
      for (let a = 0; a < reduced.n; a++) {
        v += 2 * reduced.b[a]! * wFree[a]!;
        for (let b = 0; b < reduced.n; b++) v += reduced.Q[a * reduced.n + b]! * wFree[a]! * wFree[b]!;
      }
      expect(v).toBeCloseTo(problem.loss(full), 10);
    }
  });

  it('lossSpacing: losses of integer forms lie on the announced lattice', () => {
    const path = file('txt', randomGraph(10, 0.5, mulberry32(2), 'int'));
    const problem = loadProblem(path);
    const spacing = lossSpacing(problem.quadratic!);
    // MaxCut: Q = -L/4 with integer weights, so cut values are integers: spacing 1
    expect(spacing).toBe(1);
    const random = mulberry32(3);
    const base = problem.loss(randomPm1(10, random));
    for (let t = 0; t < 50; t++) {
      const d = (problem.loss(randomPm1(10, random)) - base) / spacing;
      expect(Math.abs(d - Math.round(d))).toBeLessThan(1e-9);
    }
    expect(lossSpacing(loadProblem('bqp:n=6,seed=1').quadratic!)).toBe(0);
  });

  it('NodeHeap pops in key order', () => {
    const random = mulberry32(9);
    const heap = new NodeHeap<number>();
    const keys = Array.from({ length: 200 }, () => random());
    keys.forEach((k) => heap.push(k, k));
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop()!);
    expect(popped).toEqual([...keys].sort((a, b) => a - b));
  });
});
