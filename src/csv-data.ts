/**
 * Labelled numeric data from CSV: numeric features, the integer label in the last column, an
 * optional header row. Parsing (quotes, line endings, ragged rows) is csv-parse's; this file
 * turns its records into typed arrays and every problem into `file:line: what is wrong`.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { UserError } from './errors.js';

export interface LabelledData {
  readonly samples: number;
  /** features per sample */
  readonly width: number;
  /** samples x width, row-major */
  readonly features: Float64Array;
  readonly labels: Int32Array;
  /** source line of each sample, for error messages (empty for in-memory data) */
  readonly lines: Int32Array;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseLabelledCsv(text: string, file: string): LabelledData {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    const line = err.lines ?? '?';
    throw new UserError(`${file}:${line}: malformed CSV (${err.message.replace(/\s*\n\s*/g, ' ')})`);
  }
  if (records.length === 0) throw new UserError(`${file}: no data rows`);
  let start = 0;
  const firstRow = records[0]!.record;
  if (firstRow.some((field) => !NUMBER.test(field))) start = 1; // a header row
  const samples = records.length - start;
  if (samples === 0) throw new UserError(`${file}: no data rows after the header`);
  const columns = firstRow.length;
  if (columns < 2) throw new UserError(`${file}:${records[0]!.info.lines}: a row needs at least one feature and a label`);
  const width = columns - 1;
  const features = new Float64Array(samples * width);
  const labels = new Int32Array(samples);
  const lines = new Int32Array(samples);
  for (let s = 0; s < samples; s++) {
    const { record, info } = records[start + s]!;
    const line = info.lines;
    lines[s] = line;
    for (let c = 0; c < width; c++) {
      const field = record[c]!;
      if (!NUMBER.test(field)) throw new UserError(`${file}:${line}: column ${c + 1} is '${field}', not a number`);
      features[s * width + c] = Number(field);
    }
    const label = record[width]!;
    if (!/^[+-]?\d+$/.test(label) || !Number.isSafeInteger(Number(label))) throw new UserError(`${file}:${line}: label '${label}' (last column) is not an integer`);
    labels[s] = Number(label);
  }
  return { samples, width, features, labels, lines };
}

export function loadLabelledCsv(file: string): LabelledData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read data (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseLabelledCsv(text, file);
}
