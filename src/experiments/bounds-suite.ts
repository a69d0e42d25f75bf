/**
 * `bnnrelax bench bounds`: cases that neither `exact` (n > 30) nor `bb` (losses that are not
 * quadratic) can referee, so `mip` (HiGHS) does, within BOUNDS_REFEREE_S per case: teacher
 * perceptrons with the hinge loss (n = 40, 50, 60; the MILP is proven in seconds) and the 0-1
 * loss (n = 40, 60; the gap usually stays open: only a bound), and sign networks with one hidden
 * layer and one output unit on two moons (a bound on the training error). Each case is solved by
 * the heuristics that support it (ste, md, bayesbinn, vispa, local, bop, with their defaults),
 * and every row carries the referee's proven bound, so `report` shows each one's gap to it.
 */
import type { BenchFlags, BenchSuite, BenchUnit, CaseRow } from './suite.js';
import type { Io } from '../core/io.js';
import { UserError } from '../core/errors.js';
import { solvers } from '../../solvers/index.js';
import { refereedUnit } from './solver-suites.js';
import { boundTables } from '../report/report-tables.js';
import { formatTable } from '../report/table.js';

export const BOUNDS_REFEREE_S = 30;

/** The heuristics scored against the bound (those that support a case run on it). */
export const BOUNDS_SOLVERS = ['ste', 'md', 'bayesbinn', 'vispa', 'local', 'bop'];

export const BOUNDS_SPECS = [
  ...[40, 50, 60].map((n) => `teacher:n=${n},m=${4 * n},test=500,noise=0.1,loss=hinge,data=gauss,seed=1`),
  ...[40, 60].map((n) => `teacher:n=${n},m=${2 * n},test=500,noise=0.1,loss=01,data=pm1,seed=1`),
  // 8 inputs (two features at 4 levels), 4 sign units, 1 output: 36 weights; 20 rows are proven
  // within the budget, 60 are not (the bound stays 0: where HiGHS stalls)
  ...[20, 60].map((rows) => `mlp:data=moons,arch=8-4-1,train=${rows},test=500,levels=4,seed=1`),
];

function boundsUnits(flags: BenchFlags): BenchUnit[] {
  for (const name of flags.solvers ?? []) {
    if (!BOUNDS_SOLVERS.includes(name) && name !== 'mip') throw new UserError(`bench bounds: --solvers '${name}' is not one of ${BOUNDS_SOLVERS.join(', ')} (mip referees every case)`);
  }
  const chosen = solvers.filter((s) => BOUNDS_SOLVERS.includes(s.name) && (!flags.solvers || flags.solvers.includes(s.name)));
  return BOUNDS_SPECS.map((spec) => refereedUnit(spec, chosen, flags.seed, { method: 'mip', maxTimeMs: BOUNDS_REFEREE_S * 1000 }));
}

function summarise(rows: CaseRow[], flags: BenchFlags, io: Io): void {
  io.out(`bench bounds: ${rows.length} cases run${flags.out ? `, results in ${flags.out}` : ''}${flags.shard ? ` (shard ${flags.shard[0]}/${flags.shard[1]})` : ''}\n`);
  for (const t of boundTables(rows)) if (t.title !== 'Gap to the best proven bound, per problem family and solver') io.out(`\n${t.title}\n${formatTable(t.header, t.rows)}`);
}

export const boundsBenchSuite: BenchSuite = {
  name: 'bounds',
  summary: `teacher hinge/0-1 n = 40..60 and a sign MLP 8-4-1, refereed by mip (HiGHS, ${BOUNDS_REFEREE_S} s each): every heuristic's gap to the proven bound`,
  units: boundsUnits,
  header: (_flags, io) => io.out(`bench bounds: mip referees every case, at most ${BOUNDS_REFEREE_S} s each\n`),
  summarise,
};
