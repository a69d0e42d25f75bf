import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProblem } from '../problems/index.js';
import { solvers, findSolver } from '../solvers/index.js';
import { localSearch } from '../solvers/common/local-search.js';
import { runSolver } from '../src/core/solver.js';
import { signsFromString, isSigns } from '../src/core/signs.js';
import { UserError } from '../src/core/errors.js';
import { bruteForceMin, mulberry32, randomPm1, relClose } from './helpers.js';

const exact = findSolver('exact');

describe('exact', () => {
  // n > 12 exercises the outer Gray code of the blocked quadratic enumeration
  const specs: string[] = [];
  for (let seed = 1; seed <= 4; seed++) {
    specs.push(`bqp:n=${8 + seed},density=0.6,seed=${seed}`, `bqp:n=${12 + seed},density=0.4,seed=${seed}`);
    specs.push(`lsq:n=${10 + seed},m=${5 + seed},noise=1.5,seed=${seed}`);
    for (const loss of ['squared', 'hinge', 'logistic', '01']) {
      specs.push(`teacher:n=${9 + seed},m=25,test=10,noise=0.2,loss=${loss},data=${seed % 2 ? 'gauss' : 'pm1'},seed=${seed}`);
    }
  }

  it.each(specs)('matches brute force on %s', async (spec) => {
    const problem = loadProblem(spec);
    const truth = bruteForceMin(problem);
    const r = await runSolver(exact, problem, { seed: 1 });
    expect(r.proven).toBe(true);
    expect(relClose(r.loss, truth.value, 1e-10)).toBe(true);
    expect(r.optimum).toBe(r.loss);
    expect(r.gap).toBe(0);
    expect(r.iterations).toBe(2 ** problem.n);
    expect(relClose(problem.loss(signsFromString(r.weights)), r.loss, 1e-12)).toBe(true);
  });

  it('matches brute force on a JSON BQP file with a constant', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-'));
    const rand = mulberry32(5);
    const n = 7;
    const Q = Array.from({ length: n }, () => new Array(n).fill(0));
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) Q[i]![j] = Q[j]![i] = Math.round((rand() * 2 - 1) * 100) / 10;
    const path = join(dir, 'q.json');
    writeFileSync(path, JSON.stringify({ Q, b: Array.from({ length: n }, () => rand() - 0.5), c: 4.5 }));
    const problem = loadProblem(path);
    const r = await runSolver(exact, problem, { seed: 1 });
    expect(relClose(r.loss, bruteForceMin(problem).value, 1e-12)).toBe(true);
  });

  it('refuses n above its limit, saying the limit', async () => {
    const problem = loadProblem('bqp:n=31,seed=1');
    await expect(runSolver(exact, problem, { seed: 1 })).rejects.toThrow(UserError);
    await expect(runSolver(exact, problem, { seed: 1 })).rejects.toThrow(/n <= 30.*n = 31/);
  });
});

describe('heuristic solvers return feasible weights with honestly reported losses', () => {
  const specs = ['bqp:n=30,density=0.3,seed=2', 'lsq:n=25,m=12,noise=2,seed=3', 'teacher:n=40,m=100,noise=0.1,loss=hinge,seed=1', 'teacher:n=33,m=60,loss=logistic,data=pm1,seed=2'];
  for (const name of ['ste', 'bop', 'local']) {
    it.each(specs)(`${name} on %s`, async (spec) => {
      const problem = loadProblem(spec);
      const r = await runSolver(findSolver(name), problem, { seed: 3 });
      const w = signsFromString(r.weights);
      expect(isSigns(w, problem.n)).toBe(true);
      expect(r.loss).toBe(problem.loss(w));
      expect(r.n).toBe(problem.n);
      expect(r.solver).toBe(name);
      expect(r.problem).toBe(problem.spec);
      const scores = problem.score?.(w);
      expect(r.trainError).toBe(scores?.trainError);
      expect(r.testError).toBe(scores?.testError);
    });
  }

  it('--polish ends at a 1-flip local optimum no worse than the unpolished answer', async () => {
    const problem = loadProblem('lsq:n=30,m=10,noise=2,seed=7');
    for (const name of ['ste', 'bop']) {
      const plain = await runSolver(findSolver(name), problem, { seed: 1 });
      const polished = await runSolver(findSolver(name), problem, { seed: 1, polish: true });
      expect(polished.loss).toBeLessThanOrEqual(plain.loss + 1e-9);
      const w = signsFromString(polished.weights);
      for (let i = 0; i < problem.n; i++) {
        w[i] = -w[i]!;
        expect(problem.loss(w)).toBeGreaterThanOrEqual(polished.loss - 1e-9 * Math.abs(polished.loss));
        w[i] = -w[i]!;
      }
    }
  });

  it('local search never ends worse than where it starts, and stops at a local optimum', () => {
    const problem = loadProblem('teacher:n=25,m=50,noise=0.2,loss=hinge,seed=2');
    const rand = mulberry32(3);
    for (let t = 0; t < 5; t++) {
      const start = randomPm1(25, rand);
      const out = localSearch(problem, start);
      expect(out.value).toBeLessThanOrEqual(problem.loss(start));
      expect(out.value).toBe(problem.loss(out.w));
      for (let i = 0; i < 25; i++) {
        const w = Int8Array.from(out.w);
        w[i] = -w[i]!;
        expect(problem.loss(w)).toBeGreaterThanOrEqual(out.value - 1e-12);
      }
    }
  });

  it('gradient solvers refuse the 0-1 loss with a reason', async () => {
    const problem = loadProblem('teacher:n=10,loss=01,seed=1');
    await expect(runSolver(findSolver('ste'), problem, { seed: 1 })).rejects.toThrow(/needs the loss gradient/);
  });

  it('solver parameters are validated', async () => {
    const problem = loadProblem('lsq:n=8,seed=1');
    await expect(runSolver(findSolver('ste'), problem, { seed: 1, params: { lrr: 1 } })).rejects.toThrow(/no parameter 'lrr'.*known: lr/);
    await expect(runSolver(findSolver('ste'), problem, { seed: 1, params: { backward: 'tanh' } })).rejects.toThrow(/must be one of identity, clipped/);
    await expect(runSolver(findSolver('ste'), problem, { seed: 1, params: { lr: 'fast' } })).rejects.toThrow(/must be a finite number/);
  });

  it('every registered solver is deterministic for a seed', async () => {
    const problem = loadProblem('lsq:n=14,m=7,noise=1,seed=4');
    for (const s of solvers) {
      if (s.supports(problem) !== true) continue;
      const a = await runSolver(s, problem, { seed: 11 });
      const b = await runSolver(s, problem, { seed: 11 });
      expect({ ...a, timeMs: 0 }).toEqual({ ...b, timeMs: 0 });
    }
  });
});
