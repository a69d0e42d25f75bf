/**
 * The one "score every solver against the truth" of the toolkit (demo, the bench suites,
 * bench/md-gap.ts): the proven optimum of a problem, or failing that a proven lower bound on it,
 * and a result scored against it. The methods, in order of preference:
 *  - `exact` where it can enumerate (n <= 30): the optimum of the loss;
 *  - `bb` within a time budget (quadratic losses): the optimum, or its proven bound;
 *  - `mip` (HiGHS) within a time budget where it proves something (solvers/mip/solver.ts,
 *    mipBoundQuantity): teacher hinge and 0-1 losses (a bound on the loss), sign networks with
 *    one output unit (a bound on the training error, since the mlp loss is cross-entropy, which
 *    the MILP does not model).
 * A reference that is not proven optimal never scores anything (`optimum`, `gap` stay unset);
 * it carries its proven lower bound, and the bench rows carry that bound as `refBound`.
 */
import type { Problem } from '../core/problem.js';
import { withOptimum, type SolverResult } from '../core/result.js';
import { runSolver } from '../core/solver.js';
import { findSolver } from '../../solvers/index.js';
import { mipBoundQuantity } from '../../solvers/mip/solver.js';

export type RefereeMethod = 'exact' | 'bb' | 'mip';

export const REFEREE_METHODS: readonly RefereeMethod[] = ['exact', 'bb', 'mip'];

/** What a reference's optimum and bound are of: the problem's loss, or its training error. */
export type RefereeQuantity = 'loss' | 'trainError';

export interface Reference {
  /** the referee's own result (reuse it instead of running the same solver again) */
  result: SolverResult;
  /** the solver that refereed: 'exact', 'bb' or 'mip' */
  by: string;
  /** what `optimum` and `bound` are of */
  quantity: RefereeQuantity;
  /** the proven optimum; undefined when the referee ran out of budget */
  optimum?: number;
  /** proven lower bound on the optimum (the optimum itself when proven) */
  bound?: number;
  /** the time budget the referee ran under (bb, mip); undefined: none (exact) */
  budgetMs?: number;
}

export interface RefereeOptions {
  seed: number;
  /** budget of bb or mip where exact cannot run (default 10 minutes) */
  maxTimeMs?: number;
  /** the methods to try, in order (default: exact, bb, mip) */
  methods?: readonly RefereeMethod[];
}

export const REFEREE_DEFAULT_MS = 600_000;

/** Which solver referees this problem: the first of `methods` that can run and prove something on it. */
export function refereeName(problem: Problem, methods: readonly RefereeMethod[] = REFEREE_METHODS): RefereeMethod | undefined {
  return methods.find((m) => findSolver(m).supports(problem) === true && (m !== 'mip' || mipBoundQuantity(problem) !== undefined));
}

export async function referee(problem: Problem, options: RefereeOptions): Promise<Reference | undefined> {
  const name = refereeName(problem, options.methods);
  if (!name) return undefined;
  const budgetMs = name === 'exact' ? undefined : (options.maxTimeMs ?? REFEREE_DEFAULT_MS);
  const result = await runSolver(findSolver(name), problem, {
    seed: options.seed,
    ...(budgetMs !== undefined ? { maxTimeMs: budgetMs } : {}),
    // the objective whose bound is the training error (mip's default, stated so that it stays so)
    ...(name === 'mip' && problem.signNetwork ? { params: { objective: 'max_correct' } } : {}),
  });
  return { ...referenceFromResult(result), ...(budgetMs !== undefined ? { budgetMs } : {}) };
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * A referee's result (e.g. a row read back from a results file) as a Reference. A mip result on
 * a sign network bounds the training error (info.trainErrorBound, proven optimal when
 * info.trainErrorProven); every other result bounds the loss (`bound`, optimal when `proven`).
 */
export function referenceFromResult(result: SolverResult): Reference {
  const info = result.info ?? {};
  if (result.solver === 'mip' && result.bound === undefined && finite(info.trainErrorBound)) {
    const optimum = info.trainErrorProven === true && finite(result.trainError) ? result.trainError : undefined;
    return { result, by: 'mip', quantity: 'trainError', ...(optimum !== undefined ? { optimum } : {}), bound: optimum ?? info.trainErrorBound };
  }
  const optimum = result.proven ? result.loss : undefined;
  const bound = optimum ?? result.bound;
  return { result, by: result.solver, quantity: 'loss', ...(optimum !== undefined ? { optimum } : {}), ...(bound !== undefined ? { bound } : {}) };
}

/** The result with optimum and gap from a reference proven optimal on the loss; unchanged otherwise. */
export function scoreAgainst(result: SolverResult, reference: Reference | undefined): SolverResult {
  return reference?.quantity === 'loss' && reference.optimum !== undefined ? withOptimum(result, reference.optimum) : result;
}

/**
 * The referee's facts as results-row fields, the same on every row of a case (the referee's
 * own included), so that each row's gap to the proven bound is known from the row alone:
 *   refBy        the method ('exact', 'bb', 'mip')
 *   refOf        what the bound is of: 'loss' or 'trainError'
 *   refBound     the proven lower bound (absent when the referee proved none)
 *   refOptimum   the proven optimum, when proven
 *   refProven    whether the optimum is proven (false: refBound is only a bound)
 *   refBudgetMs  the referee's time budget (absent for exact, which has none)
 */
export function refereeFields(reference: Reference): Record<string, unknown> {
  return {
    refBy: reference.by,
    refOf: reference.quantity,
    ...(reference.bound !== undefined ? { refBound: reference.bound } : {}),
    ...(reference.optimum !== undefined ? { refOptimum: reference.optimum } : {}),
    refProven: reference.optimum !== undefined,
    ...(reference.budgetMs !== undefined ? { refBudgetMs: reference.budgetMs } : {}),
  };
}
