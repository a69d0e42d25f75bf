import { describe, expect, it, vi } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { runSolver } from '../src/core/solver.js';
import { UserError } from '../src/core/errors.js';
import { mipSolver } from '../solvers/mip/solver.js';

// HiGHS as it would look with its WebAssembly file missing
vi.mock('highs', () => ({ default: () => Promise.reject(new Error('ENOENT: highs.wasm\n    at a stack line')) }));

describe('mip without HiGHS', () => {
  it('fails with one line naming the package, not a stack trace', async () => {
    const run = runSolver(mipSolver, loadProblem('teacher:n=6,m=10,loss=hinge'), { seed: 1 });
    await expect(run).rejects.toThrow(UserError);
    await expect(runSolver(mipSolver, loadProblem('teacher:n=6,m=10,loss=hinge'), { seed: 1 })).rejects.toThrow(
      /^the MIP solver needs HiGHS \(npm package 'highs'\), which failed to load: ENOENT: highs\.wasm$/,
    );
  });
});
