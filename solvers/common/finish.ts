/**
 * The common tail of every solver: optional 1-flip polish, the loss recomputed from the final
 * weights (never a running estimate), train/test scores, and the known optimum with its gap.
 */
import type { Problem } from '../../src/core/problem.js';
import type { SolveOptions } from '../../src/core/solver.js';
import { thinHistory, type HistoryPoint, type SolverResult } from '../../src/core/result.js';
import { signsToString, type Signs } from '../../src/core/signs.js';
import { localSearch } from './local-search.js';

export interface RunFacts {
  /** performance.now() at the start of the solve */
  start: number;
  iterations: number;
  history?: HistoryPoint[];
  bound?: number;
  optimum?: number;
  proven?: boolean;
  info?: Record<string, unknown>;
}

export function finishResult(problem: Problem, solver: string, options: SolveOptions, weights: Signs, facts: RunFacts): SolverResult {
  let w = weights;
  let info = facts.info;
  if (options.polish) {
    const before = problem.loss(w);
    const polished = localSearch(problem, w);
    w = polished.w;
    info = { ...info, polish: { lossBefore: before, flips: polished.flips } };
  }
  const loss = problem.loss(w);
  const optimum = facts.optimum ?? problem.knownOptimum;
  const result: SolverResult = {
    problem: problem.spec,
    solver,
    n: problem.n,
    seed: options.seed,
    loss,
    weights: signsToString(w),
    ...(problem.objective ? { objective: problem.objective(w) } : {}),
    ...(facts.bound !== undefined ? { bound: facts.bound } : {}),
    ...(optimum !== undefined ? { optimum, gap: loss - optimum } : {}),
    ...(facts.proven ? { proven: true } : {}),
    ...(problem.score ? problem.score(w) : {}),
    iterations: facts.iterations,
    timeMs: performance.now() - facts.start,
    ...(facts.history ? { history: thinHistory(facts.history) } : {}),
    ...(info ? { info } : {}),
  };
  return result;
}
