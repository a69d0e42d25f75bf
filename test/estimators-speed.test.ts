/**
 * The study's speed-ups change no number: the layer memo gives exactly what preActivation and
 * sigmoid give; estimateDraws is repeated estimate(1) bit for bit; the network's fused loss and
 * slope equal softplus and sigmoid; a study cut into parts and merged, or run by the worker pool,
 * gives the records of the whole study. Every comparison is exact (toEqual on the numbers).
 */
import { describe, expect, it } from 'vitest';
import type { StochasticChain } from '../src/core/stochastic-chain.js';
import { sigmoid, softplus, softplusAndSigmoid } from '../src/numerics/logistic.js';
import { Rng } from '../src/numerics/rng.js';
import { loadProblem } from '../problems/index.js';
import { StochasticBinaryNetwork } from '../problems/sbn.js';
import { twoClass2d } from '../problems/two-class-2d.js';
import { bernoulliChain } from '../solvers/estimators/bernoulli-chain.js';
import { createEstimator, STUDY_ESTIMATORS, type EstimatorOptions } from '../solvers/estimators/index.js';
import { LayerMemo } from '../solvers/estimators/layer-memo.js';
import { mergeStudyErrors, studyEstimator, studyParts, summarizeStudy, type StudyErrors, type StudyOptions } from '../src/experiments/estimator-study.js';
import { runStudyTask, type StudyTask } from '../src/experiments/estimator-task.js';
import { runStudyTasks, type TaskWorker, type WorkerReply } from '../src/experiments/estimator-pool.js';

const data = twoClass2d(5, new Rng(3, 'data'));
const network = () => new StochasticBinaryNetwork([2, 3, 4, 3], data, new Rng(5, 'init'));

/** The same chain without the caseFreeDeepLayers promise: estimators then memoise the first layer only. */
function withoutStateMemo(chain: StochasticChain): StochasticChain {
  return {
    layers: chain.layers,
    paramCount: chain.paramCount,
    blocks: chain.blocks,
    cases: chain.cases,
    differentiable: chain.differentiable,
    preActivation: (c, l, prev, a) => chain.preActivation(c, l, prev, a),
    backPreActivation: (c, l, prev, dA, scale, grad, dPrev) => chain.backPreActivation(c, l, prev, dA, scale, grad, dPrev),
    outputLoss: (c, x, dX, grad, scale) => chain.outputLoss(c, x, dX, grad, scale),
  };
}

const ALL = [...STUDY_ESTIMATORS, 'arm-fresh'];
const make = (name: string, options: EstimatorOptions = {}) => (name === 'arm-fresh' ? createEstimator('arm', undefined, { ...options, arm: 'fresh' }) : createEstimator(name, undefined, options));

describe('LayerMemo', () => {
  it('returns exactly preActivation and sigmoid, per case for layer 1 and per input state deeper, and forgets on reset', () => {
    const net = network();
    const memo = new LayerMemo(net);
    const rng = new Rng(1, 'states');
    const check = () => {
      for (let trial = 0; trial < 200; trial++) {
        const c = trial % net.cases;
        const l = trial % net.layers.length;
        const prev = l > 0 ? Float64Array.from({ length: net.layers[l - 1]! }, () => (rng.float() < 0.5 ? 1 : -1)) : null;
        const a = new Float64Array(net.layers[l]!);
        const p = new Float64Array(net.layers[l]!);
        memo.fill(c, l, prev, a, p);
        const wantA = new Float64Array(net.layers[l]!);
        net.preActivation(c, l, prev, wantA);
        expect(a).toEqual(wantA);
        expect(p).toEqual(wantA.map(sigmoid));
      }
    };
    check();
    for (let i = 0; i < net.paramCount; i++) net.params[i]! += 0.1 * (i % 3) - 0.05;
    memo.reset();
    check();
  });
});

describe('sampled sessions', () => {
  it('softplusAndSigmoid equals softplus and sigmoid bit for bit', () => {
    const slope = new Float64Array(1);
    const ts = [0, -0, 1e-300, -1e-300, 0.5, -0.5, 3, -3, 36, -36, 710, -710, 1e308, -1e308];
    for (let k = 0; k < 2000; k++) ts.push((k - 1000) / 37.3);
    for (const t of ts) {
      expect(softplusAndSigmoid(t, slope)).toBe(softplus(t));
      expect(slope[0]).toBe(sigmoid(t));
    }
  });

  it('estimateDraws is repeated estimate(1), and the state memo changes no bit, for every estimator', () => {
    for (const units of ['pm1', '01'] as const) {
      for (const name of ALL) {
        const net = network();
        const plain = withoutStateMemo(net);
        const draws = 30;
        const want: number[][] = [];
        const g = new Float64Array(net.paramCount);
        const one = make(name, { units }).start(plain);
        const r1 = new Rng(9, name);
        for (let k = 0; k < draws; k++) {
          const loss = one.estimate(1, r1, g);
          want.push([...g, loss]);
        }
        const got: number[][] = [];
        make(name, { units }).start(net).estimateDraws(draws, new Rng(9, name), g, (grad, k, loss) => {
          expect(k).toBe(got.length + 1);
          got.push([...grad, loss]);
        });
        expect(got, `${name} ${units}`).toEqual(want);
      }
    }
  });

  it('estimate(M) with the state memo equals the chain without it (multi-sample averages)', () => {
    for (const name of ALL) {
      const net = network();
      const a = new Float64Array(net.paramCount);
      const b = new Float64Array(net.paramCount);
      const va = make(name).start(net).estimate(7, new Rng(4, name), a);
      const vb = make(name).start(withoutStateMemo(net)).estimate(7, new Rng(4, name), b);
      expect([...a, va], name).toEqual([...b, vb]);
    }
  });

  it('a session follows parameters changed between estimates (the memo is reset per call)', () => {
    const net = network();
    const session = make('reinforce').start(net);
    const fresh = new Float64Array(net.paramCount);
    const kept = new Float64Array(net.paramCount);
    session.estimate(3, new Rng(2, 'x'), kept);
    for (let i = 0; i < net.paramCount; i++) net.params[i]! *= -1.5;
    session.estimate(3, new Rng(2, 'y'), kept);
    make('reinforce').start(withoutStateMemo(net)).estimate(3, new Rng(2, 'y'), fresh);
    expect(kept).toEqual(fresh);
  });

  it('Bernoulli weights: estimateDraws is repeated estimate(1)', () => {
    const problem = loadProblem('bqp:n=6,seed=2');
    const eta = Float64Array.from({ length: 6 }, (_, i) => 0.3 * i - 0.7);
    const chain = bernoulliChain(problem, eta);
    for (const name of ['reinforce', 'arm', 'psa', 'st-density', 'concrete:1']) {
      const g = new Float64Array(6);
      const want: number[][] = [];
      const s1 = make(name).start(chain);
      const r = new Rng(3, name);
      for (let k = 0; k < 20; k++) {
        const loss = s1.estimate(1, r, g);
        want.push([...g, loss]);
      }
      const got: number[][] = [];
      make(name).start(chain).estimateDraws(20, new Rng(3, name), g, (grad, _k, loss) => got.push([...grad, loss]));
      expect(got, name).toEqual(want);
    }
  });
});

describe('study parts and the worker pool', () => {
  const nested: Omit<StudyOptions, 'seed'> = { samples: [1, 4, 20], budget: 40, minReps: 1, maxReps: 6 };
  const disjoint: Omit<StudyOptions, 'seed'> = { ...nested, grouping: 'disjoint', draws: 45 };

  function tasksFor(net: StochasticBinaryNetwork, names: string[], study: Omit<StudyOptions, 'seed'>, pieces: number): StudyTask[] {
    const exact = new Float64Array(net.paramCount);
    net.exactGradient(exact);
    const netData = { sizes: [...net.sizes], params: Float64Array.from(net.params), X: data.X, y: data.y, count: data.count };
    return names.flatMap((name, ei) =>
      studyParts(createEstimator(name), study, pieces).map(({ part }) => ({
        checkpoint: 0, estimator: ei, network: netData, name, options: { units: '01' as const }, study: { ...study, seed: 4 }, units: '01' as const, exact, part,
      })),
    );
  }

  function wholeStudy(net: StochasticBinaryNetwork, name: string, study: Omit<StudyOptions, 'seed'>) {
    const exact = new Float64Array(net.paramCount);
    net.exactGradient(exact);
    return studyEstimator(net, createEstimator(name, undefined, { units: '01' }), exact, { ...study, seed: 4, transform: (g, out) => net.gradientInUnits('01', g, out) });
  }

  const merged = (net: StochasticBinaryNetwork, tasks: StudyTask[], errors: StudyErrors[], ei: number) =>
    summarizeStudy(tasks.find((t) => t.estimator === ei)!.name, net.blocks, nested.samples, mergeStudyErrors(tasks.flatMap((t, k) => (t.estimator === ei ? [errors[k]!] : []))));

  it('cut into parts and merged in order, a study gives the records of the whole', () => {
    const net = network();
    for (const study of [nested, disjoint]) {
      for (const pieces of [1, 2, 3, 7]) {
        const tasks = tasksFor(net, ['reinforce-baseline', 'psa', 'tanh'], study, pieces);
        if (study === nested && pieces > 1) expect(tasks.filter((t) => t.estimator === 0).length).toBeGreaterThan(1);
        const errors = tasks.map(runStudyTask);
        ['reinforce-baseline', 'psa', 'tanh'].forEach((name, ei) => expect(merged(net, tasks, errors, ei), `${name} ${pieces}`).toEqual(wholeStudy(net, name, study)));
      }
    }
  });

  /** A worker stand-in: runs each task asynchronously on a structured clone, as a thread would receive it. */
  function fakeSpawner(failOn?: string) {
    let spawned = 0;
    const spawn = (): TaskWorker => {
      spawned++;
      const listeners: { message?: (r: WorkerReply) => void; error?: (e: Error) => void } = {};
      return {
        postMessage(task) {
          const copy = structuredClone(task);
          setTimeout(() => {
            const reply: WorkerReply = copy.name === failOn ? { error: 'boom' } : { errors: structuredClone(runStudyTask(copy)) };
            listeners.message?.(reply);
          }, 1);
        },
        on(event: 'message' | 'error', listener: never) {
          listeners[event] = listener;
        },
        terminate() {},
      };
    };
    return { spawn, count: () => spawned };
  }

  it('the pool returns every task result in the tasks order, whatever the number of threads', async () => {
    const net = network();
    const tasks = tasksFor(net, ['arm', 'st-density', 'concrete:0.1'], nested, 3);
    const inThread = await runStudyTasks(tasks, 1, undefined, null);
    for (const threads of [2, 3, 16]) {
      const fake = fakeSpawner();
      const seen: number[] = [];
      const pooled = await runStudyTasks(tasks, threads, (done, of) => seen.push(done / of), fake.spawn);
      expect(pooled).toEqual(inThread);
      expect(fake.count()).toBe(Math.min(threads, tasks.length));
      expect(seen.at(-1)).toBe(1);
    }
  });

  it('the pool fails with the task and its message when a worker reports an error', async () => {
    const net = network();
    const tasks = tasksFor(net, ['reinforce', 'psa'], nested, 2);
    await expect(runStudyTasks(tasks, 2, undefined, fakeSpawner('psa').spawn)).rejects.toThrow('estimator study task (psa): boom');
  });
});
