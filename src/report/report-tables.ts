/**
 * Summary tables of benchmark rows (one JSON object per finished case), for every suite:
 *  - solver suites (smoke, small, mlp): per solver, the fraction of cases solved to the proven
 *    optimum, mean and worst gap, accuracy and time; per problem family and solver the same;
 *  - sdp: per instance and algorithm, certification, time to the certified gap, iterations,
 *    objective against the published table, rounding ratio; per algorithm a summary;
 *  - the same rows against the best proven bound of each case (proven-bounds.ts: exact, bb or
 *    mip as referee, any solver's own proven bound): per solver and per family, the gap,
 *    absolute and relative, and how many cases are proven optimal or only bounded; per case, the
 *    bound and the method that proved it;
 *  - xnor: per shape, MAC/s of every backend and its ratio to the float baselines.
 * Shared by `bench` (printed at the end of a run) and `report`. Rows come from files a user may
 * have edited, so every field is read through a type check (a wrong type counts as absent).
 */
import { formatNumber, type Cell } from './table.js';
import { groupBy, num, rowKind, str, type Row } from './rows.js';
import { atBound, boundGap, caseBounds, type BoundGap, type CaseBounds } from './proven-bounds.js';

export { groupBy, num, rowKind, str, type Row };

export interface SummaryTable {
  title: string;
  header: string[];
  rows: Cell[][];
}

/** Solved to the optimum: gap within a relative 1e-9 (the losses are recomputed sums of floats). */
export function solvedToOptimum(r: Row): boolean {
  const gap = num(r, 'gap');
  const optimum = num(r, 'optimum');
  return gap !== undefined && optimum !== undefined && gap <= 1e-9 * Math.max(1, Math.abs(optimum));
}

/** gap / |optimum| (optimum floored at 1e-12): comparable across families of different scale. */
export function relativeGap(r: Row): number | undefined {
  const gap = num(r, 'gap');
  const optimum = num(r, 'optimum');
  return gap === undefined || optimum === undefined ? undefined : gap / Math.max(1e-12, Math.abs(optimum));
}

/** The family of a case: the problem kind, with the data set for classifiers. */
export function familyOf(r: Row): string {
  const spec = str(r, 'problem') ?? '';
  const kind = spec.includes(':') ? spec.slice(0, spec.indexOf(':')) : 'file';
  if (kind === 'mlp') return `mlp ${/data=([^,]+)/.exec(spec)?.[1] ?? '?'} ${/arch=([^,]+)/.exec(spec)?.[1] ?? ''}`.trim();
  if (kind === 'teacher') return `teacher ${/loss=([^,]+)/.exec(spec)?.[1] ?? ''}`.trim();
  return kind;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
const max = (xs: number[]) => (xs.length ? Math.max(...xs) : undefined);
const defined = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined && Number.isFinite(x));


function solverRow(label: string[], rs: Row[]): Cell[] {
  const withOpt = rs.filter((r) => num(r, 'optimum') !== undefined);
  const accuracy = (key: string) => mean(defined(rs.map((r) => { const e = num(r, key); return e === undefined ? undefined : 1 - e; })));
  return [
    ...label,
    rs.length,
    withOpt.length ? withOpt.filter(solvedToOptimum).length / withOpt.length : undefined,
    mean(defined(withOpt.map((r) => num(r, 'gap')))),
    max(defined(withOpt.map((r) => num(r, 'gap')))),
    mean(defined(withOpt.map(relativeGap))),
    accuracy('trainError'),
    accuracy('testError'),
    mean(defined(rs.map((r) => num(r, 'timeMs')))),
  ];
}

const HEADER = ['cases', 'solved', 'mean gap', 'worst gap', 'mean rel gap', 'train acc', 'test acc', 'mean ms'];

/** Tables of solver-suite rows (rows of other kinds, errors and skipped cases are left out). */
export function summariseRows(rows: Row[]): SummaryTable[] {
  const ok = rows.filter((r) => r.error === undefined && rowKind(r) === 'solver');
  if (ok.length === 0) return [];
  const bySolver = groupBy(ok, (r) => str(r, 'solver')!);
  const tables: SummaryTable[] = [
    { title: 'Per solver (all cases)', header: ['solver', ...HEADER], rows: [...bySolver].map(([s, rs]) => solverRow([s], rs)) },
  ];
  const byFamily = groupBy(ok, (r) => `${familyOf(r)}\u0000${str(r, 'solver')}`);
  tables.push({
    title: 'Per problem family and solver',
    header: ['family', 'solver', ...HEADER],
    rows: [...byFamily].sort(([a], [b]) => a.localeCompare(b)).map(([k, rs]) => solverRow(k.split('\u0000'), rs)),
  });
  return tables;
}

const median = (xs: number[]) => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

/** What a gap is of, as the tables name it. */
const quantityName = (g: BoundGap | undefined) => (g === undefined ? '-' : g.bound.quantity === 'loss' ? 'loss' : 'train error');

function boundGapRow(label: Cell[], gs: (BoundGap | undefined)[]): Cell[] {
  const bounded = gs.filter((g): g is BoundGap => g !== undefined);
  const gaps = bounded.map((g) => g.gap);
  const rel = bounded.map((g) => g.relGap);
  return [
    ...label,
    quantityName(bounded[0]),
    gs.length,
    bounded.filter((g) => g.bound.optimal).length,
    bounded.filter((g) => !g.bound.optimal).length,
    bounded.filter(atBound).length,
    mean(gaps),
    median(gaps),
    max(gaps),
    mean(rel),
    median(rel),
  ];
}

const BOUND_HEADER = ['of', 'cases', 'optimum proven', 'bound only', 'at bound', 'mean gap', 'median gap', 'worst gap', 'mean rel gap', 'median rel gap'];

/**
 * Each solver's gap to the best proven bound of every case (proven-bounds.ts), per solver and
 * per family and solver, one line per bounded quantity (loss, train error; '-' for cases with
 * no bound), and the bound of every case with the method that proved it. No tables when no case
 * has a bound.
 */
export function boundTables(rows: Row[]): SummaryTable[] {
  const bounds = caseBounds(rows);
  if (![...bounds.values()].some((b) => b.loss || b.trainError)) return [];
  const ok = rows.filter((r) => r.error === undefined && rowKind(r) === 'solver' && str(r, 'problem') !== undefined);
  const gapOf = (r: Row) => boundGap(r, bounds.get(str(r, 'problem')!));
  const table = (title: string, labels: string[], key: (r: Row) => string[]): SummaryTable => {
    const groups = groupBy(ok, (r) => [...key(r), quantityName(gapOf(r))].join('\u0000'));
    const sorted = [...groups].sort(([a], [b]) => a.localeCompare(b));
    return { title, header: [...labels, ...BOUND_HEADER], rows: sorted.map(([k, rs]) => boundGapRow(k.split('\u0000').slice(0, labels.length), rs.map(gapOf))) };
  };
  return [
    table('Gap to the best proven bound, per solver', ['solver'], (r) => [str(r, 'solver')!]),
    table('Gap to the best proven bound, per problem family and solver', ['family', 'solver'], (r) => [familyOf(r), str(r, 'solver')!]),
    {
      title: 'Best proven bound per case',
      header: ['problem', 'referee', 'referee budget s', 'of', 'best bound', 'status', 'proved by', 'best found', 'best gap', 'solvers at bound'],
      rows: [...bounds.values()].map((b) => caseBoundRow(b, ok.filter((r) => r.problem === b.problem).map((r) => boundGap(r, b)))),
    },
  ];
}

function caseBoundRow(b: CaseBounds, gs: (BoundGap | undefined)[]): Cell[] {
  const bounded = gs.filter((g): g is BoundGap => g !== undefined);
  const bound = b.loss ?? b.trainError;
  const bestFound = bounded.length ? Math.min(...bounded.map((g) => g.value)) : undefined;
  return [
    b.problem,
    b.referee,
    b.refereeBudgetMs === undefined ? undefined : b.refereeBudgetMs / 1000,
    bound === undefined ? undefined : bound.quantity === 'loss' ? 'loss' : 'train error',
    bound?.value,
    bound === undefined ? 'none' : bound.optimal ? 'optimal' : 'bound only',
    bound?.by,
    bestFound,
    bestFound === undefined || bound === undefined ? undefined : bestFound - bound.value,
    bounded.length ? bounded.filter(atBound).length : undefined,
  ];
}

const round = (x: number | undefined, digits: number) => (x === undefined ? undefined : Math.round(x * 10 ** digits) / 10 ** digits);

/** Tables of `bench sdp` rows: per algorithm, then per instance and algorithm. */
export function sdpTables(rows: Row[]): SummaryTable[] {
  const sdp = rows.filter((r) => rowKind(r) === 'sdp');
  if (sdp.length === 0) return [];
  const byAlgo = groupBy(sdp, (r) => str(r, 'algo') ?? '?');
  const certifiedTimes = (rs: Row[]) => defined(rs.filter((r) => r.certified === true).map((r) => num(r, 'timeToCertifiedMs')));
  // geometric mean: the instances' times span three orders of magnitude
  const geomean = (xs: number[]) => (xs.length ? Math.exp(mean(xs.map((x) => Math.log(Math.max(x, 1e-3))))!) : undefined);
  return [
    {
      title: 'SDP: per algorithm',
      header: ['algo', 'cases', 'certified', 'geomean ms to certified', 'mean rounded/bound', 'worst table rel err'],
      rows: [...byAlgo].map(([algo, rs]) => [
        algo,
        rs.length,
        rs.filter((r) => r.certified === true).length / rs.length,
        round(geomean(certifiedTimes(rs)), 0),
        round(mean(defined(rs.map((r) => num(r, 'roundedRatio')))), 4),
        max(defined(rs.map((r) => num(r, 'tableRelErr')))),
      ]),
    },
    {
      title: 'SDP: per instance and algorithm',
      header: ['instance', 'algo', 'n', 'k', 'cert', 'ms to cert', 'iters', 'ms/iter', 'checks', 'objective', 'table rel err', 'rounded/bound'],
      rows: sdp.map((r) => [
        str(r, 'instance'),
        str(r, 'algo'),
        num(r, 'n'),
        num(r, 'rank'),
        r.certified === true ? 'yes' : 'NO',
        round(num(r, 'timeToCertifiedMs'), 0),
        num(r, 'iterations'),
        round(num(r, 'msPerIteration'), 3),
        num(r, 'certificateChecks'),
        round(num(r, 'objective'), 4),
        num(r, 'tableRelErr'),
        round(num(r, 'roundedRatio'), 4),
      ]),
    },
  ];
}

export function xnorShape(r: Row): string {
  return ['M', 'N', 'K'].map((k) => num(r, k) ?? '?').join(' x ');
}

/** Tables of `bench xnor` rows: one per shape, every backend with its ratio to the float baselines. */
export function xnorTables(rows: Row[]): SummaryTable[] {
  const xnor = rows.filter((r) => rowKind(r) === 'xnor');
  return [...groupBy(xnor, xnorShape)].map(([shape, rs]) => {
    const rate = (name: string) => num(rs.find((r) => r.backend === name) ?? { case: '' }, 'macPerSec');
    const ml = rate('ml-matrix');
    const f32 = rate('float32-loop');
    return {
      title: `XNOR: M x N x K = ${shape}`,
      header: ['backend', 'MAC/s', 'exact', 'vs ml-matrix', 'vs f32 loop'],
      rows: rs.map((r) => {
        const v = num(r, 'macPerSec');
        const ratio = (base: number | undefined) => (v !== undefined && base ? `${formatNumber(v / base, 3)}x` : undefined);
        return [str(r, 'backend'), v, r.exact === true ? 'yes' : 'NO', ratio(ml), ratio(f32)];
      }),
    };
  });
}

/** Every table `report` shows, for whichever suites the rows come from. */
export function reportTables(rows: Row[]): SummaryTable[] {
  return [...summariseRows(rows), ...boundTables(rows), ...sdpTables(rows), ...xnorTables(rows)];
}
