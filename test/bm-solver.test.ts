import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { bmSolver } from '../solvers/bm/solver.js';
import { exactSolver } from '../solvers/exact.js';
import { runSolver } from '../src/core/solver.js';
import { runCli } from '../src/cli/cli.js';
import { bufferIo } from '../src/core/io.js';

const fp = (x: number) => 1e-9 * Math.max(1, Math.abs(x));

describe('bm as a Solver on quadratic problems: bound <= exact optimum <= loss', () => {
  const specs: string[] = [];
  for (let seed = 1; seed <= 12; seed++) specs.push(`lsq:n=14,m=28,noise=${seed % 3},seed=${seed}`);
  for (let seed = 1; seed <= 8; seed++) specs.push(`bqp:n=14,density=0.6,seed=${seed}`);
  for (let seed = 1; seed <= 4; seed++) specs.push(`teacher:n=14,m=60,test=10,noise=0.1,loss=squared,seed=${seed}`);
  for (const spec of specs) {
    it(spec, async () => {
      const problem = loadProblem(spec);
      const exact = await runSolver(exactSolver, problem, { seed: 1 });
      const bm = await runSolver(bmSolver, problem, { seed: 2 });
      expect(bm.bound).toBeDefined();
      expect(bm.bound!).toBeLessThanOrEqual(exact.loss + fp(exact.loss));
      expect(exact.loss).toBeLessThanOrEqual(bm.loss + fp(bm.loss));
      expect(bm.loss).toBeCloseTo(problem.loss(Int8Array.from(bm.weights, (c) => (c === '+' ? 1 : -1))), 9);
      expect((bm.info as { certified: boolean }).certified).toBe(true);
    });
  }

  it('bnnrelax solve --problem lsq:n=20 --solver bm: bound <= exact <= loss on several seeds', async () => {
    for (const seed of [1, 2, 3]) {
      const run = async (solver: string) => {
        const io = bufferIo();
        expect(await runCli(['solve', '--problem', `lsq:n=20,seed=${seed}`, '--solver', solver, '--json'], io)).toBe(0);
        return JSON.parse(io.stdout) as { loss: number; bound?: number };
      };
      const bm = await run('bm');
      const exact = await run('exact');
      expect(bm.bound!).toBeLessThanOrEqual(exact.loss + fp(exact.loss));
      expect(exact.loss).toBeLessThanOrEqual(bm.loss + fp(bm.loss));
    }
  });

  it('refuses problems without a quadratic form, with the reason', async () => {
    const problem = loadProblem('teacher:n=10,m=30,test=10,loss=hinge,seed=1');
    expect(bmSolver.supports(problem)).toMatch(/quadratic/);
    const io = bufferIo();
    expect(await runCli(['solve', '--problem', 'teacher:n=10,m=30,test=10,loss=hinge,seed=1', '--solver', 'bm'], io)).toBe(2);
    expect(io.stderr).toMatch(/needs a quadratic loss/);
    expect(io.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('the lbfgs algorithm also gives a valid bound', async () => {
    const problem = loadProblem('lsq:n=14,m=20,noise=2,seed=5');
    const exact = await runSolver(exactSolver, problem, { seed: 1 });
    const bm = await runSolver(bmSolver, problem, { seed: 2, params: { algo: 'lbfgs' } });
    expect(bm.bound!).toBeLessThanOrEqual(exact.loss + fp(exact.loss));
    expect(bm.loss).toBeGreaterThanOrEqual(exact.loss - fp(exact.loss));
  });
});
