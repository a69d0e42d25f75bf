/**
 * Mean optimality gap of the probabilistic solvers on seeded teacher-student instances (n = 20),
 * against the proven optimum of the referee (src/experiments/referee.ts: `exact` at n = 20). Usage:
 *   npx tsx bench/md-gap.ts [--seeds 20] [--loss hinge,logistic] [--noise 0.1] [--m 100]
 *                           [--variant label=solver:key=value;key=value ...]
 * Default variants: exact, ste, md, bayesbinn with their defaults, plus bayesbinn preset=reference.
 * Prints one line per variant and loss: mean gap, median gap, share of seeds solved to optimality,
 * mean time.
 */
import { loadProblem } from '../problems/index.js';
import { findSolver } from '../solvers/index.js';
import { runSolver, type ParamValue } from '../src/core/solver.js';
import { referee, scoreAgainst, type Reference } from '../src/experiments/referee.js';

interface Variant {
  label: string;
  solver: string;
  params: Record<string, ParamValue>;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function parseVariant(text: string): Variant {
  const [label, rest] = text.includes('=') && text.indexOf('=') < text.indexOf(':') ? [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)] : [text, text];
  const [solver, paramText] = rest!.split(':');
  const params: Record<string, ParamValue> = {};
  for (const kv of (paramText ?? '').split(';').filter(Boolean)) {
    const [k, v] = kv.split('=');
    params[k!] = v!;
  }
  return { label: label!, solver: solver!, params };
}

const seeds = Number(arg('seeds', '20'));
const losses = arg('loss', 'hinge,logistic').split(',');
const noise = arg('noise', '0.1');
const m = arg('m', '100');
const variantArgs: string[] = [];
for (let i = 0; i < process.argv.length; i++) if (process.argv[i] === '--variant') variantArgs.push(process.argv[i + 1]!);
const variants = (variantArgs.length ? variantArgs : ['ste', 'md', 'bayesbinn', 'bayesbinn-reference=bayesbinn:preset=reference']).map(parseVariant);

console.log(`md-gap: ${seeds} seeds, teacher n=20 m=${m} noise=${noise}, losses ${losses.join(',')}`);
console.log('loss      variant                         mean gap   median gap  optimal  mean ms');
for (const loss of losses) {
  const problems = Array.from({ length: seeds }, (_, k) => loadProblem(`teacher:n=20,m=${m},test=1000,noise=${noise},loss=${loss},seed=${k + 1}`));
  // the referee (src/experiments/referee.ts: exact at n = 20) gives the proven optima
  const references: Reference[] = [];
  let refereeMs = 0;
  for (const problem of problems) {
    const ref = (await referee(problem, { seed: 1 }))!;
    references.push(ref);
    refereeMs += ref.result.timeMs;
  }
  // the referee scores gap 0 by construction (a proven optimum), listed for its time
  console.log(`${loss.padEnd(9)} ${references[0]!.by.padEnd(30)} ${(0).toExponential(3).padStart(10)} ${(0).toExponential(3).padStart(11)} ${String(seeds).padStart(5)}/${seeds} ${(refereeMs / seeds).toFixed(1).padStart(8)}`);
  for (const v of variants) {
    const gaps: number[] = [];
    let ms = 0;
    for (let k = 0; k < seeds; k++) {
      const r = scoreAgainst(await runSolver(findSolver(v.solver), problems[k]!, { seed: k + 1, params: v.params }), references[k]);
      gaps.push(r.gap!);
      ms += r.timeMs;
    }
    const sorted = [...gaps].sort((a, b) => a - b);
    const mean = gaps.reduce((s, g) => s + g, 0) / seeds;
    const median = (sorted[(seeds - 1) >> 1]! + sorted[seeds >> 1]!) / 2;
    const optimal = gaps.filter((g) => g <= 1e-12 * Math.max(1, Math.abs(references[0]!.optimum!))).length;
    console.log(`${loss.padEnd(9)} ${v.label.padEnd(30)} ${mean.toExponential(3).padStart(10)} ${median.toExponential(3).padStart(11)} ${String(optimal).padStart(5)}/${seeds} ${(ms / seeds).toFixed(1).padStart(8)}`);
  }
}
