/**
 * The common tail of every solver: optional 1-flip polish, the loss recomputed from the final
 * weights (never a running estimate), train/test scores, and the known optimum with its gap.
 */
import type { Problem } from '../../src/core/problem.js';
import type { SolveOptions } from '../../src/core/solver.js';
import { thinHistory, type HistoryPoint, type SolverResult } from '../../src/core/result.js';
import { signsToString, type Signs } from '../../src/core/signs.js';
import { UserError } from '../../src/core/errors.js';
import { localSearch } from './local-search.js';

/** The path of the first non-finite number in a value (depth-limited), or undefined. */
function nonFinitePath(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (depth > 6 || value === null || typeof value !== 'object') return undefined;
  for (const [k, v] of Object.entries(value)) {
    const found = nonFinitePath(v, `${path}.${k}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

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
  // no NaN or Infinity leaves a solver (JSON would print it as null): a state that overflowed is
  // an error, not a result
  const bad = nonFinitePath({ loss: result.loss, bound: result.bound, info }, 'result');
  if (bad) throw new UserError(`solver '${solver}' on '${problem.spec}': ${bad} is not a finite number (its state overflowed: lower the learning rate or the step size)`);
  return result;
}
