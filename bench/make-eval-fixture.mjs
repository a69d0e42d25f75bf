// Writes a random binary model (784-512-256-10, bnnrelax.model.v1) and 10000 random labelled
// samples (784 features in [0, 1), label 0..9) for timing `bnnrelax eval` on an MNIST-sized
// network. Seeded, so the files are the same on every run. Accuracy is chance (~0.1) by design:
// only the time matters here.
//   node bench/make-eval-fixture.mjs DIR   ->   DIR/model.json, DIR/data.csv
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'out/eval-fixture';
mkdirSync(dir, { recursive: true });
let state = 12345;
const rand = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
const widths = [784, 512, 256, 10];
const layers = widths.slice(1).map((out, l) => ({
  weights: Array.from({ length: out }, () => Array.from({ length: widths[l] }, () => (rand() < 0.5 ? 1 : -1))),
  threshold: Array.from({ length: out }, () => Math.round((rand() - 0.5) * 8)),
  scale: Array.from({ length: out }, () => 1),
}));
writeFileSync(join(dir, 'model.json'), JSON.stringify({ format: 'bnnrelax.model.v1', inputThreshold: 0.5, layers }));
const rows = [[...Array.from({ length: 784 }, (_, k) => `x${k}`), 'label'].join(',')];
for (let i = 0; i < 10000; i++) rows.push([...Array.from({ length: 784 }, () => rand().toFixed(3)), Math.floor(rand() * 10)].join(','));
writeFileSync(join(dir, 'data.csv'), rows.join('\n') + '\n');
console.log(`wrote ${join(dir, 'model.json')} and ${join(dir, 'data.csv')}`);
