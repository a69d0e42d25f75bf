/**
 * `bnnrelax bench exact`: proven optima past enumeration. Every instance is solved by `bb`
 * (nodes, time, proven gap) and, side by side, by HiGHS on the standard linearisation
 * (highs-bqp.ts; skipped, and said so, when the optional package is not installed). Each gets
 * BENCH_EXACT_BUDGET_S (10 minutes); bench/exact.ts runs the same instances with other budgets.
 */
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { loadProblem } from '../../problems/index.js';
import { findSolver } from '../../solvers/index.js';
import type { BenchFlags, BenchSuite, BenchUnit, CaseRow } from './suite.js';
import { runSuite } from './bench-runner.js';
import { caseId } from './solver-suites.js';
import { HIGHS_MISSING, solveWithHighs } from './highs-bqp.js';
import { referenceDataDir } from '../formats/data-dir.js';
import type { Io } from '../core/io.js';
import { resolveParams, runSolver } from '../core/solver.js';
import { formatTable } from '../report/table.js';

export const BENCH_EXACT_BUDGET_S = 600;

/** The instances: families named in issue 11, dense and sparse BQPs, least squares, teachers, MaxCut. */
export function exactSpecs(flags: Pick<BenchFlags, 'data'>): string[] {
  const specs: string[] = [];
  for (let s = 1; s <= 10; s++) specs.push(`bqp:n=60,density=1,seed=${s}`);
  for (let s = 1; s <= 3; s++) specs.push(`bqp:n=100,density=0.1,seed=${s}`);
  for (let s = 1; s <= 3; s++) specs.push(`maxcut:n=80,density=0.5,weights=one,seed=${s}`);
  for (const n of [30, 60, 100]) specs.push(`lsq:n=${n},m=${2 * n},noise=0.5,seed=1`);
  specs.push('lsq:n=40,m=20,noise=2,seed=1');
  for (const n of [30, 60, 100]) specs.push(`teacher:n=${n},m=${3 * n},test=100,noise=0.1,loss=squared,seed=1`);
  const mcp100 = join(referenceDataDir(flags.data), 'sdplib', 'mcp100.dat-s');
  if (existsSync(mcp100)) specs.push(mcp100);
  return specs;
}

export interface ExactBudget {
  bbMs: number;
  highsS: number;
  /** bb parameters other than the defaults (bench/exact.ts --bb-params) */
  bbParams?: Record<string, string>;
}

/** bb and HiGHS on one instance, as results-file rows. */
export function exactUnit(spec: string, seed: number, budget: ExactBudget, solvers: readonly string[] = ['bb', 'highs']): BenchUnit {
  const ids = solvers.map((s) => caseId(spec, s, seed));
  return {
    key: spec,
    caseIds: ids,
    async run(done, { emit, skip }) {
      const problem = loadProblem(spec);
      for (let k = 0; k < solvers.length; k++) {
        if (done.has(ids[k]!)) continue;
        if (solvers[k] === 'bb') {
          const bb = findSolver('bb');
          // CPU time (user + sys of this process) beside wall time: the machine may be shared
          const cpu0 = process.cpuUsage();
          const r = await runSolver(bb, problem, { seed, maxTimeMs: budget.bbMs, ...(budget.bbParams ? { params: budget.bbParams } : {}) });
          const cpu = process.cpuUsage(cpu0);
          const { history: _h, weights, info, ...rest } = r;
          const { nodeLog: _log, ...facts } = (info ?? {}) as Record<string, unknown>;
          emit({ case: ids[k]!, unit: spec, ...rest, cpuMs: (cpu.user + cpu.system) / 1000, ...(weights.length <= 1000 ? { weights } : {}), info: facts }, { ...resolveParams(bb, budget.bbParams ?? {}), maxTimeMs: budget.bbMs });
        } else {
          const h = await solveWithHighs(problem.quadratic!, budget.highsS);
          if (!h) {
            skip(ids[k]!, HIGHS_MISSING);
            continue;
          }
          emit({ case: ids[k]!, unit: spec, problem: spec, solver: 'highs', n: problem.n, seed, ...(h.loss !== undefined ? { loss: h.loss } : {}), ...(h.proven ? { proven: true } : {}), timeMs: h.timeMs, iterations: 0, info: { status: h.status, variables: h.variables, constraints: h.constraints, timeLimitS: budget.highsS } }, { timeLimitS: budget.highsS });
        }
      }
    },
  };
}

/** One line per instance: bb's nodes, time and proven gap; HiGHS's status and time. */
export function exactTable(rows: CaseRow[]): string {
  const byUnit = new Map<string, { bb?: CaseRow; highs?: CaseRow }>();
  for (const r of rows) {
    const e = byUnit.get(r.unit as string) ?? {};
    if (r.solver === 'bb') e.bb = r;
    if (r.solver === 'highs') e.highs = r;
    byUnit.set(r.unit as string, e);
  }
  const fmt = (v: unknown, d = 1) => (typeof v === 'number' ? v.toFixed(d) : '');
  return formatTable(
    ['problem', 'n', 'bb loss', 'bb bound', 'proven gap', 'nodes', 'bb s', 'bb cpu s', 'highs loss', 'highs status', 'highs s'],
    [...byUnit].map(([unit, { bb, highs }]) => {
      const info = (bb?.info ?? {}) as { provenGap?: number; nodes?: number };
      return [unit, (bb ?? highs)?.n as number | undefined, bb?.loss as number | undefined, bb?.bound as number | undefined, info.provenGap, info.nodes, fmt(typeof bb?.timeMs === 'number' ? bb.timeMs / 1000 : undefined), fmt(typeof bb?.cpuMs === 'number' ? bb.cpuMs / 1000 : undefined), highs?.loss as number | undefined, (highs?.info as { status?: string } | undefined)?.status, fmt(typeof highs?.timeMs === 'number' ? highs.timeMs / 1000 : undefined)];
    }),
  );
}

function exactUnits(flags: BenchFlags, budget: ExactBudget, specs: string[]): BenchUnit[] {
  const solvers = (flags.solvers ?? ['bb', 'highs']).filter((s) => s === 'bb' || s === 'highs');
  return specs.map((spec) => exactUnit(spec, flags.seed, budget, solvers));
}

const DEFAULT_BUDGET: ExactBudget = { bbMs: BENCH_EXACT_BUDGET_S * 1000, highsS: BENCH_EXACT_BUDGET_S };

function exactSuite(budget: ExactBudget, specs?: string[]): BenchSuite {
  return {
    name: 'exact',
    summary: 'bb (SDP branch and bound) and HiGHS (linearised MIP) on BQPs n = 60-100, least squares, teachers and MaxCut, 10 min each',
    units: (flags) => exactUnits(flags, budget, specs ?? exactSpecs(flags)),
    header: (_flags, io) => io.out(`bench exact: budget ${budget.bbMs / 1000} s (bb), ${budget.highsS} s (HiGHS) per instance\n`),
    summarise: (rows, flags, io) => {
      // skipped HiGHS cases (package not installed) are recorded, not returned: say so here
      const highsMissing = (flags.solvers ?? ['highs']).includes('highs') && !rows.some((r) => r.solver === 'highs');
      io.out(`bench exact: ${rows.length} cases run${flags.out ? `, results in ${flags.out}` : ''}${highsMissing ? `\n${HIGHS_MISSING}` : ''}\n\n${exactTable(rows)}`);
    },
  };
}

/** The suite with other budgets or a subset of the instances (bench/exact.ts). */
export async function runExactSuite(flags: BenchFlags, io: Io, budget: ExactBudget = DEFAULT_BUDGET, specs?: string[]): Promise<CaseRow[]> {
  return runSuite(exactSuite(budget, specs), flags, io);
}

export const exactBenchSuite: BenchSuite = exactSuite(DEFAULT_BUDGET);
