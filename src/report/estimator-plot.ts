/**
 * The estimator study's figure as a Vega-Lite spec: one panel row per metric (relative RMSE; and
 * 1 - cosine similarity, both on log axes, so that the region near cos = 1 where the good
 * estimators live is readable), one column per layer, one colour per estimator (a fixed palette of
 * distinct colours; the legend swatch is the line's colour, the 15-85% band is drawn pale behind
 * it), x ticks at the sample counts studied. The title says what was studied (checkpoint, units).
 */
import type { TopLevelSpec } from 'vega-lite';

export interface StudyPlotRecord {
  estimator: string;
  layer: string;
  samples: number;
  relRmse: number;
  relErrP15: number;
  relErrP85: number;
  cosine: number;
  cosineP15: number;
  cosineP85: number;
}

/** Tableau 10 then two more, all distinguishable lines. */
export const ESTIMATOR_PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#222222', '#17becf', '#bcbd22'];

/** Log axes need positive values: an exact estimate (error 0, cosine 1) is drawn at this floor. */
export const LOG_FLOOR = 1e-6;

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** A Vega expression labelling each M: 1, 10, 100, then 10³, 10⁴ ...; others as integers. */
function tickLabels(samples: readonly number[]): string {
  let expr = "format(datum.value, ',d')";
  for (const m of samples) {
    const e = Math.round(Math.log10(m));
    if (m >= 1000 && 10 ** e === m) expr = `datum.value === ${m} ? '10${[...String(e)].map((d) => SUPERSCRIPT[Number(d)]).join('')}' : ${expr}`;
  }
  return expr;
}

/** The bands' meaning, for a subtitle. */
export const BAND_NOTE = 'lines: relative RMSE and 1 - mean cosine; bands: 15-85% of the per-estimate relative error and of 1 - cosine';

export function studyPlotSpec(records: readonly StudyPlotRecord[], title: string | string[]): TopLevelSpec {
  const estimators = [...new Set(records.map((r) => r.estimator))];
  const samples = [...new Set(records.map((r) => r.samples))].sort((a, b) => a - b);
  const range = estimators.map((_, k) => ESTIMATOR_PALETTE[k % ESTIMATOR_PALETTE.length]!);
  const colorScale = { domain: estimators, range };
  // one legend for both layers (Vega-Lite merges them); drawn as opaque line swatches, not the pale band
  const color = {
    field: 'estimator',
    type: 'nominal' as const,
    scale: colorScale,
    legend: { title: 'estimator', symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1, symbolFillColor: 'transparent' },
  };
  const x = {
    field: 'samples',
    type: 'quantitative' as const,
    scale: { type: 'log' as const, domain: [samples[0]!, samples[samples.length - 1]!] },
    // every M studied is a tick, the last one (10^4 by default) included; 10^3 and up as powers
    axis: { values: samples, labelExpr: tickLabels(samples), grid: true, labelOverlap: false, labelFlush: true },
    title: 'samples M',
  };
  const floor = (v: number) => Math.max(v, LOG_FLOOR);
  const values = records.map((r) => ({
    estimator: r.estimator,
    layer: r.layer,
    samples: r.samples,
    relRmse: floor(r.relRmse),
    relErrP15: floor(r.relErrP15),
    relErrP85: floor(r.relErrP85),
    oneMinusCos: floor(1 - r.cosine),
    // 1 - cos reverses the order: the 85th percentile of cos is the lower edge
    oneMinusCosLo: floor(1 - r.cosineP85),
    oneMinusCosHi: floor(1 - r.cosineP15),
  }));
  const row = (y: string, lo: string, hi: string, yTitle: string) => ({
    facet: { column: { field: 'layer', type: 'nominal' as const, title: null, header: { labelFontSize: 12 } } },
    spec: {
      width: 190,
      height: 170,
      layer: [
        {
          mark: { type: 'area' as const, opacity: 0.12 },
          encoding: {
            x,
            y: { field: lo, type: 'quantitative' as const, scale: { type: 'log' as const }, title: yTitle, axis: { tickCount: 6, gridOpacity: 0.5 } },
            y2: { field: hi },
            color,
          },
        },
        {
          mark: { type: 'line' as const, point: { filled: true, size: 28 }, strokeWidth: 2 },
          encoding: {
            x,
            y: { field: y, type: 'quantitative' as const, scale: { type: 'log' as const } },
            color,
          },
        },
      ],
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start', fontSize: 13 },
    data: { values },
    spacing: 12,
    vconcat: [
      // short axis titles: a rotated title longer than the panel would push the rows apart
      row('relRmse', 'relErrP15', 'relErrP85', 'relative RMSE'),
      row('oneMinusCos', 'oneMinusCosLo', 'oneMinusCosHi', '1 - cosine similarity'),
    ],
    config: { legend: { orient: 'right' } },
  } as TopLevelSpec;
}
