import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import type { Problem } from '../src/core/problem.js';
import { Rng } from '../src/numerics/rng.js';
import { randomSigns, signsToString, type Signs } from '../src/core/signs.js';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';
import { UserError } from '../src/core/errors.js';

/**
 * A tiny data-driven problem: rows r_j = the hidden target with a few signs flipped, loss =
 * mean_j (1 - <r_j, x>/n)^2. It records every minibatch it is asked about.
 */
function fakeClassifier(n: number, m: number, seed: number) {
  const rng = new Rng(seed, 'fake');
  const target = randomSigns(n, rng);
  const rows = Array.from({ length: m }, () => Float64Array.from(target, (t) => (rng.float() < 0.1 ? -t : t)));
  const batches: number[][] = [];
  const over = (x: ArrayLike<number>, grad: Float64Array | null, idx: ArrayLike<number>) => {
    if (grad) grad.fill(0);
    let total = 0;
    for (let k = 0; k < idx.length; k++) {
      const r = rows[idx[k]!]!;
      let d = 0;
      for (let i = 0; i < n; i++) d += r[i]! * x[i]!;
      const e = 1 - d / n;
      total += e * e;
      if (grad) for (let i = 0; i < n; i++) grad[i]! += (-2 * e * r[i]!) / n / idx.length;
    }
    return total / idx.length;
  };
  const all = Int32Array.from({ length: m }, (_, j) => j);
  const problem: Problem = {
    spec: 'fake-classifier',
    kind: 'fake',
    n,
    trainSize: m,
    loss: (w: Signs) => over(w, null, all),
    lossAndGradient: (x, grad) => over(x, grad, all),
    minibatchLossAndGradient(x, grad, batch) {
      batches.push(Array.from(batch));
      return over(x, grad, batch);
    },
  };
  return { problem, target, batches };
}

describe('md and bayesbinn', () => {
  const hinge = loadProblem('teacher:n=12,m=60,test=100,noise=0.05,loss=hinge,seed=2');

  it('md with every estimator returns a valid, reproducible result', async () => {
    for (const estimator of ['exact', 'reinforce', 'reinforce-baseline', 'arm', 'st-identity', 'st-clipped', 'st-density', 'concrete', 'tanh']) {
      const options = { seed: 3, maxIter: 60, params: { estimator, samples: 4 } };
      const a = await runSolver(findSolver('md'), hinge, options);
      const b = await runSolver(findSolver('md'), hinge, options);
      expect(a.weights).toMatch(/^[+-]{12}$/);
      expect(a.loss).toBeCloseTo(hinge.loss(Int8Array.from(a.weights, (ch) => (ch === '+' ? 1 : -1))), 12);
      expect(b.weights, estimator).toBe(a.weights);
      expect(b.history, estimator).toEqual(a.history);
    }
  });

  it('md with the analytic estimator reaches the optimum of a small least-squares problem', async () => {
    const lsq = loadProblem('lsq:n=10,m=30,noise=0.1,seed=4');
    const exact = await runSolver(findSolver('exact'), lsq, { seed: 1 });
    const md = await runSolver(findSolver('md'), lsq, { seed: 1, params: { estimator: 'analytic', iters: 300 } });
    expect(md.loss).toBeCloseTo(exact.loss, 9);
  });

  it('md with a loss-only estimator runs on the 0-1 loss, where gradient estimators cannot', async () => {
    const zeroOne = loadProblem('teacher:n=10,m=50,loss=01,seed=1');
    const r = await runSolver(findSolver('md'), zeroOne, { seed: 1, maxIter: 50, params: { estimator: 'arm' } });
    expect(r.loss).toBeGreaterThanOrEqual(0);
    await expect(runSolver(findSolver('md'), zeroOne, { seed: 1, params: { estimator: 'st-density' } })).rejects.toThrow(UserError);
    expect(findSolver('bayesbinn').supports(zeroOne)).not.toBe(true);
  });

  it('bayesbinn: ours and the mnist preset are reproducible; its temperature 1e-10 saturates every sample', async () => {
    const ours = await runSolver(findSolver('bayesbinn'), hinge, { seed: 5, maxIter: 100 });
    const again = await runSolver(findSolver('bayesbinn'), hinge, { seed: 5, maxIter: 100 });
    expect(again.weights).toBe(ours.weights);
    expect(ours.info!.saturatedSampleShare).toBeLessThan(0.5);
    const ref = await runSolver(findSolver('bayesbinn'), hinge, { seed: 5, maxIter: 100, params: { preset: 'mnist' } });
    expect(ref.info!.temperature).toBe(1e-10);
    expect(ref.info!.saturatedSampleShare).toBe(1);
    const explicit = await runSolver(findSolver('bayesbinn'), hinge, { seed: 5, maxIter: 100, params: { preset: 'mnist', lr: 0.01 } });
    expect(explicit.info!.lr).toBe(0.01);
  });

  it('minibatch training runs the shared epoch loop: every training sample once per epoch, and finds the target', async () => {
    for (const solver of ['md', 'bayesbinn']) {
      const { problem, target, batches } = fakeClassifier(8, 11, 7);
      const r = await runSolver(findSolver(solver), problem, { seed: 1, params: { batch: 3, epochs: 10, samples: 1, ...(solver === 'md' ? { estimator: 'st-density' } : {}) } });
      expect(batches.length, solver).toBe(40);
      for (let e = 0; e < 10; e++) {
        const epoch = batches.slice(4 * e, 4 * e + 4);
        expect(epoch.map((b) => b.length)).toEqual([3, 3, 3, 2]);
        expect(epoch.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      }
      expect(r.weights, solver).toBe(signsToString(target));
      expect(r.iterations).toBe(40);
      expect(r.history!.length).toBe(11); // the start and one point per epoch
      expect((r.info as { epochs: number; epochLog: unknown[] }).epochLog).toHaveLength(10);
    }
  });

  it('batch > 0 on a problem without minibatches is a user error', async () => {
    await expect(runSolver(findSolver('md'), hinge, { seed: 1, params: { batch: 4 } })).rejects.toThrow(/minibatches/);
  });

  it('solve accepts md and bayesbinn from the command line', async () => {
    const io = bufferIo();
    const code = await runCli(['solve', '--problem', 'teacher:n=10,m=40,loss=logistic,seed=1', '--solver', 'md', '-p', 'estimator=reinforce-baseline', '-p', 'samples=5', '--max-iter', '50', '--json'], io);
    expect(code).toBe(0);
    const r = JSON.parse(io.stdout);
    expect(r.solver).toBe('md');
    expect(r.info.estimator).toBe('reinforce-baseline');
    const bad = bufferIo();
    expect(await runCli(['solve', '--problem', 'teacher:n=10,seed=1', '--solver', 'md', '-p', 'estimator=magic'], bad)).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
