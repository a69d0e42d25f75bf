/**
 * Labelled numeric data from CSV, the one CSV reader of the project (`bnnrelax eval`, and user
 * files for `train` and mlp problems): numeric features, the integer class label (0, 1, ...) in
 * the last column, an optional header row (a first row whose fields are all non-numeric), blank
 * lines ignored. Parsing (quotes, line endings) is csv-parse's; this file turns its records into
 * typed arrays and every problem (ragged rows, non-numeric values, bad labels) into
 * `file:line: what is wrong`.
 */
import { lazyRequire } from '../core/lazy-require.js';
import { UserError } from '../core/errors.js';
import { makeDataset, type Dataset } from './dataset.js';
import { readText } from '../formats/text-file.js';

export interface LabelledData {
  readonly samples: number;
  /** features per sample */
  readonly width: number;
  /** samples x width, row-major */
  readonly features: Float64Array;
  readonly labels: Int32Array;
  /** source line of each sample, for error messages */
  readonly lines: Int32Array;
}

const csvParse = lazyRequire<typeof import('csv-parse/sync')>('csv-parse/sync');

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export interface CsvOptions {
  /** Also accept negative integer labels (e.g. -1/+1 for two classes). */
  signedLabels?: boolean;
}

export function parseLabelledCsv(text: string, file: string, options: CsvOptions = {}): LabelledData {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // row lengths are checked below, so that the message can say which row and how many fields
    records = csvParse().parse(text, { info: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    const line = err.lines ?? '?';
    throw new UserError(`${file}:${line}: malformed CSV (${err.message.replace(/\s*\n\s*/g, ' ')})`);
  }
  if (records.length === 0) throw new UserError(`${file}: no data rows`);
  const start = records[0]!.record.every((field) => !NUMBER.test(field)) ? 1 : 0; // a header row
  const samples = records.length - start;
  if (samples === 0) throw new UserError(`${file}: no data rows after the header`);
  const first = records[start]!;
  const columns = first.record.length;
  if (columns < 2) throw new UserError(`${file}:${first.info.lines}: expected features and a label, got ${columns} field`);
  const width = columns - 1;
  const features = new Float64Array(samples * width);
  const labels = new Int32Array(samples);
  const lines = new Int32Array(samples);
  for (let s = 0; s < samples; s++) {
    const { record, info } = records[start + s]!;
    const line = info.lines;
    lines[s] = line;
    if (record.length !== columns) throw new UserError(`${file}:${line}: ${record.length} fields, expected ${columns} like the first row`);
    for (let c = 0; c < width; c++) {
      const field = record[c]!;
      if (!NUMBER.test(field)) throw new UserError(`${file}:${line}: field ${c + 1} '${field}' is not a number`);
      features[s * width + c] = Number(field);
    }
    const label = record[width]!;
    if (!(options.signedLabels ? /^[+-]?\d+$/ : /^\+?\d+$/).test(label) || !Number.isSafeInteger(Number(label))) {
      throw new UserError(`${file}:${line}: label '${label}' (last column) is not a class number 0, 1, ...`);
    }
    labels[s] = Number(label);
  }
  return { samples, width, features, labels, lines };
}

export function loadLabelledCsv(file: string, options: CsvOptions = {}): LabelledData {
  return parseLabelledCsv(readText(file, 'data'), file, options);
}

/** A CSV file as a classifier data set. */
export function readCsvDataset(file: string): Dataset {
  const d = loadLabelledCsv(file);
  return makeDataset(file, d.width, d.features, d.labels);
}
