import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import { signsFromString } from '../src/core/signs.js';
import { epochLoop } from '../solvers/common/epochs.js';
import { Rng } from '../src/numerics/rng.js';

describe('shared epoch loop', () => {
  it('visits every training row once per epoch in minibatches, keeping a tail of >= 2 rows', () => {
    const seen: number[][] = [];
    const epochsEnded: number[] = [];
    let current: number[] = [];
    const out = epochLoop(
      { trainSize: 23, epochs: 3, batchSize: 5, rng: new Rng(1), start: performance.now() },
      (batch) => current.push(...batch),
      (e) => {
        seen.push(current.sort((a, b) => a - b));
        current = [];
        epochsEnded.push(e);
      },
    );
    expect(out.steps).toBe(15);
    expect(epochsEnded).toEqual([1, 2, 3]);
    for (const s of seen) expect(s).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });
});

describe('vispa', () => {
  it('is seeded: same seed, same answer', async () => {
    const p = loadProblem('teacher:n=16,m=80,test=100,noise=0.1,loss=hinge,seed=3');
    const a = await runSolver(findSolver('vispa'), p, { seed: 5, params: { iters: 100 } });
    const b = await runSolver(findSolver('vispa'), p, { seed: 5, params: { iters: 100 } });
    expect(a.weights).toBe(b.weights);
  });

  it('finds the optimum of small teacher problems most of the time (checked against exact)', async () => {
    let solved = 0;
    for (let s = 1; s <= 5; s++) {
      const p = loadProblem(`teacher:n=14,m=70,test=100,noise=0.05,loss=hinge,seed=${s}`);
      const exact = await runSolver(findSolver('exact'), p, { seed: 1 });
      const v = await runSolver(findSolver('vispa'), p, { seed: 1 });
      expect(v.loss).toBeGreaterThanOrEqual(exact.loss - 1e-12);
      if (v.loss <= exact.loss + 1e-9) solved++;
    }
    expect(solved).toBeGreaterThanOrEqual(3);
  });

  it('trains a classifier in epochs and returns one binary network: sign(m) or the best sample, never an average', async () => {
    const p = loadProblem('mlp:data=moons,arch=16-16-2,seed=2');
    const r = await runSolver(findSolver('vispa'), p, { seed: 1, params: { epochs: 15, batch: 50 } });
    const info = r.info as { answer: string; mean: { loss: number }; bestSample: { loss: number }; epochLog: unknown[] };
    expect(info.epochLog).toHaveLength(15);
    const chosen = info.answer === 'mean' ? info.mean : info.bestSample;
    expect(r.loss).toBeCloseTo(chosen.loss, 12);
    expect(r.loss).toBeCloseTo(p.loss(signsFromString(r.weights)), 12);
    expect(r.loss).toBeLessThanOrEqual(Math.min(info.mean.loss, info.bestSample.loss) + 1e-12);
    expect(1 - r.testError!).toBeGreaterThan(0.8);
  });
});

describe('ste', () => {
  it('keeps its full-batch behaviour when batch is not set', async () => {
    const p = loadProblem('mlp:data=moons,arch=16-8-2,train=100,test=100');
    const a = await runSolver(findSolver('ste'), p, { seed: 1, params: { iters: 30 } });
    const b = await runSolver(findSolver('ste'), p, { seed: 1, params: { iters: 30, batch: 0 } });
    expect(a.weights).toBe(b.weights);
    expect(a.iterations).toBe(30);
    expect(a.info?.epochLog).toBeUndefined();
  });

  it('trains in minibatch epochs when batch > 0 and reaches a good two-moons accuracy', async () => {
    const p = loadProblem('mlp:data=moons,arch=16-32-2,seed=1');
    const r = await runSolver(findSolver('ste'), p, { seed: 1, params: { epochs: 20, batch: 50 } });
    expect(r.iterations).toBe(20 * 4);
    expect((r.info as { epochLog: unknown[] }).epochLog).toHaveLength(20);
    expect(1 - r.testError!).toBeGreaterThan(0.85);
  });
});
