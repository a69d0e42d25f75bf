/**
 * Training the estimator study's network the way the PSA authors do (gradeval/exp_class.py,
 * `train_ML` with method 'score', ML = False): SGD with momentum (lr 0.03, momentum 0.9) on the
 * mean logistic loss, mini-batches of 10 points reshuffled every epoch, the gradient of each batch
 * the plain REINFORCE estimate with one sample per point (the output layer's own parameters get
 * their pathwise gradient), steps taken in the coordinates of the chosen units coding (theirs is
 * {0,1}). `onCheckpoint(epoch)` runs after each listed epoch, so several checkpoints of one run
 * can be studied.
 */
import type { StochasticChain } from '../core/stochastic-chain.js';
import type { UnitCoding } from '../formats/sbn-network.js';
import { Rng } from '../numerics/rng.js';
import { trace } from '../optim/momentum.js';
import { scaleByLearningRate } from '../optim/schedules.js';
import { chain } from '../optim/transform.js';
import type { StochasticBinaryNetwork } from '../../problems/sbn.js';
import { createEstimator } from '../../solvers/estimators/index.js';

export const SGD_REINFORCE_DEFAULTS = { lr: 0.03, momentum: 0.9, batch: 10 };

export interface SgdReinforceOptions {
  /** checkpoint epochs (ascending); training runs to the last */
  epochs: readonly number[];
  units: UnitCoding;
  seed: number;
  lr?: number;
  momentum?: number;
  batch?: number;
  onCheckpoint?: (epoch: number) => void;
}

/** The chain restricted to the cases listed in `index[0 .. count)` (set between estimates). */
function casesView(chain: StochasticChain, index: Int32Array) {
  const view = {
    count: 0,
    get cases(): number {
      return view.count;
    },
    layers: chain.layers,
    paramCount: chain.paramCount,
    blocks: chain.blocks,
    differentiable: chain.differentiable,
    ...(chain.caseFreeDeepLayers ? { caseFreeDeepLayers: true } : {}),
    preActivation: (c: number, l: number, prev: Float64Array | null, a: Float64Array) => chain.preActivation(index[c]!, l, prev, a),
    backPreActivation: (c: number, l: number, prev: Float64Array | null, dA: Float64Array, scale: number, grad: Float64Array, dPrev: Float64Array | null) =>
      chain.backPreActivation(index[c]!, l, prev, dA, scale, grad, dPrev),
    outputLoss: (c: number, x: Float64Array, dX: Float64Array | null, grad: Float64Array | null, scale: number) => chain.outputLoss(index[c]!, x, dX, grad, scale),
  };
  return view;
}

export function trainSgdReinforce(net: StochasticBinaryNetwork, o: SgdReinforceOptions): void {
  const { lr, momentum, batch } = { ...SGD_REINFORCE_DEFAULTS, ...o };
  const last = Math.max(0, ...o.epochs);
  const checkpoints = new Set(o.epochs);
  const rng = new Rng(o.seed, 'train/sgd-reinforce');
  const order = Array.from({ length: net.cases }, (_, c) => c);
  const index = new Int32Array(batch);
  const view = casesView(net, index);
  const session = createEstimator('reinforce').start(view);
  // PyTorch SGD with momentum (dampening 0): buf = momentum buf + g, step = -lr buf
  const opt = chain(trace(momentum), scaleByLearningRate(lr));
  const state = opt.init(net.paramCount);
  const grad = new Float64Array(net.paramCount);
  for (let epoch = 1; epoch <= last; epoch++) {
    rng.shuffle(order);
    for (let start = 0; start < order.length; start += batch) {
      view.count = Math.min(batch, order.length - start);
      for (let k = 0; k < view.count; k++) index[k] = order[start + k]!;
      session.estimate(1, rng, grad);
      net.gradientInUnits(o.units, grad, grad);
      opt.update(grad, state);
      net.addStepInUnits(o.units, grad);
    }
    if (checkpoints.has(epoch)) o.onCheckpoint?.(epoch);
  }
}
