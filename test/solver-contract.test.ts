import { describe, expect, it } from 'vitest';
import { defineSolver, runSolver, type SolveOptions } from '../src/core/solver.js';
import { UserError } from '../src/core/errors.js';
import type { Problem } from '../src/core/problem.js';
import type { SolverResult } from '../src/core/result.js';
import { solvers } from '../solvers/index.js';

const tiny: Problem = { spec: 'tiny', kind: 'tiny', n: 2, loss: (w) => w[0]! + w[1]! };

function resultOf(problem: Problem, options: SolveOptions, info: Record<string, unknown>): SolverResult {
  return { problem: problem.spec, solver: 'probe', n: problem.n, seed: options.seed, loss: 0, weights: '++', iterations: 0, timeMs: 0, info };
}

describe('the solver contract', () => {
  const seen: unknown[] = [];
  const probe = defineSolver({
    name: 'probe',
    summary: 'records what it receives',
    params: [
      { name: 'rate', type: 'number', default: 0.5, above: 0, below: 1, help: 'in (0, 1)' },
      { name: 'mode', type: 'string', default: 'a', choices: ['a', 'b'], help: 'a or b' },
      { name: 'flag', type: 'boolean', default: false, help: 'a flag' },
      { name: 'count', type: 'int', default: 3, min: 1, max: 10, help: '1..10' },
    ],
    supports: (problem) => (problem.n === 2 ? true : 'probe needs n = 2'),
    run(problem, options, p) {
      // typed: these lines would not compile if the values were `ParamValue`
      const rate: number = p.rate;
      const mode: 'a' | 'b' = p.mode;
      const flag: boolean = p.flag;
      const count: number = p.count;
      seen.push({ rate, mode, flag, count });
      return resultOf(problem, options, { rate, mode, flag, count });
    },
  });

  it('resolves defaults and given values (strings from the command line) to typed values', async () => {
    const r = await runSolver(probe, tiny, { seed: 1, params: { rate: '0.25', flag: 'true', mode: 'b' } });
    expect(r.info).toEqual({ rate: 0.25, mode: 'b', flag: true, count: 3 });
  });

  it('refuses, before run is called: unsupported problems, unknown names, out-of-range values', async () => {
    const before = seen.length;
    await expect(runSolver(probe, { ...tiny, n: 3 }, { seed: 1 })).rejects.toThrow(/probe needs n = 2/);
    await expect(runSolver(probe, tiny, { seed: 1, params: { rat: 1 } })).rejects.toThrow(/no parameter 'rat'/);
    await expect(runSolver(probe, tiny, { seed: 1, params: { rate: 0 } })).rejects.toThrow(/'rate' must be > 0/);
    await expect(runSolver(probe, tiny, { seed: 1, params: { rate: 1 } })).rejects.toThrow(/'rate' must be < 1/);
    await expect(runSolver(probe, tiny, { seed: 1, params: { count: 11 } })).rejects.toThrow(/'count' must be <= 10/);
    await expect(runSolver(probe, tiny, { seed: 1, params: { count: '2.5' } })).rejects.toThrow(/must be an integer/);
    await expect(runSolver(probe, tiny, { seed: 1, params: { rate: '0x1' } })).rejects.toThrow(/finite number/);
    await expect(runSolver(probe, tiny, { seed: 1, params: { rate: '' } })).rejects.toThrow(UserError);
    await expect(runSolver(probe, tiny, { seed: 1, params: { mode: 'c' } })).rejects.toThrow(/one of a, b/);
    expect(seen.length).toBe(before);
  });

  it('refuses a declaration with the same parameter twice', () => {
    expect(() =>
      defineSolver({
        name: 'twice',
        summary: '',
        params: [
          { name: 'x', type: 'int', default: 1, help: '' },
          { name: 'x', type: 'int', default: 2, help: '' },
        ],
        run: (problem, options) => resultOf(problem, options, {}),
      }),
    ).toThrow(/twice/);
  });

  it('solvers that train in epochs say so, and declare the epoch parameters', () => {
    const epochSolvers = solvers.filter((s) => s.trainsInEpochs).map((s) => s.name);
    expect(epochSolvers).toEqual(expect.arrayContaining(['ste', 'md', 'bayesbinn', 'vispa']));
    for (const s of solvers.filter((x) => x.trainsInEpochs)) {
      expect(s.params.map((p) => p.name)).toEqual(expect.arrayContaining(['epochs', 'batch']));
    }
    expect(solvers.find((s) => s.name === 'exact')!.trainsInEpochs).toBe(false);
  });
});

describe('no NaN leaves a solver', () => {
  it('finishResult refuses a non-finite number in the result (it would print as null)', async () => {
    const { finishResult } = await import('../solvers/common/finish.js');
    const overflowing = defineSolver({
      name: 'overflowing',
      summary: '',
      params: [],
      run: (problem, options) => finishResult(problem, 'overflowing', options, new Int8Array(problem.n).fill(1), { start: 0, iterations: 1, info: { state: { maxAbs: NaN } } }),
    });
    await expect(runSolver(overflowing, tiny, { seed: 1 })).rejects.toThrow(/result\.info\.state\.maxAbs is not a finite number/);
  });
});
