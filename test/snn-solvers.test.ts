import { describe, expect, it } from 'vitest';
import { createSnn } from '../problems/snn.js';
import { parseSpec } from '../src/core/spec.js';
import { bayesBisnnUpdate, trainBayesBisnn, bisnnBayesSolver } from '../solvers/bisnn-bayes.js';
import { bisnnStSolver } from '../solvers/bisnn-st.js';
import { resolveParams, runSolver } from '../src/core/solver.js';
import { Rng } from '../src/numerics/rng.js';
import { loadProblem } from '../problems/index.js';
import { mulberry32 } from './helpers.js';

const tiny = () => createSnn(parseSpec('snn:data=moons,hidden=5-4,steps=12,burnin=2,neurons=3,train=8,test=6,seed=2'));

describe('Bayes-BiSNN update', () => {
  it('matches lambda <- (1 - lr rho) lambda - lr (g s - rho lambda0), s = (1 - w^2 + 1e-10) / (tau (1 - tanh(lambda)^2 + 1e-10))', () => {
    const r = mulberry32(3);
    const n = 50;
    const lambda = Float64Array.from({ length: n }, () => 4 * (2 * r() - 1));
    const wr = Float64Array.from({ length: n }, () => 2 * r() - 1);
    const g = Float64Array.from({ length: n }, () => 2 * r() - 1);
    const [lr, rho, tau, prior] = [0.1, 0.045, 0.7, 0.3];
    const expected = Array.from(lambda, (l, i) => {
      const mu = Math.tanh(l);
      const s = (1 - wr[i]! ** 2 + 1e-10) / tau / (1 - mu * mu + 1e-10);
      return (1 - lr * rho) * l - lr * (g[i]! * s - rho * prior);
    });
    bayesBisnnUpdate(lambda, wr, g, lr, rho, tau, prior);
    expected.forEach((v, i) => expect(lambda[i]).toBeCloseTo(v, 12));
  });

  it('the solver takes exactly that step from its seeded start (one full-batch step)', () => {
    const p = tiny();
    const params = { ...resolveParams(bisnnBayesSolver, { epochs: 1, batch: 8, tau: 0.8, p0: 0.6 }) } as Parameters<typeof trainBayesBisnn>[2];
    const { lambda } = trainBayesBisnn(p, { seed: 4 }, params);
    // the same streams, by hand
    const rng = new Rng(4, 'bisnn-bayes');
    const init = rng.fork('init');
    const l0 = Float64Array.from({ length: p.n }, () => 10 * (init.float() < 0.6 ? 1 : -1));
    const noise = rng.fork('noise');
    const wr = Float64Array.from(l0, (l) => {
      const u = noise.floatOpen();
      return Math.tanh((l + 0.5 * Math.log(u / (1 - u))) / 0.8);
    });
    const g = new Float64Array(p.n);
    p.lossAndGradient(wr, g);
    const prior = 0.5 * Math.log(0.6 / 0.4);
    const lr = 0.1;
    const rho = 5e-4 * 90;
    let moved = 0;
    for (let i = 0; i < p.n; i++) {
      const mu = Math.tanh(l0[i]!);
      const s = (1 - wr[i]! ** 2 + 1e-10) / 0.8 / (1 - mu * mu + 1e-10);
      const expected = (1 - lr * rho) * l0[i]! - lr * (g[i]! * s - rho * prior);
      expect(lambda[i]! / expected).toBeCloseTo(1, 9);
      if (Math.abs(expected - (1 - lr * rho) * l0[i]! - lr * rho * prior) > 1e-6) moved++;
    }
    expect(moved).toBeGreaterThan(0);
  });
});

describe('BiSNN solvers', () => {
  it('ST-BiSNN takes u <- u - lr g(sign u) from +-init', async () => {
    const p = tiny();
    const result = await runSolver(bisnnStSolver, p, { seed: 5, params: { epochs: 1, batch: 8, lr: 40, init: 0.01 } });
    const init = new Rng(5, 'bisnn-st').fork('init');
    const u = Float64Array.from({ length: p.n }, () => 0.01 * init.sign());
    const g = new Float64Array(p.n);
    p.lossAndGradient(Float64Array.from(u, (v) => (v >= 0 ? 1 : -1)), g);
    const expected = Array.from(u, (v, i) => (v - 40 * g[i]! >= 0 ? '+' : '-')).join('');
    expect(result.weights).toBe(expected);
    expect(expected).not.toBe(Array.from(u, (v) => (v >= 0 ? '+' : '-')).join(''));
  });

  it('both rules report MAP (and for Bayes, ensemble) test accuracy and ECE; same seed, same result', async () => {
    const spec = 'snn:data=moons,hidden=8,steps=20,burnin=4,neurons=4,train=20,test=20,seed=1';
    for (const solver of [bisnnStSolver, bisnnBayesSolver]) {
      const params: Record<string, number> = solver === bisnnBayesSolver ? { epochs: 2, batch: 10, samples: 3 } : { epochs: 2, batch: 10 };
      const a = await runSolver(solver, loadProblem(spec), { seed: 2, params });
      const b = await runSolver(solver, loadProblem(spec), { seed: 2, params });
      expect(a.weights).toBe(b.weights);
      const info = a.info as { map: { testAccuracy: number; ece: number }; ensemble?: { testAccuracy: number; ece: number } };
      expect(info.map.testAccuracy).toBeCloseTo(1 - a.testError!, 12);
      expect(info.map.ece).toBeGreaterThanOrEqual(0);
      if (solver === bisnnBayesSolver) expect(info.ensemble!.ece).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses problems that are not spiking networks', async () => {
    await expect(runSolver(bisnnStSolver, loadProblem('mlp:data=moons,arch=16-4-2'), { seed: 1 })).rejects.toThrow(/spiking networks/);
    await expect(runSolver(bisnnBayesSolver, loadProblem('bqp:n=5,seed=1'), { seed: 1 })).rejects.toThrow(/gradient|spiking/);
  });
});
