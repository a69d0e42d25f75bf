#!/usr/bin/env node
/**
 * CPU time of one relaxed minibatch step (loss and gradient) of an MNIST `mlp` problem, and a
 * checksum of the gradient, so that two builds can be compared for speed and for identical
 * arithmetic (same checksum to the last digit = same sums in the same order):
 *
 *   npm run build && nice -n 19 node bench/mlp-step.mjs [--root DIR] [--arch 784-256-10] [--act sign|relu|htanh] [--batch 100] [--steps 40]
 *
 * `--root` is a checkout whose dist/ is built (default: this one). Weights are fixed pseudo-random
 * ±1 values (the step's cost does not depend on them); the rows are 10,000 seeded MNIST images.
 * CPU milliseconds (user + sys of this process, from process.cpuUsage) are the figure to compare
 * on a shared machine; wall milliseconds are printed beside them.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : fallback;
};
const root = resolve(flag('root', new URL('..', import.meta.url).pathname));
const arch = flag('arch', '784-256-10');
const act = flag('act', 'sign');
const B = Number(flag('batch', '100'));
const steps = Number(flag('steps', '40'));
const { loadProblem } = await import(pathToFileURL(`${root}/dist/problems/index.js`).href);

const t0 = performance.now();
const p = loadProblem(`mlp:data=mnist,arch=${arch},train=10000,test=100${act !== 'sign' ? `,act=${act}` : ''}`);
const loadMs = performance.now() - t0;
// a fixed linear congruential sequence: the same weights for every build
const x = new Float64Array(p.n);
let s = 12345;
for (let i = 0; i < p.n; i++) {
  s = (s * 1103515245 + 12345) % 2147483648;
  x[i] = s / 2147483648 < 0.5 ? -1 : 1;
}
const grad = new Float64Array(p.n);
const batch = Int32Array.from({ length: B }, (_, i) => (i * 37) % 10000);
let loss = 0;
for (let k = 0; k < 5; k++) loss = p.minibatchLossAndGradient(x, grad, batch); // warm-up (JIT)
const wall0 = performance.now();
const cpu0 = process.cpuUsage();
for (let k = 0; k < steps; k++) loss = p.minibatchLossAndGradient(x, grad, batch);
const cpu = process.cpuUsage(cpu0);
const wallMs = (performance.now() - wall0) / steps;
const cpuMs = (cpu.user + cpu.system) / 1000 / steps;
let checksum = 0;
for (let i = 0; i < p.n; i++) checksum += grad[i] * ((i % 97) + 1);
console.log(`${arch} act=${act} batch ${B}: ${cpuMs.toFixed(2)} CPU ms/step (${wallMs.toFixed(2)} wall), problem built in ${loadMs.toFixed(0)} ms; loss ${loss}, gradient checksum ${checksum}`);
