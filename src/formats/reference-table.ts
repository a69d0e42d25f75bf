/**
 * The reference optima of ../shared/data/README.md: the SDPLIB table (file, n, edges, optimal
 * value) and the G-set table (file, n, edges, weights, SDP optimum, best known cut). Read from the
 * README itself so that tests and benchmarks compare against the published numbers, not copies.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';

export interface ReferenceInstance {
  /** path relative to the data folder */
  file: string;
  name: string;
  n: number;
  sdpOptimum: number;
  bestKnownCut?: number;
}

export function readReferenceTable(dataDir: string): ReferenceInstance[] {
  const path = join(dataDir, 'README.md');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give --data DIR or set BNNRELAX_DATA`);
  }
  const out: ReferenceInstance[] = [];
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('## sdplib')) section = 'sdplib';
    else if (line.startsWith('## gset')) section = 'gset';
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 5 || !/^(mcp|maxG|G)\S*$/.test(cells[1] ?? '')) continue;
    const name = cells[1]!;
    const n = Number(cells[2]);
    if (section === 'sdplib') out.push({ file: `sdplib/${name}.dat-s`, name, n, sdpOptimum: Number(cells[4]) });
    else if (section === 'gset') out.push({ file: `gset/${name}.txt`, name, n, sdpOptimum: Number(cells[5]), bestKnownCut: Number(cells[6]) });
  }
  return out;
}
