import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { runSolver } from '../src/core/solver.js';
import { scaleByAdam } from '../src/optim/adam.js';
import { applyUpdates, chain } from '../src/optim/transform.js';
import { cosineDecay, scaleBySchedule } from '../src/optim/schedules.js';
import { epochLoop } from '../solvers/common/epochs.js';
import { Rng } from '../src/numerics/rng.js';
import type { Problem } from '../src/core/problem.js';
import { findSolver } from '../solvers/index.js';

/**
 * ste's minibatch training written plainly, pass by pass, with the composed transformations:
 * sign, gradient, clip (zero where |u| > 1), chain(scaleByAdam, scaleBySchedule(cosine)),
 * applyUpdates, clamp. Returns the training loss of sign(u) at each epoch's end.
 */
function plainSte(problem: Problem, seed: number, lr: number, epochs: number, batch: number, clamp: number): number[] {
  const n = problem.n;
  const rng = new Rng(seed, 'ste');
  const u = Float64Array.from({ length: n }, () => 0.1 * rng.normal());
  const x = new Float64Array(n);
  const grad = new Float64Array(n);
  const steps = Math.floor(problem.trainSize! / batch) * epochs;
  const opt = chain(scaleByAdam({ lr }), scaleBySchedule(cosineDecay({ init: 1, steps })));
  const state = opt.init(n);
  const losses: number[] = [];
  epochLoop(
    { trainSize: problem.trainSize!, epochs, batchSize: batch, rng: rng.fork('batches'), start: performance.now() },
    (rows) => {
      for (let i = 0; i < n; i++) x[i] = u[i]! >= 0 ? 1 : -1;
      problem.minibatchLossAndGradient!(x, grad, rows);
      for (let i = 0; i < n; i++) if (Math.abs(u[i]!) > 1) grad[i] = 0;
      opt.update(grad, state, u);
      applyUpdates(u, grad);
      if (clamp > 0) for (let i = 0; i < n; i++) u[i] = Math.min(clamp, Math.max(-clamp, u[i]!));
    },
    () => losses.push(problem.loss(Int8Array.from(u, (v) => (v >= 0 ? 1 : -1)))),
  );
  return losses;
}

describe('ste in minibatches', () => {
  // 200 rows in batches of 20 (no partial batch), so the schedule's step count is plain
  const spec = 'mlp:data=mnist,train=200,test=50,arch=784-24-10,act=relu';
  for (const clamp of [0, 0.05]) {
    it(`its fused step (Adam, cosine, clip${clamp ? ', clamp ' + clamp : ''} and sign in one pass) trains exactly as the composed transformations do`, async () => {
      // lr 0.5: weights cross |u| = 1 and the clip changes the result (checked: without it this fails); a small clamp binds
      const lr = clamp ? 0.01 : 0.5;
      const expected = plainSte(loadProblem(spec), 3, lr, 3, 20, clamp);
      const result = await runSolver(findSolver('ste'), loadProblem(spec), { seed: 3, params: { batch: 20, epochs: 3, lr, clamp } });
      const log = (result.info as { epochLog: { loss: number }[] }).epochLog.map((e) => e.loss);
      expect(log).toEqual(expected);
      expect(new Set(log).size).toBe(3);
    });
  }
});
