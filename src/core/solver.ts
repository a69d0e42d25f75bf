/**
 * The solver contract: a solver takes any Problem and options and returns a SolverResult
 * (CVXPY's split: the problem says what, the solver says how). Solver-specific knobs are declared
 * once, as typed parameter specs, so that the CLI can validate `--param key=value`, print them in
 * --help and record the values used, and so that the solver receives them typed.
 *
 * Validation happens in ONE place, `runSolver`: it refuses problems the solver does not support
 * (with the solver's reason), fills in defaults, rejects unknown names and out-of-range values,
 * and only then calls the solver's `run` with the resolved, typed parameters. Solvers never check
 * `supports` or resolve parameters themselves.
 */
import type { Problem } from './problem.js';
import type { SolverResult } from './result.js';
import { UserError } from './errors.js';

export type ParamValue = number | string | boolean;

interface ParamBase {
  readonly name: string;
  readonly help: string;
}

export interface NumberParamSpec extends ParamBase {
  readonly type: 'number' | 'int';
  readonly default: number;
  /** inclusive bounds */
  readonly min?: number;
  readonly max?: number;
  /** exclusive bounds (e.g. eps > 0, beta < 1) */
  readonly above?: number;
  readonly below?: number;
}

export interface StringParamSpec extends ParamBase {
  readonly type: 'string';
  readonly default: string;
  /** allowed values; absent means any non-empty string */
  readonly choices?: readonly string[];
}

export interface BooleanParamSpec extends ParamBase {
  readonly type: 'boolean';
  readonly default: boolean;
}

export type ParamSpec = NumberParamSpec | StringParamSpec | BooleanParamSpec;

/** The TypeScript type of one declared parameter's value. */
export type ParamType<S extends ParamSpec> = S extends BooleanParamSpec
  ? boolean
  : S extends { readonly type: 'string'; readonly choices: readonly (infer C extends string)[] }
    ? C
    : S extends StringParamSpec
      ? string
      : number;

/** The resolved parameters of a solver, typed from its declaration. */
export type ParamsOf<P extends readonly ParamSpec[]> = { readonly [S in P[number] as S['name']]: ParamType<S> };

export interface SolveOptions {
  seed: number;
  /** Iteration budget; each solver says what an iteration is. */
  maxIter?: number;
  /** Wall-clock budget in milliseconds. */
  maxTimeMs?: number;
  /** Finish with 1-flip local search from the solver's answer. */
  polish?: boolean;
  /** Solver-specific parameters as given (typed values from code, or strings from the command line). */
  params?: Record<string, ParamValue>;
  /** Called now and then on long runs (progress display); `note`, when given, says more (bb: nodes, open, bound, gap). */
  onProgress?: (iteration: number, bestLoss: number, note?: string) => void;
}

export interface Solver {
  readonly name: string;
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  /**
   * Whether the solver trains in epochs of minibatches on problems with training data (it then
   * declares the `epochs` and `batch` parameters of solvers/common/epochs.ts): what `train` and
   * `bench mlp` look for.
   */
  readonly trainsInEpochs: boolean;
  /** Whether the solver can run on this problem; a reason when it cannot. */
  supports(problem: Problem): true | string;
  /**
   * Runs the solver with parameters already resolved by `runSolver`. Call `runSolver`, not this:
   * it is the one place that validates.
   */
  run(problem: Problem, options: SolveOptions, params: Readonly<Record<string, ParamValue>>): SolverResult | Promise<SolverResult>;
}

/** What a solver module writes; `defineSolver` turns it into a Solver. */
export interface SolverDefinition<P extends readonly ParamSpec[]> {
  readonly name: string;
  readonly summary: string;
  readonly params: P;
  readonly trainsInEpochs?: boolean;
  /** Absent: the solver runs on every problem. */
  supports?(problem: Problem): true | string;
  run(problem: Problem, options: SolveOptions, params: ParamsOf<P>): SolverResult | Promise<SolverResult>;
}

/**
 * Declares a solver. The parameter list is read as a constant, so `run` receives each parameter
 * with its own type (a number, a boolean, or the union of a string parameter's choices).
 */
export function defineSolver<const P extends readonly ParamSpec[]>(definition: SolverDefinition<P>): Solver {
  const names = new Set<string>();
  for (const spec of definition.params) {
    if (names.has(spec.name)) throw new Error(`solver '${definition.name}' declares parameter '${spec.name}' twice`);
    names.add(spec.name);
  }
  const { supports, run } = definition;
  return {
    name: definition.name,
    summary: definition.summary,
    params: definition.params,
    trainsInEpochs: definition.trainsInEpochs ?? false,
    supports: supports ? (problem) => supports.call(definition, problem) : () => true,
    // The one place where the untyped record (already checked against the declaration by
    // resolveParams) meets the declared types.
    run: (problem, options, params) => run.call(definition, problem, options, params as ParamsOf<P>),
  };
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

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
      if (raw === '') throw new UserError(`${where}: parameter '${spec.name}' must not be empty`);
      return raw;
    case 'int':
    case 'number': {
      const v = Number(raw);
      if (!DECIMAL.test(raw.trim()) || !Number.isFinite(v)) {
        throw new UserError(`${where}: parameter '${spec.name}' must be a finite number, got '${raw}'`);
      }
      if (spec.type === 'int' && !Number.isSafeInteger(v)) {
        throw new UserError(`${where}: parameter '${spec.name}' must be an integer, got '${raw}'`);
      }
      if (spec.min !== undefined && v < spec.min) throw new UserError(`${where}: parameter '${spec.name}' must be >= ${spec.min}, got '${raw}'`);
      if (spec.max !== undefined && v > spec.max) throw new UserError(`${where}: parameter '${spec.name}' must be <= ${spec.max}, got '${raw}'`);
      if (spec.above !== undefined && !(v > spec.above)) throw new UserError(`${where}: parameter '${spec.name}' must be > ${spec.above}, got '${raw}'`);
      if (spec.below !== undefined && !(v < spec.below)) throw new UserError(`${where}: parameter '${spec.name}' must be < ${spec.below}, got '${raw}'`);
      return v;
    }
  }
}

/**
 * Merges defaults with given values (already-typed or raw strings from the command line) and
 * refuses unknown names, so that a typo never silently falls back to a default.
 */
export function resolveParams(solver: Pick<Solver, 'name' | 'params'>, given: Record<string, ParamValue> = {}): Record<string, ParamValue> {
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
 * Runs a solver the way every front end must: refuses problems it does not support (with its
 * reason), fills in default parameters, rejects unknown or invalid ones, then runs it.
 */
export async function runSolver(solver: Solver, problem: Problem, options: SolveOptions): Promise<SolverResult> {
  const why = solver.supports(problem);
  if (why !== true) throw new UserError(why);
  const params = resolveParams(solver, options.params);
  return solver.run(problem, { ...options, params }, params);
}
