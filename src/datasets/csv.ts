/**
 * Numeric CSV data sets: one sample per line, comma-separated features, the integer class label
 * (0, 1, ...) in the last column; an optional header line whose fields are all non-numeric; blank
 * lines ignored. Rows of a different length and non-numeric values are refused, naming file and
 * line. (Plain split on commas: these files hold numbers only, so there is no quoting to honour.)
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import { makeDataset, type Dataset } from './dataset.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseCsvDataset(text: string, path: string): Dataset {
  const lines = text.split(/\r?\n/);
  const values: number[] = [];
  const labels: number[] = [];
  let width = -1;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!.trim();
    if (line === '') continue;
    const fields = line.split(',').map((f) => f.trim());
    if (width < 0 && labels.length === 0 && fields.every((f) => !NUMBER.test(f))) continue; // header
    if (fields.length < 2) throw new UserError(`${path}:${k + 1}: expected features and a label, got ${fields.length} field`);
    if (width < 0) width = fields.length;
    if (fields.length !== width) throw new UserError(`${path}:${k + 1}: ${fields.length} fields, expected ${width} like the first row`);
    fields.forEach((f, j) => {
      if (!NUMBER.test(f)) throw new UserError(`${path}:${k + 1}: field ${j + 1} '${f}' is not a number`);
    });
    const label = Number(fields[width - 1]);
    if (!Number.isInteger(label) || label < 0) throw new UserError(`${path}:${k + 1}: label '${fields[width - 1]}' is not a class number 0, 1, ...`);
    for (let j = 0; j < width - 1; j++) values.push(Number(fields[j]));
    labels.push(label);
  }
  if (labels.length === 0) throw new UserError(`${path}: no data rows`);
  return makeDataset(path, width - 1, Float64Array.from(values), Int32Array.from(labels));
}

export function readCsvDataset(path: string): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseCsvDataset(text, path);
}
