/**
 * Vega-Lite specifications of the benchmark report's plots (rendered to SVG by svg-plot.ts), one
 * list for every suite's rows: gap to the optimum (solver suites), accuracy against epochs
 * (classifiers), time to a certified SDP bound (sdp), MAC/s per backend (xnor).
 *
 * Gaps are shown as the mean relative gap on a log axis: most solvers reach the optimum on most
 * cases, so on a linear axis every line piles up at 0 and a solver 1e-5 away (bm on bqp) cannot
 * be told from one exactly there. A log axis cannot show 0, so a mean of 0 is drawn at GAP_FLOOR,
 * and the axis title says so.
 */
import type { TopLevelSpec } from 'vega-lite';
import { familyOf, groupBy, num, relativeGap, rowKind, str, xnorShape, type Row } from './report-tables.js';

export interface PlotSpec {
  /** file name of the SVG */
  name: string;
  spec: TopLevelSpec;
}

/** Where a mean relative gap of 0 (solved on every case) is drawn on the log axis. */
export const GAP_FLOOR = 1e-7;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Mean relative gap to the proven optimum per family, solver and n (exact left out: its gap is 0 by definition). */
function meanGaps(rows: Row[]): { family: string; solver: string; n: number; gap: number; cases: number }[] {
  const withGap = rows.filter((r) => rowKind(r) === 'solver' && r.solver !== 'exact' && relativeGap(r) !== undefined && num(r, 'n') !== undefined);
  return [...groupBy(withGap, (r) => `${familyOf(r)}\u0000${str(r, 'solver')}\u0000${num(r, 'n')}`)].map(([key, rs]) => {
    const [family, solver, n] = key.split('\u0000');
    const mean = rs.reduce((s, r) => s + relativeGap(r)!, 0) / rs.length;
    return { family: family!, solver: solver!, n: Number(n), gap: Math.max(GAP_FLOOR, mean), cases: rs.length };
  });
}

const gapAxis = { title: 'mean relative gap (log)' };
const gapTitle = { text: 'Mean relative gap to the proven optimum', subtitle: `(loss - optimum) / |optimum|, mean over cases; drawn at ${GAP_FLOOR} when 0 (solved on every case)` };

/**
 * Mean relative gap against n, one line per solver, one panel per family; when no family has two
 * sizes (bench smoke), a dot per solver instead, since lines over one n are single points.
 */
export function gapSpec(rows: Row[]): PlotSpec | undefined {
  const values = meanGaps(rows);
  if (values.length === 0) return undefined;
  const sizes = groupBy(values, (v) => v.family);
  const overN = [...sizes.values()].some((vs) => new Set(vs.map((v) => v.n)).size >= 2);
  const y = { field: 'gap', type: 'quantitative', scale: { type: 'log' }, axis: gapAxis } as const;
  if (overN) {
    return {
      name: 'gap-vs-n.svg',
      spec: {
        $schema: SCHEMA,
        title: gapTitle,
        data: { values },
        facet: { column: { field: 'family', type: 'nominal', title: null } },
        spec: {
          width: 220,
          height: 220,
          mark: { type: 'line', point: true },
          encoding: {
            x: { field: 'n', type: 'quantitative', title: 'n (binary variables)', scale: { zero: false } },
            y,
            color: { field: 'solver', type: 'nominal' },
            tooltip: [{ field: 'solver' }, { field: 'n' }, { field: 'gap' }, { field: 'cases' }],
          },
        },
        resolve: { scale: { y: 'independent' } },
      } as TopLevelSpec,
    };
  }
  return {
    name: 'gap-per-solver.svg',
    spec: {
      $schema: SCHEMA,
      title: gapTitle,
      data: { values },
      facet: { column: { field: 'family', type: 'nominal', title: null } },
      spec: {
        width: 200,
        height: 220,
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          x: { field: 'solver', type: 'nominal', title: null, axis: { labelAngle: -45 } },
          y,
          color: { field: 'solver', type: 'nominal', legend: null },
        },
      },
    } as TopLevelSpec,
  };
}

/** The epoch log of a row, keeping only well-formed entries (files may be edited by hand). */
function epochLog(r: Row): { epoch: number; testError: number }[] {
  const info = r.info;
  const log = typeof info === 'object' && info !== null ? (info as { epochLog?: unknown }).epochLog : undefined;
  if (!Array.isArray(log)) return [];
  return log.filter(
    (e): e is { epoch: number; testError: number } =>
      typeof e === 'object' && e !== null && Number.isFinite((e as { epoch?: unknown }).epoch) && Number.isFinite((e as { testError?: unknown }).testError),
  );
}

/** Test accuracy of the binary network after each epoch, mean over seeds, per data set. */
export function accuracyVsEpochsSpec(rows: Row[]): PlotSpec | undefined {
  const values: { epoch: number; accuracy: number; solver: string; data: string }[] = [];
  for (const r of rows) {
    const solver = str(r, 'solver');
    if (rowKind(r) !== 'solver' || !solver) continue;
    for (const e of epochLog(r)) values.push({ epoch: e.epoch, accuracy: 1 - e.testError, solver, data: familyOf(r) });
  }
  if (values.length === 0) return undefined;
  return {
    name: 'accuracy-vs-epochs.svg',
    spec: {
      $schema: SCHEMA,
      data: { values },
      facet: { column: { field: 'data', type: 'nominal', title: null } },
      spec: {
        width: 220,
        height: 180,
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { format: 'd', tickMinStep: 1 } },
          y: { aggregate: 'mean', field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false } },
          color: { field: 'solver', type: 'nominal' },
        },
      },
      resolve: { scale: { y: 'independent', x: 'independent' } },
    } as TopLevelSpec,
  };
}

/** bench sdp: time to the certified gap per instance, one bar per algorithm, log axis. */
export function sdpTimeSpec(rows: Row[]): PlotSpec | undefined {
  const values = rows
    .filter((r) => rowKind(r) === 'sdp' && r.certified === true && num(r, 'timeToCertifiedMs') !== undefined)
    .map((r) => ({ instance: str(r, 'instance'), algo: str(r, 'algo'), ms: Math.max(0.1, num(r, 'timeToCertifiedMs')!), n: num(r, 'n') }));
  if (values.length === 0) return undefined;
  return {
    name: 'sdp-time-to-certified.svg',
    spec: {
      $schema: SCHEMA,
      data: { values },
      width: { step: 14 },
      height: 240,
      // points, not bars: a bar on a log axis has no baseline to start from
      mark: { type: 'point', filled: true, size: 60 },
      encoding: {
        x: { field: 'instance', type: 'nominal', title: null, sort: { field: 'n' }, axis: { labelAngle: -45 } },
        xOffset: { field: 'algo', type: 'nominal' },
        y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'ms to certified rel. gap 1e-6 (log)' },
        color: { field: 'algo', type: 'nominal' },
      },
    } as TopLevelSpec,
  };
}

/** bench xnor: binary MAC/s of every backend and baseline, one panel per shape, log axis. */
export function xnorRateSpec(rows: Row[]): PlotSpec | undefined {
  const values = rows
    .filter((r) => rowKind(r) === 'xnor' && num(r, 'macPerSec') !== undefined)
    .map((r) => ({ backend: str(r, 'backend'), shape: xnorShape(r), macPerSec: num(r, 'macPerSec')!, float: r.backend === 'ml-matrix' || r.backend === 'float32-loop' ? 'float baseline' : 'xnor' }));
  if (values.length === 0) return undefined;
  return {
    name: 'xnor-mac-per-second.svg',
    spec: {
      $schema: SCHEMA,
      data: { values },
      facet: { column: { field: 'shape', type: 'nominal', title: 'M x N x K' } },
      spec: {
        width: { step: 14 },
        height: 240,
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x: { field: 'backend', type: 'nominal', title: null, sort: '-y', axis: { labelAngle: -60 } },
          y: { field: 'macPerSec', type: 'quantitative', scale: { type: 'log' }, axis: { format: '~s' }, title: 'binary MAC/s (log)' },
          color: { field: 'float', type: 'nominal', title: null },
        },
      },
      resolve: { scale: { x: 'independent' } },
    } as TopLevelSpec,
  };
}

/** Every plot the rows support, in report order. */
export function reportPlots(rows: Row[]): PlotSpec[] {
  return [gapSpec(rows), accuracyVsEpochsSpec(rows), sdpTimeSpec(rows), xnorRateSpec(rows)].filter((p): p is PlotSpec => p !== undefined);
}
