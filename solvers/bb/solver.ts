/**
 * `bb` as a Solver: branch and bound with the proven SDP bound (branch-and-bound.ts) for every
 * problem with a quadratic loss. `proven: true` (and `optimum`) only when the tree is closed;
 * stopped early (--max-time, --max-iter or the `nodes` parameter), the result carries the best
 * incumbent, `bound` = the proven global lower bound (lowest open node) and `info.provenGap`.
 */
import type { QuadraticForm } from '../../src/core/problem.js';
import { defineSolver } from '../../src/core/solver.js';
import { localSearch } from '../common/local-search.js';
import { finishResult } from '../common/finish.js';
import { atMostVariables, checkRequirements, needsQuadratic } from '../common/requirements.js';
import { BM_MAX_N } from '../bm/solver.js';
import { BRANCH_RULES, MULTIPLIER_METHODS, NODE_ORDERS, branchAndBound } from './branch-and-bound.js';

/** The default number of triangle rounds per node: 2 on forms with under 3/4 of the couplings nonzero. */
export function autoCutRounds(form: QuadraticForm): number {
  const { n, Q } = form;
  let nonzero = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (Q[i * n + j] !== 0) nonzero++;
  return n > 1 && nonzero < 0.75 * ((n * (n - 1)) / 2) ? 2 : 0;
}

const BB_REQUIREMENTS = [needsQuadratic, atMostVariables(BM_MAX_N, 'solves a dense (n+1)^2 SDP at every node')];

export const bbSolver = defineSolver({
  name: 'bb',
  summary: 'branch and bound with the proven Burer-Monteiro SDP bound at every node: a proven optimum past enumeration',
  params: [
    { name: 'nodes', type: 'int', default: 0, min: 0, help: 'node limit (0: none); --max-iter is the same limit' },
    { name: 'branch', type: 'string', default: 'fractional', choices: BRANCH_RULES, help: 'branch on the free variable with the smallest |X_it| (fractional: measured 4x fewer nodes on dense n = 40-50) or the largest (decided)' },
    { name: 'enumerate', type: 'int', default: 16, min: 0, max: 24, help: 'enumerate nodes with at most this many free variables instead of bounding them' },
    { name: 'sdptol', type: 'number', default: 1e-4, above: 0, help: 'relative SDP gap each node is solved to' },
    { name: 'rounds', type: 'int', default: 3, min: 1, help: 'hyperplane roundings per node (each + 1-flip)' },
    { name: 'cuts', type: 'int', default: -1, min: -1, help: 'rounds of triangle inequalities (Lagrangian multipliers, bundle or subgradient steps) per node that the plain SDP bound does not prune; children inherit the multipliers. -1: 2 when fewer than 3/4 of the off-diagonal couplings are nonzero, else 0 (measured: they pay on MaxCut G(80, 1/2) and sparse BQPs, not on dense N(0,1) BQPs); 0: none' },
    { name: 'rootcuts', type: 'int', default: -1, min: -1, help: 'triangle rounds at the root, whose multipliers every node inherits (-1: 30 when cuts > 0, else 0)' },
    { name: 'multipliers', type: 'string', default: 'bundle', choices: MULTIPLIER_METHODS, help: 'how the triangle multipliers move: a proximal bundle method (bundle) or projected subgradient steps (subgradient, the second pass)' },
    { name: 'bundle', type: 'int', default: 10, min: 1, help: 'points kept in the bundle of a node' },
    { name: 'order', type: 'string', default: 'bound', choices: NODE_ORDERS, help: 'branch next the open node with the lowest proven bound (bound: the global bound only rises) or the lowest SDP objective (estimate, the second pass)' },
    { name: 'hopeless', type: 'boolean', default: false, help: 'stop the bundle rounds of a node (after two) when the last rise, repeated for the rounds left, would not reach the pruning threshold' },
    { name: 'cutsper', type: 'int', default: 200, min: 1, help: 'at most this many violated triangle inequalities join per round' },
    { name: 'tabu', type: 'int', default: -1, min: -1, help: 'tabu flips at the root for the first incumbent (-1: max(20000, 200 n); 0: none)' },
  ],
  supports: (problem) => checkRequirements(problem, 'bb', BB_REQUIREMENTS),
  run(problem, options, p) {
    const start = performance.now();
    const form = problem.quadratic!;
    const cutRounds = p.cuts >= 0 ? p.cuts : autoCutRounds(form);
    const nodeLimit = options.maxIter ?? (p.nodes > 0 ? p.nodes : undefined);
    const out = branchAndBound(form, {
      seed: options.seed,
      loss: (w) => problem.loss(w),
      polish: (w) => localSearch(problem, w).w,
      ...(options.maxTimeMs !== undefined ? { maxTimeMs: options.maxTimeMs } : {}),
      ...(nodeLimit !== undefined ? { maxNodes: nodeLimit } : {}),
      sdpTol: p.sdptol,
      enumerateAt: p.enumerate,
      rounds: p.rounds,
      branch: p.branch,
      cutRounds: cutRounds,
      rootCutRounds: p.rootcuts >= 0 ? p.rootcuts : cutRounds > 0 ? 30 : 0,
      cutsPerRound: p.cutsper,
      multipliers: p.multipliers,
      bundleSize: p.bundle,
      stopHopeless: p.hopeless,
      order: p.order,
      tabuIters: p.tabu >= 0 ? p.tabu : Math.max(20_000, 200 * form.n),
      ...(options.onProgress
        ? { onNode: (s) => options.onProgress!(s.nodes, s.incumbent, `nodes ${s.nodes}, open ${s.open}, bound ${s.bound.toPrecision(8)}, incumbent ${s.incumbent.toPrecision(8)}, gap ${(s.incumbent - s.bound).toPrecision(3)}`) }
        : {}),
    });
    return finishResult(problem, 'bb', { ...options, polish: false }, out.w, {
      start,
      iterations: out.nodes,
      bound: out.bound,
      ...(out.proven ? { optimum: out.value, proven: true } : {}),
      // no timings in info (only timeMs): the same seed gives the same JSON
      info: {
        stopReason: out.stopReason,
        provenGap: out.value - out.bound,
        nodes: out.nodes,
        sdpSolves: out.sdpSolves,
        enumerated: out.enumerated,
        cutRounds: out.cutRounds,
        open: out.open,
        maxDepth: out.maxDepth,
        ...(Number.isFinite(out.rootBound) ? { rootBound: out.rootBound } : {}),
        spacing: out.spacing,
        branch: p.branch,
        enumerate: p.enumerate,
        sdptol: p.sdptol,
        cuts: cutRounds,
        multipliers: p.multipliers,
        order: p.order,
        nodeLog: out.log,
      },
    });
  },
});
