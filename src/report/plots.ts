/**
 * Vega-Lite specifications of the benchmark report's plots (rendered to SVG by src/svg-plot.ts).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { Row } from './report-tables.js';
import { familyOf } from './report-tables.js';

/** Mean gap to the proven optimum against n, one line per solver, one panel per family. */
export function gapVsNSpec(rows: Row[]): TopLevelSpec | undefined {
  const values = rows
    .filter((r) => r.gap !== undefined && r.n !== undefined && r.solver && r.solver !== 'exact')
    .map((r) => ({ n: r.n, gap: r.gap, solver: r.solver, family: familyOf(r) }));
  if (values.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { values },
    facet: { column: { field: 'family', type: 'nominal', title: null } },
    spec: {
      width: 220,
      height: 180,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'n', type: 'quantitative', title: 'n (binary variables)', scale: { zero: false } },
        y: { aggregate: 'mean', field: 'gap', type: 'quantitative', title: 'mean gap to optimum' },
        color: { field: 'solver', type: 'nominal' },
      },
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/** Test accuracy of the binary network after each epoch, mean over seeds, per data set. */
export function accuracyVsEpochsSpec(rows: Row[]): TopLevelSpec | undefined {
  const values: { epoch: number; accuracy: number; solver: string; data: string }[] = [];
  for (const r of rows) {
    for (const e of r.info?.epochLog ?? []) {
      if (e.testError !== undefined && r.solver) values.push({ epoch: e.epoch, accuracy: 1 - e.testError, solver: r.solver, data: familyOf(r) });
    }
  }
  if (values.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { values },
    facet: { column: { field: 'data', type: 'nominal', title: null } },
    spec: {
      width: 220,
      height: 180,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch' },
        y: { aggregate: 'mean', field: 'accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false } },
        color: { field: 'solver', type: 'nominal' },
      },
    },
    resolve: { scale: { y: 'independent', x: 'independent' } },
  } as TopLevelSpec;
}
