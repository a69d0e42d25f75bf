/**
 * The referee (src/experiments/referee.ts) past exact and bb: mip's proven bound, checked on
 * small instances against optima computed independently (exact enumeration of the loss for the
 * teacher losses; a plain enumeration of the training error written here for a sign network),
 * with and without a budget too short for the proof; which method referees what; and a bench
 * unit refereed by mip carrying the same bound on every row.
 */
import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver } from '../src/core/solver.js';
import type { Problem } from '../src/core/problem.js';
import { referee, refereeFields, refereeName, referenceFromResult, scoreAgainst } from '../src/experiments/referee.js';
import { refereedUnit } from '../src/experiments/solver-suites.js';
import { BOUNDS_SPECS } from '../src/experiments/bounds-suite.js';
import type { CaseRow } from '../src/experiments/suite.js';

/** The least training error over all 2^n weight vectors, by the problem's own scoring. */
function leastTrainError(problem: Problem): number {
  let best = Infinity;
  const w = new Int8Array(problem.n);
  for (let code = 0; code < 2 ** problem.n; code++) {
    for (let i = 0; i < problem.n; i++) w[i] = (code >>> i) & 1 ? 1 : -1;
    best = Math.min(best, problem.score!(w).trainError!);
  }
  return best;
}

describe('the mip referee never claims more than the optimum (n <= 16)', () => {
  const teachers = [
    'teacher:n=14,m=40,test=10,noise=0.1,loss=hinge,data=gauss,seed=2',
    'teacher:n=12,m=24,test=10,noise=0.1,loss=01,data=gauss,seed=3',
    'teacher:n=16,m=32,test=10,noise=0.1,loss=01,data=pm1,seed=1',
  ];
  for (const spec of teachers) {
    it(`${spec}: bound <= exact's optimum, proven optimal with no budget limit`, async () => {
      const problem = loadProblem(spec);
      const exact = await runSolver(findSolver('exact'), problem, { seed: 1 });
      expect(exact.proven).toBe(true);
      const ref = (await referee(problem, { seed: 1, methods: ['mip'] }))!;
      expect(ref.by).toBe('mip');
      expect(ref.quantity).toBe('loss');
      expect(ref.bound!).toBeLessThanOrEqual(exact.loss + 1e-12);
      expect(ref.optimum).toBeDefined();
      expect(ref.optimum!).toBeCloseTo(exact.loss, 9);
      // the referee's bound is its optimum once proven, and a proven hinge bound is tight
      expect(ref.bound).toBe(ref.optimum);
    }, 60_000);
  }

  it('a budget too short for the proof: only a bound, still <= the optimum, and nothing scored', async () => {
    const problem = loadProblem('teacher:n=16,m=60,test=10,noise=0.2,loss=01,data=gauss,seed=2');
    const exact = await runSolver(findSolver('exact'), problem, { seed: 1 });
    const ref = (await referee(problem, { seed: 1, methods: ['mip'], maxTimeMs: 50 }))!;
    expect(ref.budgetMs).toBe(50);
    expect(ref.bound!).toBeLessThanOrEqual(exact.loss + 1e-12);
    if (ref.optimum === undefined) {
      const fields = refereeFields(ref);
      expect(fields.refProven).toBe(false);
      expect(fields.refOptimum).toBeUndefined();
      // an unproven reference sets no optimum or gap on the results it referees
      const { optimum: _o, gap: _g, proven: _p, ...unscored } = exact;
      const scored = scoreAgainst(unscored, ref);
      expect(scored.gap).toBeUndefined();
      expect(scored.optimum).toBeUndefined();
    } else expect(ref.optimum).toBeCloseTo(exact.loss, 9);
  }, 60_000);

  it('a sign network with a hidden layer: the bound is of the training error, <= the least one enumerated', async () => {
    const problem = loadProblem('mlp:data=moons,arch=4-2-1,train=12,test=20,levels=2,seed=3');
    expect(problem.n).toBe(10);
    const least = leastTrainError(problem);
    const ref = (await referee(problem, { seed: 1, methods: ['mip'] }))!;
    expect(ref.quantity).toBe('trainError');
    expect(ref.bound!).toBeLessThanOrEqual(least + 1e-12);
    expect(ref.optimum!).toBeCloseTo(least, 12);
    // the cross-entropy loss is not what is bounded: results are not scored on it
    const ste = await runSolver(findSolver('ste'), problem, { seed: 1 });
    expect(scoreAgainst(ste, ref).optimum).toBeUndefined();
    // read back from its row, the reference is the same
    const back = referenceFromResult(ref.result);
    expect([back.quantity, back.bound, back.optimum]).toEqual([ref.quantity, ref.bound, ref.optimum]);
  }, 60_000);
});

describe('which method referees', () => {
  it('exact up to n = 30, bb for quadratic losses beyond, mip for hinge/0-1 and one-output sign networks, else none', () => {
    expect(refereeName(loadProblem('teacher:n=20,m=40,test=10,loss=hinge,seed=1'))).toBe('exact');
    expect(refereeName(loadProblem('bqp:n=40,seed=1'))).toBe('bb');
    expect(refereeName(loadProblem('teacher:n=40,m=80,test=10,loss=hinge,seed=1'))).toBe('mip');
    expect(refereeName(loadProblem('teacher:n=40,m=80,test=10,loss=01,seed=1'))).toBe('mip');
    expect(refereeName(loadProblem('teacher:n=40,m=80,test=10,loss=logistic,seed=1'))).toBeUndefined();
    // several output units: the MILP ranks centred scores, so mip proves nothing there
    expect(refereeName(loadProblem('mlp:data=moons,arch=16-2-2,train=20,test=10,seed=1'))).toBeUndefined();
    expect(refereeName(loadProblem('mlp:data=moons,arch=16-2-1,train=20,test=10,seed=1'))).toBe('mip');
  });

  it('a result read back keeps a bound that is not proven as a bound only, never as an optimum', () => {
    const base = { problem: 'p', n: 40, seed: 1, weights: '+', iterations: 0, timeMs: 1 };
    const bb = referenceFromResult({ ...base, solver: 'bb', loss: 5, bound: 4 });
    expect([bb.quantity, bb.bound, bb.optimum]).toEqual(['loss', 4, undefined]);
    expect(refereeFields(bb)).toEqual({ refBy: 'bb', refOf: 'loss', refBound: 4, refProven: false });
    const net = referenceFromResult({ ...base, solver: 'mip', loss: 0.6, trainError: 0.25, info: { trainErrorBound: 0.1, trainErrorProven: false } });
    expect([net.quantity, net.bound, net.optimum]).toEqual(['trainError', 0.1, undefined]);
    const proven = referenceFromResult({ ...base, solver: 'mip', loss: 0.6, trainError: 0.25, info: { trainErrorBound: 0.25, trainErrorProven: true } });
    expect([proven.quantity, proven.bound, proven.optimum]).toEqual(['trainError', 0.25, 0.25]);
    // no bound at all: no refBound field
    expect(refereeFields(referenceFromResult({ ...base, solver: 'local', loss: 3 }))).toEqual({ refBy: 'local', refOf: 'loss', refProven: false });
  });

  it('every case of bench bounds is one only mip can referee', () => {
    for (const spec of BOUNDS_SPECS) expect(refereeName(loadProblem(spec)), spec).toBe('mip');
  });
});

describe('a bench unit refereed by mip', () => {
  it('runs mip once and puts its proven bound on every row; a problem mip cannot referee is skipped', async () => {
    const spec = 'teacher:n=12,m=40,test=10,noise=0.1,loss=hinge,data=gauss,seed=4';
    const unit = refereedUnit(spec, [findSolver('local'), findSolver('ste')], 1, { method: 'mip', maxTimeMs: 30_000 });
    expect(unit.caseIds).toEqual([`${spec}|mip|seed=1`, `${spec}|local|seed=1`, `${spec}|ste|seed=1`]);
    const rows: CaseRow[] = [];
    const skipped: string[] = [];
    await unit.run(new Map(), { emit: (r) => rows.push(r), skip: (id) => skipped.push(id) });
    expect(skipped).toEqual([]);
    expect(rows.map((r) => r.solver)).toEqual(['mip', 'local', 'ste']);
    const mip = rows[0]!;
    expect(mip.proven).toBe(true);
    for (const r of rows) {
      expect([r.refBy, r.refOf, r.refBound, r.refOptimum, r.refProven, r.refBudgetMs]).toEqual(['mip', 'loss', mip.loss, mip.loss, true, 30_000]);
      // a proven reference on the loss scores every row
      expect(r.gap).toBeCloseTo((r.loss as number) - (mip.loss as number), 12);
      expect(r.loss as number).toBeGreaterThanOrEqual((mip.loss as number) - 1e-12);
    }
    // resumed with the referee's row done: its bound comes from that row, mip does not run again
    const again: CaseRow[] = [];
    await unit.run(new Map([[rows[0]!.case, rows[0]!]]), { emit: (r) => again.push(r), skip: () => {} });
    expect(again.map((r) => [r.solver, r.refBound, r.refBudgetMs])).toEqual([['local', mip.loss, 30_000], ['ste', mip.loss, 30_000]]);

    const bqp = refereedUnit('bqp:n=8,seed=1', [findSolver('local')], 1, { method: 'mip' });
    const reasons: string[] = [];
    await bqp.run(new Map(), { emit: () => {}, skip: (_id, why) => reasons.push(why) });
    expect(reasons[0]).toMatch(/mip/);
  }, 90_000);
});
