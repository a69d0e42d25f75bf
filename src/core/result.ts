/**
 * The one result shape every solver returns, and the only thing the CLI prints or writes.
 * Field meanings (also in the README):
 *   loss      the problem's loss at `weights` (recomputed from the weights, never a running estimate)
 *   weights   the binary solution as a string of '+'/'-'
 *   bound     a certified lower bound on the optimal loss (SDP relaxations), if the solver has one
 *   optimum   the optimal loss when known (proven by `exact`, or given by the construction)
 *   proven    true when `weights` is proven optimal
 *   gap       loss - optimum, when `optimum` is known
 *   objective the solution's objective in the problem file's own convention (sense, 0/1 or ±1
 *             variables), for problems read from files that have one
 *   history   sampled progress: the best loss so far after `iteration` iterations
 * JSON carries the weights as text; `weightsOf(result)` gives them back as an Int8Array of +-1.
 */
import { signsFromString, type Signs } from './signs.js';

export interface HistoryPoint {
  iteration: number;
  loss: number;
}

export interface SolverResult {
  problem: string;
  solver: string;
  n: number;
  seed: number;
  loss: number;
  weights: string;
  objective?: number;
  bound?: number;
  optimum?: number;
  proven?: boolean;
  gap?: number;
  trainError?: number;
  testError?: number;
  iterations: number;
  timeMs: number;
  history?: HistoryPoint[];
  /** Solver-specific facts worth keeping (parameters used, certificate details, ...). */
  info?: Record<string, unknown>;
}

/** Fills `optimum` and `gap` from a known optimum value (e.g. from a separate exact solve). */
export function withOptimum(result: SolverResult, optimum: number): SolverResult {
  return { ...result, optimum, gap: result.loss - optimum };
}

/**
 * Keeps at most `limit` history points, evenly spaced in index, always keeping the last one:
 * long runs stay small in JSON without losing the shape of the curve.
 */
export function thinHistory(history: HistoryPoint[], limit = 200): HistoryPoint[] {
  if (history.length <= limit) return history;
  const out: HistoryPoint[] = [];
  const step = (history.length - 1) / (limit - 1);
  for (let k = 0; k < limit; k++) out.push(history[Math.round(k * step)]!);
  return out;
}

/** The weights of a result as an Int8Array of +1/-1 (results carry them as a '+'/'-' string, for JSON). */
export function weightsOf(result: Pick<SolverResult, 'weights'>): Signs {
  return signsFromString(result.weights);
}
