#!/usr/bin/env node
/**
 * Issue 13's MNIST comparison: every seed method on the same budget (same data, architecture,
 * epochs, batch and seed), our defaults and the authors' presets, fully binary and with binary
 * weights and real (relu) activations; each probabilistic solver's distribution is saved and
 * evaluated as a 40-network ensemble on the 10,000 test images (`eval --samples 40`).
 *
 *   npm run build && node bench/seed-methods.mjs [--train 10000] [--epochs 3] [--arch 784-256-10] [--relu-arch A]
 *                                                [--relu-epochs E] [--relu-levels L] [--relu-dropout P] [--relu-shift S]
 *                                                [--batch 100] [--out DIR] [--only NAME,...]
 *
 * The relu rows (binary weights, real activations) may take their own epochs, thermometer levels
 * of the pixels (`--levels`: the relu arch's first size must then be 784 L), dropout and random
 * translations of the training images (`--shift`).
 *
 * Prints one markdown table row per run (and writes each run's JSON into DIR). On a shared machine
 * run it as `nice -n 19 node bench/seed-methods.mjs ...`: the runs are sequential, and each one's
 * CPU seconds (user + sys, from /usr/bin/time where it exists) are the budget figure to compare,
 * since wall time depends on the load.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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
const reluArch = flag('relu-arch', arch);
const reluEpochs = flag('relu-epochs', epochs);
const reluLevels = flag('relu-levels', undefined);
const reluDropout = flag('relu-dropout', undefined);
const reluShift = flag('relu-shift', undefined);
const batch = flag('batch', '100');
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
const timer = '/usr/bin/time';
const timed = existsSync(timer);
/** Runs node with `args`; with /usr/bin/time, also the child's CPU seconds (user + sys). */
function runNode(nodeArgs) {
  const r = timed
    ? spawnSync(timer, ['-f', 'BNNRELAX_CPU %U %S', 'node', ...nodeArgs], { encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync('node', nodeArgs, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = /BNNRELAX_CPU ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { ...r, cpuS: m ? Number(m[1]) + Number(m[2]) : undefined, stderr: (r.stderr ?? '').replace(/BNNRELAX_CPU.*\n?/, '') };
}

console.log(`MNIST ${train} training images (0 = all 60000), all 10000 test images, arch ${arch} (relu rows ${reluArch}, ${reluEpochs} epochs${reluLevels ? `, levels ${reluLevels}` : ''}${reluDropout ? `, dropout ${reluDropout}` : ''}${reluShift ? `, shift ${reluShift}` : ''}), ${epochs} epochs, batch ${batch}, seed 1; ${os.cpus().length} cores, load ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
console.log('| run | act | test acc | train acc | train s (wall) | CPU s (process) | ens-40 acc | single ECE | ens ECE | single NLL | ens NLL | ms / sampled net |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of runs) {
  const model = join(out, `${r.name}.model.json`);
  const trainArgs = [cli, 'train', '--data', 'mnist', '--train-size', train, '--test-size', '0', '--arch', r.act ? reluArch : arch, '--epochs', r.act ? reluEpochs : epochs, '--batch', batch, '--solver', r.solver, '--json', '--save', model];
  for (const p of r.params) trainArgs.push('-p', p);
  if (r.act) trainArgs.push('--act', r.act);
  if (r.act && reluLevels !== undefined) trainArgs.push('--levels', reluLevels);
  if (r.act && reluDropout !== undefined) trainArgs.push('--dropout', reluDropout);
  if (r.act && reluShift !== undefined) trainArgs.push('--shift', reluShift);
  const t = runNode(trainArgs);
  if (t.status !== 0) {
    console.log(`| ${r.name} | failed: ${t.stderr.trim().split('\n').pop()} |`);
    continue;
  }
  const res = JSON.parse(t.stdout);
  delete res.weights;
  writeFileSync(join(out, `${r.name}.train.json`), JSON.stringify(res, null, 1));
  let ens = {};
  if (r.solver !== 'ste') {
    const e = runNode([cli, 'eval', '--model', model, '--data', 'mnist-test', '--samples', '40', '--json']);
    if (e.status === 0) {
      ens = JSON.parse(e.stdout);
      writeFileSync(join(out, `${r.name}.eval.json`), JSON.stringify(ens, null, 1));
    } else ens = { error: e.stderr.trim() };
  }
  console.log(
    `| ${r.name} | ${r.act ?? 'sign'} | ${fmt(res.testAccuracy)} | ${fmt(res.trainAccuracy)} | ${fmt(res.timeMs / 1000, 0)} | ${fmt(t.cpuS, 0)} | ${fmt(ens.ensemble?.accuracy)} | ${fmt(ens.single?.ece)} | ${fmt(ens.ensemble?.ece)} | ${fmt(ens.single?.nll)} | ${fmt(ens.ensemble?.nll)} | ${fmt(ens.msPerMember, 0)} |`,
  );
}
