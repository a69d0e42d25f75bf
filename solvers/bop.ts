/**
 * Bop (Helwegen et al., 2019): no latent weights; an exponential moving average m of the gradient
 * at the binary point, and w_i flips when m_i is past a threshold and agrees in sign with w_i
 * (so the flip goes downhill). Deviation from the paper, for problems of very different loss
 * scales: each gradient is divided by its root mean square before averaging, so the threshold is
 * in units of the typical gradient entry.
 */
import { defineSolver } from '../src/core/solver.js';
import { Rng } from '../src/numerics/rng.js';
import { randomSigns } from '../src/core/signs.js';
import { finishResult } from './common/finish.js';
import { needsGradient } from './common/requirements.js';
import { RunLoop } from './common/run-loop.js';

export const bopSolver = defineSolver({
  name: 'bop',
  summary: 'Bop: flip a weight when the gradient moving average agrees with it past a threshold',
  params: [
    { name: 'gamma', type: 'number', default: 0.05, min: 0, help: 'adaptivity rate of the gradient moving average' },
    { name: 'tau', type: 'number', default: 0.5, min: 0, help: 'flip threshold, in units of the RMS gradient entry' },
    { name: 'iters', type: 'int', default: 500, min: 1, help: 'iterations; --max-iter overrides' },
  ],
  supports: (problem) => needsGradient(problem, 'bop'),
  run(problem, options, { gamma, tau, iters: defaultIters }) {
    const loop = new RunLoop(problem, options);
    const iters = options.maxIter ?? defaultIters;
    const n = problem.n;
    const w = randomSigns(n, new Rng(options.seed, 'bop'));
    const m = new Float64Array(n);
    const x = new Float64Array(n);
    const grad = new Float64Array(n);
    loop.offer(w);
    loop.record(0);
    let it = 0;
    for (; it < iters; it++) {
      x.set(w);
      problem.lossAndGradient!(x, grad);
      let ss = 0;
      for (let i = 0; i < n; i++) ss += grad[i]! * grad[i]!;
      const rms = Math.sqrt(ss / n) || 1;
      for (let i = 0; i < n; i++) {
        m[i] = (1 - gamma) * m[i]! + (gamma * grad[i]!) / rms;
        if (Math.abs(m[i]!) > tau && m[i]! * w[i]! > 0) w[i] = -w[i]!;
      }
      loop.offer(w);
      loop.record(it + 1);
      if (loop.timeUp()) {
        it++;
        break;
      }
    }
    return finishResult(problem, 'bop', options, loop.best, { start: loop.start, iterations: it, history: loop.history, info: { gamma, tau } });
  },
});
