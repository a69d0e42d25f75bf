/**
 * The estimator study end to end (what `bnnrelax estimators` runs): build the chain — the
 * stochastic binary network on the two-class set (or a network file and a CSV data set), or the
 * Bernoulli weights of a problem —, optionally train it and keep checkpoints, and study every
 * estimator at every checkpoint against the exact gradient, in the chosen units coding.
 *
 * Seeds: one seed drives everything through named streams ('estimators' → 'data', 'init',
 * 'logits'; the training and each estimator's study draws have their own), so a run is repeatable.
 */
import type { LossTarget } from '../../solvers/estimators/bernoulli-chain.js';
import { bernoulliChain, BERNOULLI_EXACT_MAX_N } from '../../solvers/estimators/bernoulli-chain.js';
import { AUTHORS_ESTIMATORS, createEstimator, STUDY_ESTIMATORS, type EstimatorOptions, type GradientEstimator } from '../../solvers/estimators/index.js';
import { StochasticBinaryNetwork } from '../../problems/sbn.js';
import { twoClass2d, type LabelledPoints } from '../../problems/two-class-2d.js';
import { UserError } from '../core/errors.js';
import type { StochasticChain } from '../core/stochastic-chain.js';
import type { NetworkFile, UnitCoding } from '../formats/sbn-network.js';
import { Rng } from '../numerics/rng.js';
import { mergeStudyErrors, studyEstimator, studyParts, summarizeStudy, type StudyOptions, type StudyRecord } from './estimator-study.js';
import { runStudyTasks } from './estimator-pool.js';
import type { StudyTask } from './estimator-task.js';
import { trainSgdReinforce } from './sbn-training.js';

export const TRAININGS = ['none', 'exact-adam', 'sgd-reinforce'] as const;
export type Training = (typeof TRAININGS)[number];
export const INITS = ['normal', 'data-dependent'] as const;
export type Init = (typeof INITS)[number];
/** Adam's step size for exact-adam training. */
export const EXACT_ADAM_LR = 0.05;

export interface NetworkSource {
  kind: 'network';
  /** input dimension, then stochastic layer sizes (ignored when `network` is given) */
  sizes: readonly number[];
  network?: NetworkFile;
  /** default: the 200-point two-class set drawn from the seed */
  data?: LabelledPoints;
  init: Init;
  train: Training;
  /** checkpoint epochs for `train` (0 = before training) */
  epochs: readonly number[];
}

export interface ProblemSource {
  kind: 'problem';
  problem: LossTarget & { spec: string };
}

export interface ProtocolOptions {
  seed: number;
  units: UnitCoding;
  /** estimator names; 'authors' stands for AUTHORS_ESTIMATORS; default STUDY_ESTIMATORS (+ analytic for problems) */
  estimators?: readonly string[];
  arm: NonNullable<EstimatorOptions['arm']>;
  study: Omit<StudyOptions, 'seed' | 'transform' | 'onProgress'>;
  /** worker threads for network studies (1: all in this thread; the records are the same either way) */
  threads?: number;
  /** `label` says what is being counted; a new label starts a new count */
  onProgress?: (label: string, done: number, of: number) => void;
}

export type EpochRecord = StudyRecord & { epoch: number };

export interface Checkpoint {
  epoch: number;
  /** one line saying what was studied */
  what: string;
  /** exact expected loss */
  objective: number;
  records: EpochRecord[];
  /** the network studied, in the units coding, and its data (network studies only) */
  network?: NetworkFile;
  data?: LabelledPoints;
}

export interface ProtocolResult {
  checkpoints: Checkpoint[];
  estimators: string[];
  skipped: string[];
}

function expandNames(names: readonly string[]): string[] {
  return names.flatMap((n) => (n === 'authors' ? AUTHORS_ESTIMATORS : [n]));
}

/** The estimators to run on `chain`: unsupported ones are an error when asked for, else skipped. */
function resolveEstimators(chain: StochasticChain, o: ProtocolOptions, extra: string[]): { run: GradientEstimator[]; skipped: string[] } {
  const run: GradientEstimator[] = [];
  const skipped: string[] = [];
  const options: EstimatorOptions = { units: o.units, arm: o.arm };
  for (const name of o.estimators ? expandNames(o.estimators) : [...STUDY_ESTIMATORS, ...extra]) {
    const e = createEstimator(name, undefined, options);
    const why = e.supports(chain);
    if (why === true) run.push(e);
    else if (o.estimators) throw new UserError(`estimator '${name}': ${why}`);
    else skipped.push(name);
  }
  return { run, skipped };
}

function studyAll(chain: StochasticChain, estimators: GradientEstimator[], o: ProtocolOptions, index: number, epoch: number, transform?: StudyOptions['transform']): { objective: number; records: EpochRecord[] } {
  const exact = new Float64Array(chain.paramCount);
  const objective = chain.exactGradient!(exact);
  const records: EpochRecord[] = [];
  for (const e of estimators) {
    const rows = studyEstimator(chain, e, exact, {
      ...o.study,
      seed: o.seed,
      ...(transform ? { transform } : {}),
      onProgress: (name, done, of) => o.onProgress?.(`checkpoint ${index + 1}, ${name}`, done, of),
    });
    for (const r of rows) records.push({ ...r, epoch });
  }
  return { objective, records };
}

export async function runEstimatorProtocol(source: NetworkSource | ProblemSource, o: ProtocolOptions): Promise<ProtocolResult> {
  const rng = new Rng(o.seed, 'estimators');
  if (source.kind === 'problem') {
    const { problem } = source;
    if (problem.n > BERNOULLI_EXACT_MAX_N) throw new UserError(`--problem: the exact gradient enumerates 2^n states; n = ${problem.n} is more than ${BERNOULLI_EXACT_MAX_N}`);
    const initRng = rng.fork('logits');
    const eta = Float64Array.from({ length: problem.n }, () => initRng.normal());
    const chain = bernoulliChain(problem, eta);
    const { run, skipped } = resolveEstimators(chain, o, ['analytic']);
    const what = `Bernoulli weights of ${problem.spec}, logits ~ N(0, 1)`;
    const { objective, records } = studyAll(chain, run, o, 0, 0);
    return { checkpoints: [{ epoch: 0, what, objective, records }], estimators: run.map((e) => e.name), skipped };
  }
  const data = source.data ?? twoClass2d(100, rng.fork('data'));
  const initRng = rng.fork('init');
  let net: StochasticBinaryNetwork;
  if (source.network) net = StochasticBinaryNetwork.fromNetworkFile(source.network, data, 'network');
  else if (source.init === 'data-dependent') {
    net = new StochasticBinaryNetwork(source.sizes, data, null);
    net.initDataDependent(initRng);
  } else net = new StochasticBinaryNetwork(source.sizes, data, initRng);
  const epochs = source.train === 'none' ? [0] : [...new Set(source.epochs)].sort((a, b) => a - b);
  const snapshots = new Map<number, Float64Array>();
  const keep = (epoch: number) => snapshots.set(epoch, Float64Array.from(net.params));
  if (epochs.includes(0)) keep(0);
  const last = epochs[epochs.length - 1]!;
  if (source.train === 'exact-adam' && last > 0) net.train(last, EXACT_ADAM_LR, (e) => epochs.includes(e) && keep(e));
  if (source.train === 'sgd-reinforce' && last > 0) trainSgdReinforce(net, { epochs, units: o.units, seed: o.seed, onCheckpoint: keep });
  const { run, skipped } = resolveEstimators(net, o, []);
  const from = source.network ? 'from the network file' : source.init === 'data-dependent' ? 'data-dependent init' : 'N(0, 1/fan-in) init';
  const threads = Math.max(1, o.threads ?? 1);
  const study = { ...o.study, seed: o.seed };
  const options: EstimatorOptions = { units: o.units, arm: o.arm };
  // every (checkpoint, estimator, part) is one task; the longest go first
  const tasks: { task: StudyTask; draws: number }[] = [];
  const checkpoints: Checkpoint[] = epochs.map((epoch, index) => {
    net.params.set(snapshots.get(epoch)!);
    const when = source.train === 'none' ? (source.network ? 'as given' : 'untrained') : epoch === 0 ? 'before training' : `${source.train} epoch ${epoch}`;
    const what = `stochastic binary network [${net.sizes.join(',')}] + logistic output, ${data.count} points, ${from}, ${when}; units ${o.units}`;
    const exact = new Float64Array(net.paramCount);
    const objective = net.exactGradient(exact);
    const network = { sizes: [...net.sizes], params: Float64Array.from(net.params), X: data.X, y: data.y, count: data.count };
    run.forEach((e, ei) => {
      for (const { part, draws } of studyParts(e, o.study, 2 * threads)) {
        tasks.push({ task: { checkpoint: index, estimator: ei, network, name: e.name, options, study, units: o.units, exact, part }, draws });
      }
    });
    return { epoch, what, objective, records: [], network: net.toNetworkFile(o.units), data };
  });
  tasks.sort((a, b) => b.draws - a.draws);
  const label = `${checkpoints.length} checkpoint${checkpoints.length > 1 ? 's' : ''} x ${run.length} estimators, ${threads} thread${threads > 1 ? 's' : ''}`;
  const errors = await runStudyTasks(
    tasks.map((t) => t.task),
    threads,
    (done, of) => o.onProgress?.(label, done, of),
  );
  checkpoints.forEach((c, index) => {
    run.forEach((e, ei) => {
      const parts = tasks.flatMap((t, k) => (t.task.checkpoint === index && t.task.estimator === ei ? [{ from: t.task.part.fromRep, errors: errors[k]! }] : []));
      parts.sort((a, b) => a.from - b.from);
      const rows = summarizeStudy(e.name, net.blocks, o.study.samples, mergeStudyErrors(parts.map((p) => p.errors)));
      for (const r of rows) c.records.push({ ...r, epoch: c.epoch });
    });
  });
  return { checkpoints, estimators: run.map((e) => e.name), skipped };
}
