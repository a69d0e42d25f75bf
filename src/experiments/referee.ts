/**
 * The one "score every solver against the truth" of the toolkit (demo, the bench suites,
 * bench/md-gap.ts): the proven optimum of a problem, by `exact` where it can enumerate
 * (n <= 30), else by `bb` within a time budget, and a result scored against it (optimum, gap).
 * A reference that is not proven (bb stopped by its budget) never scores anything: it carries
 * its incumbent and proven lower bound for the record only.
 */
import type { Problem } from '../core/problem.js';
import { withOptimum, type SolverResult } from '../core/result.js';
import { runSolver } from '../core/solver.js';
import { findSolver } from '../../solvers/index.js';

export interface Reference {
  /** the referee's own result (reuse it instead of running the same solver again) */
  result: SolverResult;
  /** 'exact' or 'bb' */
  by: string;
  /** the proven optimum; undefined when the referee ran out of budget */
  optimum?: number;
  /** proven lower bound on the optimum */
  bound?: number;
}

export interface RefereeOptions {
  seed: number;
  /** budget of bb where exact cannot run (default 10 minutes) */
  maxTimeMs?: number;
}

export const REFEREE_DEFAULT_MS = 600_000;

/** Which solver referees this problem: exact where it can run, else bb, else none. */
export function refereeName(problem: Problem): 'exact' | 'bb' | undefined {
  if (findSolver('exact').supports(problem) === true) return 'exact';
  if (findSolver('bb').supports(problem) === true) return 'bb';
  return undefined;
}

export async function referee(problem: Problem, options: RefereeOptions): Promise<Reference | undefined> {
  const name = refereeName(problem);
  if (!name) return undefined;
  const result = await runSolver(findSolver(name), problem, {
    seed: options.seed,
    ...(name === 'bb' ? { maxTimeMs: options.maxTimeMs ?? REFEREE_DEFAULT_MS } : {}),
  });
  return referenceFromResult(result);
}

/** A referee's result (e.g. a row read back from a results file) as a Reference. */
export function referenceFromResult(result: SolverResult): Reference {
  return {
    result,
    by: result.solver,
    ...(result.proven ? { optimum: result.loss } : {}),
    ...(result.bound !== undefined ? { bound: result.bound } : {}),
  };
}

/** The result with optimum and gap from a proven reference; unchanged otherwise. */
export function scoreAgainst(result: SolverResult, reference: Reference | undefined): SolverResult {
  return reference?.optimum !== undefined ? withOptimum(result, reference.optimum) : result;
}
