/**
 * Vega-Lite specifications of the calibration plots of `bnnrelax bench snn` (rendered to SVG by
 * svg-plot.ts): the reliability diagram (accuracy against confidence per bin, with the diagonal
 * of perfect calibration and each bin's share of the rows) and the decision-and-uncertainty map
 * over the unit square (predicted class, and the share of sampled networks that disagree with
 * the ensemble's prediction, or 1 - confidence for a single network).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CalibrationBin } from '../numerics/calibration.js';

export interface ReliabilitySeries {
  /** e.g. 'Bayes-BiSNN ensemble (ECE 0.031)' */
  name: string;
  bins: readonly CalibrationBin[];
}

/** the network colour channel shared by the reliability lines and the bin points */
const networkColor = { field: 'network', type: 'nominal', title: null, legend: { orient: 'bottom', direction: 'vertical', labelLimit: 500 } } as const;

export function reliabilitySpec(series: readonly ReliabilitySeries[], title: string): TopLevelSpec {
  const total = (s: ReliabilitySeries) => s.bins.reduce((a, b) => a + b.count, 0);
  const values = series.flatMap((s) =>
    s.bins
      .filter((b) => b.count > 0)
      .map((b) => ({ network: s.name, confidence: b.confidence, accuracy: b.accuracy, share: b.count / Math.max(1, total(s)) })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: [{ c: 0 }, { c: 1 }] },
        mark: { type: 'line', strokeDash: [4, 4], color: 'gray' },
        encoding: { x: { field: 'c', type: 'quantitative' }, y: { field: 'c', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.5 },
        encoding: {
          x: { field: 'confidence', type: 'quantitative', title: 'confidence (mean of the bin)', scale: { domain: [0, 1] } },
          y: { field: 'accuracy', type: 'quantitative', title: 'accuracy in the bin', scale: { domain: [0, 1] } },
          color: networkColor,
        },
      },
      {
        // one point per non-empty bin, its area the bin's share of the rows
        data: { values },
        mark: { type: 'circle', opacity: 0.8 },
        encoding: {
          x: { field: 'confidence', type: 'quantitative' },
          y: { field: 'accuracy', type: 'quantitative' },
          // the same colour channel as the lines (vega-lite merges the two into one legend; a
          // `legend: null` here conflicted with the lines' legend and printed a warning)
          color: networkColor,
          size: { field: 'share', type: 'quantitative', title: 'share of rows', scale: { range: [15, 400] }, legend: { orient: 'right' } },
        },
      },
    ],
  } as TopLevelSpec;
}

export interface MapPoint {
  x: number;
  y: number;
  predicted: number;
  /** share of the sampled networks whose class differs from the ensemble's, or 1 - confidence of one network */
  uncertainty: number;
}

/**
 * Two panels over [0,1]^2: predicted class, and `uncertainty` (titled `uncertaintyTitle`:
 * ensemble disagreement, or 1 - confidence for a single network); training points overlaid.
 */
export function decisionMapSpec(
  points: readonly MapPoint[],
  cells: number,
  title: string,
  uncertaintyTitle: string,
  train: readonly { x: number; y: number; label: number }[] = [],
): TopLevelSpec {
  const size = 300;
  const cell = (size / cells) ** 2;
  const axis = (name: string) => ({ field: name, type: 'quantitative', scale: { domain: [0, 1] }, title: name === 'x' ? 'x1 (rescaled)' : 'x2 (rescaled)' });
  const overlay = {
    data: { values: train },
    mark: { type: 'point', filled: true, size: 14, stroke: 'black', strokeWidth: 0.5 },
    encoding: { x: axis('x'), y: axis('y'), fill: { field: 'label', type: 'nominal', scale: { range: ['#ffffff', '#000000'] }, title: 'training label' } },
  };
  const panel = (field: 'predicted' | 'uncertainty', heading: string) => ({
    title: heading,
    width: size,
    height: size,
    layer: [
      {
        data: { values: points },
        mark: { type: 'square', size: cell, opacity: 1 },
        encoding: {
          x: axis('x'),
          y: axis('y'),
          color:
            field === 'predicted'
              ? { field, type: 'nominal', title: 'predicted class', scale: { range: ['#4c78a8', '#f58518', '#54a24b', '#e45756'] } }
              : { field, type: 'quantitative', title: uncertaintyTitle, scale: { domain: [0, 0.5], scheme: 'greys' } },
        },
      },
      ...(train.length > 0 ? [overlay] : []),
    ],
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    hconcat: [panel('predicted', 'predicted class'), panel('uncertainty', uncertaintyTitle)],
    resolve: { scale: { color: 'independent', fill: 'independent' } },
  } as TopLevelSpec;
}
