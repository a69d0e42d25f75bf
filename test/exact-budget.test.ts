import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';

describe('exact under a time budget', () => {
  it.each(['bqp:n=30,seed=2', 'teacher:n=28,m=60,loss=hinge,seed=3'])('%s: stops near --max-time with the best vector so far, not proven', async (spec) => {
    const problem = loadProblem(spec);
    const t0 = performance.now();
    const r = await runSolver(findSolver('exact'), problem, { seed: 1, maxTimeMs: 200 });
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeLessThan(2000); // a full walk takes minutes here; the clock is read every 2^14 vectors
    expect(r.proven).toBeUndefined();
    expect(r.optimum).toBeUndefined();
    expect(r.info).toMatchObject({ complete: false, stopReason: 'max-time' });
    expect((r.info as { enumerated: number }).enumerated).toBeLessThan(2 ** problem.n);
    expect(r.loss).toBe(problem.loss(Int8Array.from(r.weights, (c) => (c === '+' ? 1 : -1))));
  });

  it('with time to spare it is complete and proven', async () => {
    const r = await runSolver(findSolver('exact'), loadProblem('bqp:n=14,seed=2'), { seed: 1, maxTimeMs: 60_000 });
    expect(r.proven).toBe(true);
    expect(r.info).toBeUndefined();
  });
});
