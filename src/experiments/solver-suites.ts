/**
 * The solver benchmark suites of `bnnrelax bench`:
 *  smoke  two tiny instances with every applicable solver, and a two-moons classifier (< 1 min);
 *  small  teacher-student perceptrons with label noise (hinge loss), random BQPs and binary least
 *         squares, n = 12, 16, 20, 24, 30 seeds each, every applicable solver, each scored against
 *         the optimum proven by `exact`; plus the MaxCut files of the reference data with `bm`
 *         when a solver of that name is registered (looked up at run time);
 *  mlp    binary MLP classifiers on two moons, iris and a MNIST subset, trained by every solver
 *         that trains in epochs, on the same epoch budget.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadProblem } from '../../problems/index.js';
import { findSolver, solvers } from '../../solvers/index.js';
import type { BenchFlags, BenchSuite, BenchUnit, CaseRow } from './suite.js';
import { referenceDataDir } from '../formats/data-dir.js';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { SolverResult } from '../core/result.js';
import { referee, refereeFields, referenceFromResult, scoreAgainst, type Reference, type RefereeMethod } from './referee.js';
import { resolveParams, runSolver, type ParamValue, type Solver } from '../core/solver.js';
import { formatTable } from '../report/table.js';
import { summariseRows } from '../report/report-tables.js';

/** A result as a results-file row: no history; weights only while they stay short. */
function resultRow(id: string, unit: string, r: SolverResult): CaseRow {
  const { history: _h, weights, ...rest } = r;
  return { case: id, unit, ...rest, ...(weights.length <= 1000 ? { weights } : {}) };
}

export function caseId(spec: string, solver: string, seed: number): string {
  return `${spec}|${solver}|seed=${seed}`;
}

function chosenSolvers(flags: BenchFlags, filter: (s: Solver) => boolean): Solver[] {
  for (const name of flags.solvers ?? []) {
    if (!solvers.some((s) => s.name === name)) throw new UserError(`unknown solver '${name}' in --solvers (known: ${solvers.map((s) => s.name).join(', ')})`);
  }
  return solvers.filter((s) => filter(s) && (!flags.solvers || flags.solvers.includes(s.name)));
}

/** Who referees a unit's cases and under what budget (referee.ts). */
export interface UnitReferee {
  method: RefereeMethod;
  /** bb / mip time budget; undefined: the referee's default */
  maxTimeMs?: number;
}

/**
 * One instance scored against its referee (referee.ts; `exact` unless the unit says otherwise):
 * the referee's case runs first (or its row is taken from the resumed file), once per instance,
 * and every row of the instance, the referee's own included, carries the referee's proven bound
 * (refereeFields); rows of a reference proven optimal on the loss also carry optimum and gap.
 * The referee's case id names its method, so a unit says which method it expects: a problem that
 * method cannot referee records the referee's case as skipped.
 */
export function refereedUnit(spec: string, chosen: Solver[], seed: number, by: UnitReferee = { method: 'exact' }): BenchUnit {
  const names = [by.method, ...chosen.map((s) => s.name).filter((n) => n !== by.method)];
  const ids = names.map((n) => caseId(spec, n, seed));
  return {
    key: spec,
    caseIds: ids,
    async run(done, { emit, skip }) {
      const problem = loadProblem(spec);
      const previous = done.get(ids[0]!);
      let reference: Reference | undefined;
      if (previous && typeof previous.loss === 'number') {
        reference = referenceFromResult(previous as unknown as SolverResult);
        if (typeof previous.refBudgetMs === 'number') reference.budgetMs = previous.refBudgetMs;
      } else if (!previous) {
        reference = await referee(problem, { seed, methods: [by.method], ...(by.maxTimeMs !== undefined ? { maxTimeMs: by.maxTimeMs } : {}) });
        if (reference) {
          const params = { ...resolveParams(findSolver(by.method)), ...(reference.budgetMs !== undefined ? { maxTimeMs: reference.budgetMs } : {}) };
          emit({ ...resultRow(ids[0]!, spec, reference.result), ...refereeFields(reference) }, params);
        } else {
          const why = findSolver(by.method).supports(problem);
          skip(ids[0]!, why === true ? `referee '${by.method}' proves no bound on '${problem.spec}'` : why);
        }
      }
      const fields = reference ? refereeFields(reference) : {};
      for (let k = 1; k < names.length; k++) {
        if (done.has(ids[k]!)) continue;
        const solver = chosen.find((s) => s.name === names[k])!;
        const why = solver.supports(problem);
        if (why !== true) {
          skip(ids[k]!, why);
          continue;
        }
        const r = await runSolver(solver, problem, { seed });
        emit({ ...resultRow(ids[k]!, spec, scoreAgainst(r, reference)), ...fields }, resolveParams(solver));
      }
    },
  };
}

/**
 * A unit running the chosen solvers on one problem with given parameters, no reference. `name`
 * (default: the spec) is what the case ids and the unit key say: for a data file, its path inside
 * the data folder, so that results files from machines with different folders resume and merge.
 */
function plainUnit(spec: string, chosen: Solver[], seed: number, params: (s: Solver) => Record<string, ParamValue> = () => ({}), name = spec): BenchUnit {
  const ids = chosen.map((s) => caseId(name, s.name, seed));
  return {
    key: name,
    caseIds: ids,
    async run(done, { emit, skip }) {
      let problem;
      try {
        problem = loadProblem(spec);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        // e.g. a MaxCut file before a reader for it is registered: record why, once per case
        for (const id of ids) if (!done.has(id)) emit({ case: id, unit: name, problem: spec, error: e.message });
        return;
      }
      for (let k = 0; k < chosen.length; k++) {
        if (done.has(ids[k]!)) continue;
        const solver = chosen[k]!;
        const why = solver.supports(problem);
        if (why !== true) {
          skip(ids[k]!, why);
          continue;
        }
        const r = await runSolver(solver, problem, { seed, params: params(solver) });
        emit(resultRow(ids[k]!, name, r), resolveParams(solver, params(solver)));
      }
    },
  };
}


/** Instance specs of the small suite. */
export function smallSpecs(sizes = [12, 16, 20, 24], seeds = 30): string[] {
  const specs: string[] = [];
  for (const n of sizes) {
    for (let s = 1; s <= seeds; s++) {
      specs.push(`teacher:n=${n},m=${5 * n},test=1000,noise=0.1,loss=hinge,data=gauss,seed=${s}`);
      specs.push(`bqp:n=${n},density=0.5,seed=${s}`);
      specs.push(`lsq:n=${n},m=${2 * n},noise=0.5,seed=${s}`);
    }
  }
  return specs;
}

/** The reference MaxCut files: each file's path, and its name inside the data folder (`gset/G1.txt`). */
function maxcutFiles(flags: BenchFlags): { path: string; name: string }[] {
  const dir = referenceDataDir(flags.data);
  const files: { path: string; name: string }[] = [];
  for (const [sub, ext] of [['sdplib', '.dat-s'], ['gset', '.txt']] as const) {
    const d = join(dir, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) if (f.endsWith(ext)) files.push({ path: join(d, f), name: `${sub}/${f}` });
  }
  return files;
}

export function smallUnits(flags: BenchFlags): BenchUnit[] {
  const chosen = chosenSolvers(flags, (s) => s.name !== 'exact' || !flags.solvers || flags.solvers.includes('exact'));
  const units = smallSpecs().map((spec) => refereedUnit(spec, chosen, flags.seed));
  const bm = solvers.find((s) => s.name === 'bm');
  if (bm && (!flags.solvers || flags.solvers.includes('bm'))) {
    for (const file of maxcutFiles(flags)) units.push(plainUnit(file.path, [bm], flags.seed, undefined, file.name));
  }
  return units;
}

/**
 * Settings that differ from a solver's defaults on the mlp problems, and why: md's default
 * estimator (arm, 10 loss-only samples per step) stays at chance on MNIST's 203k weights at 20x
 * the cost of a straight-through step (bench/RESULTS.md), so md trains with the density-scaled
 * straight-through estimator, one sample, lr 0.1 (chosen on the MNIST 2k subset).
 */
export const MLP_SOLVER_SETTINGS: Record<string, Record<string, ParamValue>> = {
  md: { estimator: 'st-density', samples: 1, lr: 0.1 },
};

export function mlpUnits(flags: BenchFlags, specs: { spec: string; epochs: number; batch: number }[]): BenchUnit[] {
  const chosen = chosenSolvers(flags, (s) => s.trainsInEpochs);
  return specs.map(({ spec, epochs, batch }) => plainUnit(spec, chosen, flags.seed, (s) => ({ ...MLP_SOLVER_SETTINGS[s.name], epochs, batch })));
}

export const MLP_SPECS = [
  ...[1, 2, 3].map((s) => ({ spec: `mlp:data=moons,arch=16-32-2,seed=${s}`, epochs: 30, batch: 50 })),
  ...[1, 2, 3].map((s) => ({ spec: `mlp:data=iris,arch=32-16-3,seed=${s}`, epochs: 30, batch: 25 })),
  { spec: 'mlp:data=mnist,arch=784-256-10,train=2000,test=1000,gain=4,seed=1', epochs: 10, batch: 100 },
];

export function smokeUnits(flags: BenchFlags): BenchUnit[] {
  const chosen = chosenSolvers(flags, (s) => s.name !== 'exact');
  return [
    refereedUnit('teacher:n=12,m=60,test=500,noise=0.1,loss=hinge,data=gauss,seed=1', chosen, flags.seed),
    refereedUnit('lsq:n=12,m=24,noise=0.5,seed=1', chosen, flags.seed),
    refereedUnit('bqp:n=10,density=0.5,seed=1', chosen, flags.seed),
    ...mlpUnits(flags, [{ spec: 'mlp:data=moons,arch=16-16-2,seed=1', epochs: 5, batch: 50 }]),
  ];
}

function printSummary(name: string, rows: CaseRow[], flags: BenchFlags, io: Io): void {
  io.out(`bench ${name}: ${rows.length} cases run${flags.out ? `, results in ${flags.out}` : ''}${flags.shard ? ` (shard ${flags.shard[0]}/${flags.shard[1]})` : ''}\n\n`);
  const summary = summariseRows(rows);
  if (summary.length > 0) io.out(formatTable(summary[0]!.header, summary[0]!.rows));
}

export const solverSuites: BenchSuite[] = [
  { name: 'smoke', summary: 'tiny instances with every solver and a two-moons classifier (under a minute)', units: smokeUnits, summarise: (rows, f, io) => printSummary('smoke', rows, f, io) },
  { name: 'small', summary: 'teacher/bqp/lsq, n = 12..24, 30 seeds, every solver against exact (+ MaxCut files with bm)', units: smallUnits, summarise: (rows, f, io) => printSummary('small', rows, f, io) },
  { name: 'mlp', summary: 'binary MLPs on two moons, iris and a MNIST subset, same epoch budget per solver', units: (f) => mlpUnits(f, MLP_SPECS), summarise: (rows, f, io) => printSummary('mlp', rows, f, io) },
];
