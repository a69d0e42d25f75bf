/**
 * The solver contract: a solver takes any Problem and options and returns a SolverResult
 * (CVXPY's split: the problem says what, the solver says how). Solver-specific knobs are declared
 * as typed parameters so that the CLI can validate `--param key=value`, print them in --help and
 * record the values used.
 */
import type { Problem } from './problem.js';
import type { SolverResult } from './result.js';
import { UserError } from './errors.js';

export type ParamValue = number | string | boolean;

export interface ParamSpec {
  name: string;
  type: 'number' | 'int' | 'boolean' | 'string';
  default: ParamValue;
  help: string;
  /** Allowed values for 'string' parameters. */
  choices?: readonly string[];
  /** Inclusive lower bound for numbers. */
  min?: number;
}

export interface SolveOptions {
  seed: number;
  /** Iteration budget; each solver says what an iteration is. */
  maxIter?: number;
  /** Wall-clock budget in milliseconds. */
  maxTimeMs?: number;
  /** Finish with 1-flip local search from the solver's answer. */
  polish?: boolean;
  /** Solver-specific parameters, already validated (see resolveParams). */
  params?: Record<string, ParamValue>;
  /** Called now and then on long runs (progress display). */
  onProgress?: (iteration: number, bestLoss: number) => void;
}

export interface Solver {
  readonly name: string;
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  /** Whether the solver can run on this problem; a reason when it cannot. */
  supports(problem: Problem): true | string;
  solve(problem: Problem, options: SolveOptions): SolverResult | Promise<SolverResult>;
}

/** Parses one `key=value` string against a solver's parameter list. */
export function parseParamValue(spec: ParamSpec, raw: string, where: string): ParamValue {
  switch (spec.type) {
    case 'boolean':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new UserError(`${where}: parameter '${spec.name}' must be true or false, got '${raw}'`);
    case 'string':
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new UserError(`${where}: parameter '${spec.name}' must be one of ${spec.choices.join(', ')}, got '${raw}'`);
      }
      return raw;
    case 'int':
    case 'number': {
      const v = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(v)) {
        throw new UserError(`${where}: parameter '${spec.name}' must be a finite number, got '${raw}'`);
      }
      if (spec.type === 'int' && !Number.isInteger(v)) {
        throw new UserError(`${where}: parameter '${spec.name}' must be an integer, got '${raw}'`);
      }
      if (spec.min !== undefined && v < spec.min) {
        throw new UserError(`${where}: parameter '${spec.name}' must be >= ${spec.min}, got '${raw}'`);
      }
      return v;
    }
  }
}

/**
 * Merges defaults with given values (already-typed or raw strings from the command line) and
 * refuses unknown names, so that a typo never silently falls back to a default.
 */
export function resolveParams(
  solver: Pick<Solver, 'name' | 'params'>,
  given: Record<string, ParamValue> = {},
): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of solver.params) out[p.name] = p.default;
  for (const [key, value] of Object.entries(given)) {
    const spec = solver.params.find((p) => p.name === key);
    if (!spec) {
      const known = solver.params.map((p) => p.name).join(', ') || 'none';
      throw new UserError(`solver '${solver.name}' has no parameter '${key}' (known: ${known})`);
    }
    // typed values from code are checked through their string form, so both paths obey one rule
    out[key] = parseParamValue(spec, String(value), `solver '${solver.name}'`);
  }
  return out;
}

/**
 * Runs a solver the way every front end should: refuses problems it does not support (with its
 * reason), fills in default parameters and rejects unknown ones.
 */
export async function runSolver(solver: Solver, problem: Problem, options: SolveOptions): Promise<SolverResult> {
  const why = solver.supports(problem);
  if (why !== true) throw new UserError(why);
  return solver.solve(problem, { ...options, params: resolveParams(solver, options.params) });
}
