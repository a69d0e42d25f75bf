#!/usr/bin/env node
/**
 * Issue 13's MNIST comparison: every seed method on the same budget (same data, architecture,
 * epochs, batch and seed), our defaults and the authors' presets, fully binary and with binary
 * weights and real (relu) activations; each probabilistic solver's distribution is saved and
 * evaluated as a 40-network ensemble on the 10,000 test images (`eval --samples 40`).
 *
 *   npm run build && node bench/seed-methods.mjs [--train 10000] [--epochs 3] [--arch 784-256-10] [--out DIR] [--only NAME,...]
 *
 * Prints one markdown table row per run (and writes each run's JSON into DIR).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import os from 'node:os';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : fallback;
};
const train = flag('train', '10000');
const epochs = flag('epochs', '3');
const arch = flag('arch', '784-256-10');
const out = resolve(flag('out', join(os.tmpdir(), 'bnnrelax-seed-methods')));
const only = flag('only', '')?.split(',').filter(Boolean) ?? [];
const cli = resolve(new URL('../dist/cli.js', import.meta.url).pathname);
mkdirSync(out, { recursive: true });

const runs = [
  { name: 'ste', solver: 'ste', params: [] },
  { name: 'vispa-ours', solver: 'vispa', params: [] },
  { name: 'vispa-paper', solver: 'vispa', params: ['preset=paper'] },
  { name: 'bayesbinn-ours', solver: 'bayesbinn', params: [] },
  { name: 'bayesbinn-mnist', solver: 'bayesbinn', params: ['preset=mnist'] },
  { name: 'md', solver: 'md', params: [] },
  { name: 'ste-relu', solver: 'ste', params: [], act: 'relu' },
  { name: 'bayesbinn-ours-relu', solver: 'bayesbinn', params: [], act: 'relu' },
  { name: 'bayesbinn-mnist-relu', solver: 'bayesbinn', params: ['preset=mnist'], act: 'relu' },
].filter((r) => only.length === 0 || only.includes(r.name));

const fmt = (v, d = 4) => (typeof v === 'number' ? v.toFixed(d) : '-');
console.log(`MNIST ${train} training images (0 = all 60000), all 10000 test images, arch ${arch}, ${epochs} epochs, batch 100, seed 1; ${os.cpus().length} cores, load ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
console.log('| run | act | test acc | train acc | train s | ens-40 acc | single ECE | ens ECE | single NLL | ens NLL | ms / sampled net |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of runs) {
  const model = join(out, `${r.name}.model.json`);
  const trainArgs = [cli, 'train', '--data', 'mnist', '--train-size', train, '--test-size', '0', '--arch', arch, '--epochs', epochs, '--batch', '100', '--solver', r.solver, '--json', '--save', model];
  for (const p of r.params) trainArgs.push('-p', p);
  if (r.act) trainArgs.push('--act', r.act);
  const t = spawnSync('node', trainArgs, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (t.status !== 0) {
    console.log(`| ${r.name} | failed: ${t.stderr.trim().split('\n').pop()} |`);
    continue;
  }
  const res = JSON.parse(t.stdout);
  delete res.weights;
  writeFileSync(join(out, `${r.name}.train.json`), JSON.stringify(res, null, 1));
  let ens = {};
  if (r.solver !== 'ste') {
    const e = spawnSync('node', [cli, 'eval', '--model', model, '--data', 'mnist-test', '--samples', '40', '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (e.status === 0) {
      ens = JSON.parse(e.stdout);
      writeFileSync(join(out, `${r.name}.eval.json`), JSON.stringify(ens, null, 1));
    } else ens = { error: e.stderr.trim() };
  }
  console.log(
    `| ${r.name} | ${r.act ?? 'sign'} | ${fmt(res.testAccuracy)} | ${fmt(res.trainAccuracy)} | ${fmt(res.timeMs / 1000, 0)} | ${fmt(ens.ensemble?.accuracy)} | ${fmt(ens.single?.ece)} | ${fmt(ens.ensemble?.ece)} | ${fmt(ens.single?.nll)} | ${fmt(ens.ensemble?.nll)} | ${fmt(ens.msPerMember, 0)} |`,
  );
}
