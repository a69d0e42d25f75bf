import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { linearisedLp, loadHighs, solveWithHighs } from '../src/experiments/highs-bqp.js';
import { bruteForceMin } from './helpers.js';

describe('HiGHS comparator of bench exact (linearised BQP)', () => {
  it('the optional package is installed here and solves the linearisation to the brute-force optimum', async () => {
    expect(await loadHighs()).toBeDefined();
    for (const spec of ['bqp:n=7,density=0.8,seed=2', 'lsq:n=6,m=3,noise=1,seed=1', 'maxcut:n=7,density=0.6,weights=pm1,seed=4']) {
      const problem = loadProblem(spec);
      const h = (await solveWithHighs(problem.quadratic!, 60))!;
      expect(h.status, spec).toBe('Optimal');
      expect(h.proven).toBe(true);
      expect(h.loss!).toBeCloseTo(bruteForceMin(problem).value, 7);
    }
  }, 120_000);

  it('the linearisation has one variable per nonzero product and only the inequalities each sign needs', () => {
    const problem = loadProblem('maxcut:n=6,density=1,weights=pm1,seed=1');
    const { variables, constraints } = linearisedLp(problem.quadratic!);
    const Q = problem.quadratic!.Q;
    let pos = 0;
    let neg = 0;
    for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) if (Q[i * 6 + j]! > 0) pos++;
    else if (Q[i * 6 + j]! < 0) neg++;
    expect(variables).toBe(6 + pos + neg);
    expect(constraints).toBe(pos + 2 * neg);
  });
});
