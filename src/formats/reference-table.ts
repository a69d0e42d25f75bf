/**
 * The reference optima of ../shared/data/README.md: the SDPLIB table (file, n, edges, optimal
 * value) and the G-set table (file, n, edges, weights, SDP optimum, best known cut). Read from the
 * README itself so that tests and benchmarks compare against the published numbers, not copies.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

/** An instance to benchmark: a reference-table entry, or a file found in a folder without a table. */
export type BenchInstance = Omit<ReferenceInstance, 'sdpOptimum'> & { sdpOptimum?: number };

const INSTANCE_FILE = /\.(dat-s|txt)$/i;

/**
 * The instances of a data folder: the table of its README.md when there is one (the project's
 * reference data), else every `.dat-s` and `.txt` file in the folder and in its `sdplib/` and
 * `gset/` subfolders, with no known optimum (a folder of public files fetched by a user).
 */
export function benchInstances(dataDir: string): BenchInstance[] {
  if (existsSync(join(dataDir, 'README.md'))) return readReferenceTable(dataDir);
  if (!existsSync(dataDir) || !statSync(dataDir).isDirectory()) throw new UserError(`${dataDir}: no such folder; give --data DIR or set BNNRELAX_DATA`);
  const out: BenchInstance[] = [];
  for (const sub of ['', 'sdplib', 'gset']) {
    const folder = join(dataDir, sub);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) continue;
    for (const name of readdirSync(folder).sort()) {
      if (!INSTANCE_FILE.test(name) || !statSync(join(folder, name)).isFile()) continue;
      const file = sub ? `${sub}/${name}` : name;
      out.push({ file, name: file, n: 0 }); // the file's name, extension kept: G1.txt and G1.dat-s may both be there
    }
  }
  if (out.length === 0) throw new UserError(`${dataDir}: no README.md table and no .dat-s or .txt instance files (here or in sdplib/, gset/)`);
  return out;
}
