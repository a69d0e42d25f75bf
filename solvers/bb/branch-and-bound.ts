/**
 * Branch and bound over the signs of a quadratic form w'Qw + 2b'w + c, with the proven
 * Burer-Monteiro SDP bound (bm/solve-sdp.ts, Cholesky-certified dual) at every node.
 *
 * - A node fixes some signs; its bound is the SDP bound of the reduced form (reduce.ts) less a
 *   floating-point margin. Only proven bounds prune; an unproven one (never expected with the
 *   Cholesky check at these sizes) falls back to the parent's bound, which is valid for the child.
 * - Children are bounded as soon as their parent is branched (eager evaluation), so a child that
 *   the bound already prunes is never stored. Open nodes are taken best bound first (`order`
 *   'bound'; 'estimate' takes the lowest SDP objective first). The global lower bound is the
 *   lowest bound among open nodes (the incumbent once the tree is closed).
 * - Triangle inequalities (triangles.ts) strengthen the bound by Lagrangian relaxation; their
 *   multipliers are chosen by a proximal bundle method (bundle.ts) or subgradient steps;
 *   children start from their parent's multipliers, with a fresh proximal weight.
 * - Each child starts from its parent's factor V with the fixed variable's row removed.
 * - Nodes with at most `enumerateAt` free variables are solved exactly by Gray-code enumeration
 *   (exact.ts): measured cheaper there than an SDP solve that may still need children.
 * - Incumbents: tabu search at the root, hyperplane rounding of every node's factor followed by
 *   1-flip search on the full problem.
 * - Branching: on the free variable whose relation to the homogenising sign, X_it = v_i . v_t, is
 *   the most decided (|X_it| largest, 'decided') or the least ('fractional').
 */
import type { QuadraticForm } from '../../src/core/problem.js';
import { Rng } from '../../src/numerics/rng.js';
import { homogenise } from '../bm/reductions.js';
import { solveDiagSdp } from '../bm/solve-sdp.js';
import { defaultRank } from '../bm/factor.js';
import { enumerateQuadratic } from '../exact.js';
import { tabuSearch } from '../tabu.js';
import { expand, lossSpacing, reduceForm, roundingMargin } from './reduce.js';
import { NodeHeap } from './node-heap.js';
import { TriangleCuts, gram } from './triangles.js';
import { TriangleBundle } from './bundle.js';
import { symCsrToDense } from '../../src/numerics/csr.js';

export const BRANCH_RULES = ['decided', 'fractional'] as const;
/**
 * how the triangle multipliers are chosen: a proximal bundle method (bundle.ts) at every node,
 * subgradient steps at every node, or the bundle at the root and subgradient steps below it
 */
export const MULTIPLIER_METHODS = ['bundle', 'subgradient', 'root-bundle'] as const;
export type MultiplierMethod = (typeof MULTIPLIER_METHODS)[number];
/**
 * which open node is branched next: the one with the lowest proven bound (best bound: the
 * global bound can only rise) or the lowest SDP objective (an estimate of its value)
 */
export const NODE_ORDERS = ['bound', 'estimate'] as const;
export type NodeOrder = (typeof NODE_ORDERS)[number];
export type BranchRule = (typeof BRANCH_RULES)[number];

export interface BbOptions {
  seed: number;
  /** the loss of a full sign vector (the problem's own, so incumbents are scored as results are) */
  loss: (w: Int8Array) => number;
  /** 1-flip local search on the full problem */
  polish: (w: Int8Array) => Int8Array;
  maxTimeMs?: number;
  maxNodes?: number;
  /** relative SDP gap each node's bound is solved to */
  sdpTol: number;
  enumerateAt: number;
  rounds: number;
  branch: BranchRule;
  /** tabu flips at the root (0: none) */
  tabuIters: number;
  /**
   * rounds of triangle inequalities (triangles.ts) per node whose plain bound does not prune it:
   * each a bundle (or subgradient) step on their multipliers and a converged SDP solve; children inherit the
   * multipliers (0: none)
   */
  cutRounds: number;
  /** triangle rounds at the root (its multipliers are every node's start) */
  rootCutRounds: number;
  /** at most this many inequalities join per round */
  cutsPerRound: number;
  /** how the multipliers move (default bundle) */
  multipliers?: MultiplierMethod;
  /** bundle points kept per node (bundle.ts) */
  bundleSize?: number;
  /** stop a node's bundle rounds early when their rise cannot reach the pruning threshold */
  stopHopeless?: boolean;
  /** the order of the open nodes (default bound) */
  order?: NodeOrder;
  /** called after every node: for progress displays */
  onNode?: (status: BbStatus) => void;
}

export interface BbStatus {
  nodes: number;
  open: number;
  /** the proven global lower bound */
  bound: number;
  incumbent: number;
}

export interface NodeRecord {
  node: number;
  depth: number;
  free: number;
  /** proven lower bound of the node (or its exact minimum when enumerated) */
  bound: number;
  how: 'sdp' | 'enumerated';
  /** triangle rounds done at this node, and the inequalities held after them */
  cutRounds?: number;
  cuts?: number;
  sdpIterations?: number;
  /** why the node's SDP stopped: target-proven (pruned), target-unreachable (branched), ... */
  sdpStop?: string;
  incumbent: number;
}

export interface BbOutcome {
  w: Int8Array;
  value: number;
  /** proven lower bound on the optimum */
  bound: number;
  proven: boolean;
  nodes: number;
  sdpSolves: number;
  enumerated: number;
  /** triangle rounds over all nodes */
  cutRounds: number;
  open: number;
  maxDepth: number;
  stopReason: 'closed' | 'max-time' | 'max-nodes';
  rootBound: number;
  rootMs: number;
  /** loss values are spaced by this (0 when not), see lossSpacing */
  spacing: number;
  sdpMs: number;
  enumerateMs: number;
  log: NodeRecord[];
}

/** At most this many node records are kept in `log`; later ones are counted, not kept. */
export const NODE_LOG_LIMIT = 1000;

interface OpenNode {
  fixed: Int8Array;
  depth: number;
  /** proven lower bound */
  bound: number;
  /** the order of the heap: the proven bound, or the node's SDP objective (an estimate of its value, not a proof) */
  key: number;
  /** factor of this node's SDP (free variables in order, then the homogenising sign) */
  V: Float64Array;
  k: number;
  free: Int32Array;
  /** position in `free` of the variable to branch on, and the sign to try first */
  branchAt: number;
  prefer: 1 | -1;
  /** the node's triangle inequalities and multipliers, passed on to its children */
  cuts?: TriangleCuts;
}

export function branchAndBound(form: QuadraticForm, options: BbOptions): BbOutcome {
  const start = performance.now();
  const deadline = options.maxTimeMs !== undefined ? start + options.maxTimeMs : Infinity;
  const maxNodes = options.maxNodes ?? Infinity;
  const n = form.n;
  const margin = roundingMargin(form);
  const spacing = lossSpacing(form);
  const rng = new Rng(options.seed, 'bb');

  let incumbent = new Int8Array(n).fill(1);
  let incumbentValue = options.loss(incumbent);
  const offer = (w: Int8Array) => {
    const polished = options.polish(w);
    const v = options.loss(polished);
    if (v < incumbentValue) {
      incumbentValue = v;
      incumbent = Int8Array.from(polished);
    }
  };
  if (options.tabuIters > 0 && n > 0) {
    const w0 = new Int8Array(n);
    const r = rng.fork('tabu-start');
    for (let i = 0; i < n; i++) w0[i] = r.sign();
    offer(tabuSearch(form, w0, { iters: options.tabuIters, rng: rng.fork('tabu'), deadline }).w);
  }
  // a node whose proven bound exceeds this holds nothing better than the incumbent
  const pruneAbove = () => (spacing > 0 ? incumbentValue - spacing : incumbentValue);
  const prunes = (bound: number) => (spacing > 0 ? bound > pruneAbove() : bound >= incumbentValue);
  // the bound a node needs to be pruned: just above incumbent - spacing (losses lie on a lattice
  // of that spacing), or the incumbent itself
  const pruneTarget = () => (spacing > 0 ? pruneAbove() + 1e-6 * spacing : incumbentValue);

  const heap = new NodeHeap<OpenNode>();
  const log: NodeRecord[] = [];
  let nodes = 0;
  let sdpSolves = 0;
  let enumerated = 0;
  let cutRoundsDone = 0;
  let maxDepth = 0;
  let sdpMs = 0;
  let enumerateMs = 0;
  let rootBound = -Infinity;
  let rootMs = 0;
  let stopReason: BbOutcome['stopReason'] = 'closed';

  const record = (r: NodeRecord) => {
    if (log.length < NODE_LOG_LIMIT) log.push(r);
  };

  /** Bounds one node; returns it open (to branch) or undefined when closed or pruned. */
  const evaluate = (fixed: Int8Array, depth: number, parentBound: number, parentV?: { V: Float64Array; k: number; drop: number; cuts?: TriangleCuts }): OpenNode | undefined => {
    const t0 = performance.now();
    nodes++;
    maxDepth = Math.max(maxDepth, depth);
    const reduced = reduceForm(form, fixed);
    const m = reduced.n;
    if (m <= options.enumerateAt) {
      const wFree = m > 0 ? enumerateQuadratic(reduced, undefined, Infinity).best : new Int8Array(0);
      const w = expand(fixed, reduced.free, wFree);
      const exactValue = options.loss(w);
      if (exactValue < incumbentValue) {
        incumbentValue = exactValue;
        incumbent = Int8Array.from(w);
      }
      enumerated++;
      const ms = performance.now() - t0;
      enumerateMs += ms;
      record({ node: nodes, depth, free: m, bound: exactValue, how: 'enumerated', incumbent: incumbentValue });
      return undefined;
    }
    const N = m + 1;
    const h = homogenise(reduced);
    const C = h.C;
    let k = parentV ? Math.min(parentV.k, N) : defaultRank(N);
    let initialV: Float64Array | undefined;
    if (parentV) {
      initialV = new Float64Array(N * k);
      const pk = parentV.k;
      for (let row = 0, src = 0; row < N; row++, src++) {
        if (src === parentV.drop) src++;
        let norm = 0;
        for (let r = 0; r < k; r++) norm += parentV.V[src * pk + r]! ** 2;
        norm = Math.sqrt(norm);
        for (let r = 0; r < k; r++) initialV[row * k + r] = norm > 0 ? parentV.V[src * pk + r]! / norm : r === 0 ? 1 : 0;
      }
    }
    // the parent's triangle inequalities that survive the fixing, with their multipliers
    let cuts = options.cutRounds > 0 || options.rootCutRounds > 0 ? (parentV?.cuts ? parentV.cuts.without(parentV.drop) : new TriangleCuts(N)) : undefined;
    const Cdense = cuts ? symCsrToDense(C) : undefined;
    const solve = (initial: Float64Array | undefined, rank: number, withTarget: boolean, multipliers?: Float64Array) => {
      const cost = cuts && cuts.size > 0 ? cuts.cost(Cdense!, multipliers ?? cuts.y) : { C, shift: 0, margin: 0 };
      const remaining = deadline - performance.now();
      const sol = solveDiagSdp(cost.C, 'min', {
        rank,
        ...(initial ? { initialV: initial } : {}),
        tol: options.sdpTol,
        rounds: options.rounds,
        seed: options.seed,
        verify: 'cholesky',
        // stop once the node is proven prunable, or shown not to be (its objective is below); the
        // root is solved to sdpTol, for a root bound worth reporting
        ...(withTarget ? { target: pruneTarget() - reduced.c + margin + cost.shift + cost.margin } : {}),
        ...(Number.isFinite(remaining) ? { maxTimeMs: Math.max(1, remaining) } : {}),
      });
      sdpSolves++;
      // bound(C(y)) - sum y - margins is proven whatever y is (triangles.ts); an unproven bound
      // may order, never prune: it is replaced by the parent's (valid for a child)
      const proven = sol.boundProven ? h.invertLowerBound(sol.bound - cost.shift) - margin - cost.margin : -Infinity;
      return { sol, proven, estimate: sol.objective - cost.shift };
    };
    let { sol, proven, estimate } = solve(initialV, k, depth > 0);
    let bound = Math.max(parentBound, proven);
    // the node's rounding, un-homogenised: w_F = x_F * t
    offer(expand(fixed, reduced.free, h.invertSigns(sol.x)));
    let rounds = 0;
    if (cuts && (options.cutRounds > 0 || depth === 0) && !prunes(bound)) {
      const limit = depth === 0 ? options.rootCutRounds : options.cutRounds;
      const method = options.multipliers ?? 'bundle';
      if (method === 'bundle' || (method === 'root-bundle' && depth === 0)) {
        // u is set from this node's first point (inheriting the parent's, which null steps had
        // raised, froze the multipliers in deep subtrees: measured). A first solve stopped by its
        // target has an objective above the Lagrangian value: not
        // a centre value to compare with (the first trial then becomes the centre)
        const bundle = new TriangleBundle(cuts, Cdense!, undefined, sol.stopReason === 'target-unreachable' ? -Infinity : estimate, options.bundleSize ?? 10);
        let X = gram(sol.V, N, sol.rank);
        bundle.add(X);
        let before = bound;
        for (; rounds < limit && !prunes(bound) && performance.now() < deadline; rounds++) {
          // BiqMac's rule: after two rounds, stop (and branch) when the last round's rise, kept
          // up for the rounds left, would not reach the pruning threshold
          if (rounds >= 2 && depth > 0 && options.stopHopeless && (bound - before) * (limit - rounds) < pruneAbove() - bound) break;
          before = bound;
          cuts.separate(X, options.cutsPerRound);
          if (cuts.size === 0) {
            // nothing violated: the plain SDP is the node's bound. A first solve stopped by its
            // target proved only a weak bound (the best check so far): solve it out once
            if (sol.stopReason === 'target-unreachable') {
              const next = solve(sol.V, sol.rank, false);
              ({ sol, proven, estimate } = next);
              bound = Math.max(bound, proven);
              offer(expand(fixed, reduced.free, h.invertSigns(sol.x)));
            }
            break;
          }
          const trial = bundle.trial(Math.max(pruneTarget() - reduced.c - estimate, 1e-6 * Math.max(1, Math.abs(estimate))) / 2);
          // inequalities unused at the centre and at the trial point leave the set
          const centre = cuts.y;
          [trial.y] = cuts.keepWhere((t) => centre[t]! > 0 || trial.y[t]! > 0, [trial.y]);
          const next = solve(sol.V, sol.rank, false, trial.y);
          ({ sol, proven } = next);
          bound = Math.max(bound, proven);
          offer(expand(fixed, reduced.free, h.invertSigns(sol.x)));
          X = gram(sol.V, N, sol.rank);
          bundle.update(trial, next.estimate, X);
          estimate = bundle.centreValue;
        }
      } else {
        let theta = 0.5;
        for (; rounds < limit && !prunes(bound) && performance.now() < deadline; rounds++) {
          cuts.step(gram(sol.V, N, sol.rank), estimate, pruneTarget() - reduced.c, theta, options.cutsPerRound);
          const next = solve(sol.V, sol.rank, false);
          // a step that did not raise the Lagrangian value overshot: shorter steps from here
          if (next.estimate <= estimate) theta /= 2;
          ({ sol, proven, estimate } = next);
          bound = Math.max(bound, proven);
          offer(expand(fixed, reduced.free, h.invertSigns(sol.x)));
        }
      }
      cutRoundsDone += rounds;
    }
    k = sol.rank;
    const ms = performance.now() - t0;
    sdpMs += ms;
    record({ node: nodes, depth, free: m, bound, how: 'sdp', sdpIterations: sol.iterations, sdpStop: sol.stopReason, ...(cuts ? { cutRounds: rounds, cuts: cuts.size } : {}), incumbent: incumbentValue });
    if (depth === 0) {
      rootBound = bound;
      rootMs = ms;
    }
    if (prunes(bound)) return undefined;
    // branching variable from X_it = v_i . v_t
    const V = sol.V;
    let branchAt = 0;
    let score = options.branch === 'decided' ? -1 : Infinity;
    let prefer: 1 | -1 = 1;
    for (let a = 0; a < m; a++) {
      let dot = 0;
      for (let r = 0; r < k; r++) dot += V[a * k + r]! * V[m * k + r]!;
      const s = Math.abs(dot);
      if (options.branch === 'decided' ? s > score : s < score) {
        score = s;
        branchAt = a;
        prefer = dot >= 0 ? 1 : -1;
      }
    }
    return { fixed, depth, bound, key: (options.order ?? 'bound') === 'bound' ? bound : Math.max(bound, h.invertValue(estimate)), V, k, free: reduced.free, branchAt, prefer, ...(cuts ? { cuts } : {}) };
  };

  // the proven global bound needs a scan of the open nodes: done for displays every 64 nodes
  let shownBound = -Infinity;
  const globalBound = () => Math.min(heap.minWhere((node) => (prunes(node.bound) ? undefined : node.bound)) ?? incumbentValue, incumbentValue);
  const status = (): BbStatus => {
    if (nodes % 64 < 2 || heap.size === 0) shownBound = globalBound();
    return { nodes, open: heap.size, bound: shownBound, incumbent: incumbentValue };
  };

  const root = evaluate(new Int8Array(n), 0, -Infinity);
  if (root) heap.push(root.key, root);
  options.onNode?.(status());
  while (heap.size > 0) {
    if (performance.now() >= deadline) {
      stopReason = 'max-time';
      break;
    }
    if (nodes >= maxNodes) {
      stopReason = 'max-nodes';
      break;
    }
    const node = heap.pop()!;
    // the incumbent may have improved since the node was stored
    if (prunes(node.bound)) continue;
    const i = node.free[node.branchAt]!;
    for (const s of [node.prefer, -node.prefer as 1 | -1]) {
      const fixed = Int8Array.from(node.fixed);
      fixed[i] = s;
      const child = evaluate(fixed, node.depth + 1, node.bound, { V: node.V, k: node.k, drop: node.branchAt, ...(node.cuts ? { cuts: node.cuts } : {}) });
      if (child) heap.push(child.key, child);
    }
    options.onNode?.(status());
  }
  // drop open nodes the final incumbent prunes, so the reported bound is the tightest proven one
  const openBound = heap.minWhere((node) => (prunes(node.bound) ? undefined : node.bound));
  const closed = heap.size === 0 || openBound === undefined;
  const bound = closed ? incumbentValue : Math.min(openBound, incumbentValue);
  return {
    w: incumbent,
    value: incumbentValue,
    bound,
    proven: closed,
    nodes,
    sdpSolves,
    enumerated,
    cutRounds: cutRoundsDone,
    open: closed ? 0 : heap.size,
    maxDepth,
    stopReason: closed ? 'closed' : stopReason,
    rootBound,
    rootMs,
    spacing,
    sdpMs,
    enumerateMs,
    log,
  };
}
