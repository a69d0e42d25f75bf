import type { Command } from 'commander';
import { loadProblem } from '../../../problems/index.js';
import { solvers } from '../../../solvers/index.js';
import { parseSeed } from '../options.js';
import type { Io } from '../../core/io.js';
import type { SolverResult } from '../../core/result.js';
import { referee, scoreAgainst } from '../../experiments/referee.js';
import { runSolver } from '../../core/solver.js';
import { compactDemoTable, demoSummary, wideDemoTable } from '../../report/demo-table.js';

/**
 * Small seeded instances (n = 12..24) that every solver can be scored on against `exact`. The
 * teacher instances are nearly convex (most solvers find the optimum); the underdetermined noisy
 * least-squares ones have many local minima and separate the solvers.
 */
export const DEMO_PROBLEMS = [
  'teacher:n=16,m=32,test=1000,noise=0.2,loss=hinge,data=gauss,seed=1',
  'teacher:n=20,m=20,test=1000,noise=0.1,loss=hinge,data=pm1,seed=2',
  'teacher:n=20,m=40,test=1000,noise=0.2,loss=squared,data=pm1,seed=3',
  'lsq:n=12,m=8,noise=1,seed=1',
  'lsq:n=16,m=8,noise=2,seed=1',
  'lsq:n=24,m=12,noise=2,seed=2',
];

export async function runDemo(seed: number, problems = DEMO_PROBLEMS): Promise<SolverResult[]> {
  const results: SolverResult[] = [];
  for (const spec of problems) {
    const problem = loadProblem(spec);
    const reference = await referee(problem, { seed });
    for (const solver of solvers) {
      if (solver.supports(problem) !== true) continue;
      const result = reference && solver.name === reference.by ? reference.result : await runSolver(solver, problem, { seed });
      results.push(scoreAgainst(result, reference));
    }
  }
  return results;
}

export function registerDemo(program: Command, io: Io): void {
  program
    .command('demo')
    .description('solve a built-in suite of small seeded instances with every solver (the default command)')
    .option('--seed <n>', 'random seed for the solvers', parseSeed, 1)
    .option('--json', 'print the results as one JSON array')
    .option('--wide', 'one row per run with every field (default: a row per problem, the gap of each solver)')
    .action(async (flags: { seed: number; json?: boolean; wide?: boolean }) => {
      const results = await runDemo(flags.seed);
      if (flags.json) {
        io.out(JSON.stringify(results.map(({ history: _h, ...r }) => r)) + '\n');
        return;
      }
      io.out(`bnnrelax demo: ${results.length} runs, seed ${flags.seed}; gap = loss - optimum proven by exact enumeration (bb past n = 30)${flags.wide ? '; bound = certified lower bound (SDP relaxation)' : ' (opt: found it)'}\n\n`);
      io.out(flags.wide ? wideDemoTable(results) : compactDemoTable(results));
      io.out(`\n${demoSummary(results)}`);
    });
}
