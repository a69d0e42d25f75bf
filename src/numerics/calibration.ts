/**
 * Calibration of a probabilistic classifier (Guo et al. 2017, as in the BiSNN paper): rows are
 * grouped into `bins` equal-width bins of confidence (the largest class probability, bin k
 * holding (k/bins, (k+1)/bins], the first bin including 0); the expected calibration error is
 *   ECE = sum_k (n_k / n) |accuracy_k - confidence_k|,
 * and the bins themselves are the reliability diagram.
 */

export interface CalibrationBin {
  lo: number;
  hi: number;
  count: number;
  /** mean confidence of the rows in the bin (0 when empty) */
  confidence: number;
  /** share of the bin's rows predicted correctly (0 when empty) */
  accuracy: number;
}

export interface Calibration {
  accuracy: number;
  ece: number;
  bins: CalibrationBin[];
}

/** Predicted class (argmax, lowest index on ties) and confidence of each probability row. */
export function argmaxRows(probabilities: Float64Array, classes: number): { predicted: Int32Array; confidence: Float64Array } {
  const rows = probabilities.length / classes;
  const predicted = new Int32Array(rows);
  const confidence = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probabilities[r * classes + k]! > probabilities[r * classes + best]!) best = k;
    predicted[r] = best;
    confidence[r] = probabilities[r * classes + best]!;
  }
  return { predicted, confidence };
}

export function calibration(probabilities: Float64Array, labels: ArrayLike<number>, classes: number, bins = 10): Calibration {
  const rows = labels.length;
  if (probabilities.length !== rows * classes) throw new RangeError(`calibration: ${probabilities.length} probabilities for ${rows} rows x ${classes} classes`);
  const { predicted, confidence } = argmaxRows(probabilities, classes);
  const count = new Float64Array(bins);
  const confSum = new Float64Array(bins);
  const right = new Float64Array(bins);
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const c = confidence[r]!;
    const k = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    count[k]!++;
    confSum[k]! += c;
    if (predicted[r] === labels[r]) {
      right[k]!++;
      correct++;
    }
  }
  let ece = 0;
  const out: CalibrationBin[] = [];
  for (let k = 0; k < bins; k++) {
    const n = count[k]!;
    const conf = n > 0 ? confSum[k]! / n : 0;
    const acc = n > 0 ? right[k]! / n : 0;
    if (rows > 0) ece += (n / rows) * Math.abs(acc - conf);
    out.push({ lo: k / bins, hi: (k + 1) / bins, count: n, confidence: conf, accuracy: acc });
  }
  return { accuracy: rows > 0 ? correct / rows : 0, ece, bins: out };
}
