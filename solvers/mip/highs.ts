/**
 * The one place that talks to HiGHS (the npm package `highs`: HiGHS compiled to WebAssembly,
 * single-threaded). Loads it once, passes a MipModel as sparse rows, sets the time limit and
 * relative gap, optionally a starting solution, runs, and reads back the incumbent, the proven
 * dual bound and the status. A failure to load is a one-line UserError.
 */
import { UserError } from '../../src/core/errors.js';
import type { MipModel } from './model.js';

import type { Highs } from 'highs';

type HighsLoader = () => Promise<Highs>;

let loading: Promise<Highs> | undefined;

/** The HiGHS module, loaded on first use. */
export function loadHighs(): Promise<Highs> {
  loading ??= import('highs')
    .then((mod) => {
      // The package ships one declaration file for its CommonJS and ES entries: under NodeNext
      // TypeScript reads it as CommonJS (the loader at .default.default), while Node loads the ES
      // entry (the loader at .default). Take whichever is the function.
      const exported: unknown = mod.default;
      const loader = typeof exported === 'function' ? exported : (exported as { default: unknown }).default;
      if (typeof loader !== 'function') throw new Error('the package exports no loader function');
      return (loader as HighsLoader)();
    })
    .catch((err: unknown) => {
      loading = undefined;
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new UserError(`the MIP solver needs HiGHS (npm package 'highs'), which failed to load: ${why}`);
    });
  return loading;
}

export interface MipSettings {
  /** wall-clock limit in seconds (absent: none) */
  timeLimitS?: number;
  /** HiGHS mip_rel_gap: stop when (incumbent - bound) <= gap * |incumbent| */
  relGap: number;
  /** a complete starting point (one value per column), offered as HiGHS's first incumbent */
  start?: Float64Array;
  /** print HiGHS's log to stderr */
  log?: boolean;
}

export type MipStatus = 'optimal' | 'time limit' | 'infeasible' | 'interrupted' | 'other';

export interface MipOutcome {
  status: MipStatus;
  /** HiGHS's own status name, for the record */
  highsStatus: string;
  /** the incumbent's column values, when HiGHS has one */
  x?: Float64Array;
  /** objective of the incumbent (HiGHS's arithmetic: for information only) */
  objective?: number;
  /** HiGHS's proven lower bound on the objective (minimisation); -Infinity when it has none */
  dualBound: number;
  nodes: number;
  seconds: number;
}

const STATUS_NAMES: Record<number, string> = {
  7: 'optimal',
  8: 'infeasible',
  9: 'unbounded or infeasible',
  10: 'unbounded',
  11: 'objective bound',
  13: 'time limit',
  14: 'iteration limit',
  15: 'unknown',
  16: 'solution limit',
  17: 'interrupted',
};

/** Solves the model (minimisation). */
export async function solveMip(model: MipModel, settings: MipSettings): Promise<MipOutcome> {
  const highs = await loadHighs();
  const numCols = model.numCols;
  const numRows = model.numRows;
  const m = highs.createModel({
    numCols,
    numRows,
    offset: model.offset,
    colCost: Float64Array.from(model.cost),
    colLower: Float64Array.from(model.lower, (v) => (v === -Infinity ? -highs.infinity : v)),
    colUpper: Float64Array.from(model.upper, (v) => (v === Infinity ? highs.infinity : v)),
    rowLower: Float64Array.from(model.rowLower, (v) => (v === -Infinity ? -highs.infinity : v)),
    rowUpper: Float64Array.from(model.rowUpper, (v) => (v === Infinity ? highs.infinity : v)),
    matrix: {
      format: 'csr',
      numRows,
      numCols,
      starts: Int32Array.from(model.starts),
      indices: Int32Array.from(model.indices),
      values: Float64Array.from(model.values),
    },
    integrality: Int32Array.from(model.integer, (v) => (v ? 1 : 0)),
  });
  try {
    m.options.set({ output_flag: settings.log ?? false, mip_rel_gap: settings.relGap, mip_abs_gap: 0 });
    if (settings.timeLimitS !== undefined) m.options.set('time_limit', Math.max(0.01, settings.timeLimitS));
    if (settings.start) m.setSolution({ colValue: settings.start });
    const t0 = performance.now();
    m.run();
    const seconds = (performance.now() - t0) / 1000;
    const code = m.getModelStatus() as number;
    const highsStatus = STATUS_NAMES[code] ?? `status ${code}`;
    const status: MipStatus = code === 7 ? 'optimal' : code === 13 ? 'time limit' : code === 8 ? 'infeasible' : code === 17 ? 'interrupted' : 'other';
    const primalStatus = Number(m.info.get('primal_solution_status'));
    const hasSolution = primalStatus === 2;
    const rawBound = Number(m.info.get('mip_dual_bound'));
    const dualBound = Number.isFinite(rawBound) && Math.abs(rawBound) < highs.infinity ? rawBound : -Infinity;
    return {
      status,
      highsStatus,
      ...(hasSolution ? { x: Float64Array.from(m.getSolution().colValue), objective: m.getObjectiveValue() } : {}),
      dualBound,
      nodes: Number(m.info.get('mip_node_count')),
      seconds,
    };
  } finally {
    m.dispose();
  }
}
