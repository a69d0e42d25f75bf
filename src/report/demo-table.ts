/**
 * The demo's tables. Compact (the default): one row per problem, one column per solver holding
 * its gap to the proven optimum (`opt` where it found it), and a one-line summary, so the whole
 * comparison fits a terminal. Wide (`--wide`): one row per run with every field.
 */
import type { SolverResult } from '../core/result.js';
import { formatNumber, formatTable, type Cell } from './table.js';

/** The keys that tell the demo's instances apart; the full spec is in the wide table and the JSON. */
const SHORT_KEYS = ['n', 'm', 'noise', 'loss'];

export function shortSpec(spec: string): string {
  const colon = spec.indexOf(':');
  if (colon < 0) return spec;
  const kept = spec
    .slice(colon + 1)
    .split(',')
    .filter((kv) => SHORT_KEYS.includes(kv.slice(0, kv.indexOf('='))));
  return `${spec.slice(0, colon)}:${kept.join(',')}`;
}

export function wideDemoTable(results: readonly SolverResult[]): string {
  return formatTable(
    ['problem', 'solver', 'loss', 'bound', 'optimum', 'gap', 'train err', 'test err', 'time ms'],
    results.map((r) => [r.problem, r.solver, r.loss, r.bound, r.optimum, r.gap, r.trainError, r.testError, r.timeMs.toFixed(1)]),
  );
}

/** A gap is the optimum when it is zero up to rounding in the loss (relative 1e-9). */
function isOptimal(r: SolverResult): boolean {
  return r.gap !== undefined && r.optimum !== undefined && r.gap <= 1e-9 * Math.max(1, Math.abs(r.optimum));
}

export function compactDemoTable(results: readonly SolverResult[]): string {
  const problems = [...new Set(results.map((r) => r.problem))];
  // exact is the referee: its column would only repeat the optimum column (it is in --wide)
  const solverNames = [...new Set(results.map((r) => r.solver))].filter((s) => s !== 'exact');
  const rows: Cell[][] = problems.map((p) => {
    const runs = results.filter((r) => r.problem === p);
    const optimum = runs.find((r) => r.optimum !== undefined)?.optimum;
    return [
      shortSpec(p),
      optimum,
      ...solverNames.map((s) => {
        const r = runs.find((x) => x.solver === s);
        if (!r) return undefined;
        return isOptimal(r) ? 'opt' : r.gap === undefined ? formatNumber(r.loss) : `+${Number(r.gap.toPrecision(2))}`; // two significant digits: the wide table has them all
      }),
    ];
  });
  return formatTable(['problem', 'optimum', ...solverNames], rows);
}

/** One line: how many runs reached the proven optimum, the worst gap, the total time. */
export function demoSummary(results: readonly SolverResult[]): string {
  const scored = results.filter((r) => r.gap !== undefined);
  const optimal = scored.filter(isOptimal).length;
  const worst = scored.reduce<SolverResult | undefined>((w, r) => (w === undefined || r.gap! > w.gap! ? r : w), undefined);
  const seconds = results.reduce((s, r) => s + r.timeMs, 0) / 1000;
  const worstText = worst && !isOptimal(worst) ? `; largest gap ${formatNumber(worst.gap, 3)} (${worst.solver}, ${shortSpec(worst.problem)})` : '';
  return `${optimal} of ${scored.length} runs reached the proven optimum${worstText}; ${formatNumber(seconds, 3)} s solving\n`;
}
