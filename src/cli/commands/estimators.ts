/**
 * `bnnrelax estimators`: the gradient-estimator accuracy study (DESIGN.md section 1, item 3) on a
 * stochastic binary network with logistic noise on the two-class 2-D set, or on Bernoulli weights
 * of a problem (--problem). See src/estimator-study.ts for the protocol.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { lazyRequire } from '../../core/lazy-require.js';
import type { TopLevelSpec } from 'vega-lite';
import { loadProblem } from '../../../problems/index.js';
import { StochasticBinaryNetwork, SBN_MAX_UNITS } from '../../../problems/sbn.js';
import { twoClass2d } from '../../../problems/two-class-2d.js';
import { bernoulliChain } from '../../../solvers/estimators/bernoulli-chain.js';
import { createEstimator, STUDY_ESTIMATORS, type GradientEstimator } from '../../../solvers/estimators/index.js';
import { parseNameList, parseSeed } from '../options.js';
import { UserError } from '../../core/errors.js';
import { studyEstimator, type StudyRecord } from '../../experiments/estimator-study.js';
import type { Io } from '../../core/io.js';
import { progressBar } from '../../report/progress.js';
import { Rng } from '../../numerics/rng.js';
import type { StochasticChain } from '../../core/stochastic-chain.js';
import { vegaLiteToSvg } from '../../report/svg-plot.js';
import { formatTable } from '../../report/table.js';
import { writeText } from '../../formats/text-file.js';

export const DEFAULT_SIZES = [2, 5, 5, 5];
export const DEFAULT_SAMPLES = [1, 10, 100, 1000, 10000];
/** Chosen so that the default protocol runs in well under a minute on the 2-core machine. */
export const DEFAULT_BUDGET = 3000;

interface EstimatorFlags {
  sizes: number[];
  samples: number[];
  seed: number;
  trainEpochs: number;
  estimators?: string[];
  problem?: string;
  budget: number;
  minReps: number;
  maxReps: number;
  json?: boolean;
  csv?: string;
  plot?: string;
}

function intList(min: number) {
  return (raw: string): number[] => {
    const out = raw.split(',').map((s) => s.trim());
    if (out.some((s) => !/^\d+$/.test(s) || Number(s) < min)) throw new InvalidArgumentError(`expected comma-separated integers >= ${min}`);
    return out.map(Number);
  };
}

function nonNegativeInt(raw: string): number {
  if (!/^\d+$/.test(raw.trim())) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(raw);
}

function positiveInt(raw: string): number {
  const v = nonNegativeInt(raw);
  if (v < 1) throw new InvalidArgumentError('expected a positive integer');
  return v;
}

export const RECORD_COLUMNS: (keyof StudyRecord)[] = ['estimator', 'layer', 'samples', 'reps', 'relRmse', 'relErrP15', 'relErrP85', 'cosine', 'cosineMedian', 'cosineP15', 'cosineP85'];

export function studyPlotSpec(records: StudyRecord[], title: string): TopLevelSpec {
  const color = { field: 'estimator', type: 'nominal' as const, legend: { title: 'estimator' } };
  const x = { field: 'samples', type: 'quantitative' as const, scale: { type: 'log' as const }, title: 'samples M' };
  const panel = (y: string, lo: string, hi: string, yTitle: string, log: boolean) => ({
    facet: { column: { field: 'layer', type: 'nominal' as const, title: null } },
    spec: {
      width: 180,
      height: 160,
      layer: [
        {
          mark: { type: 'area' as const, opacity: 0.15 },
          encoding: {
            x,
            y: { field: lo, type: 'quantitative' as const, scale: log ? { type: 'log' as const } : { domain: [-1, 1] }, title: yTitle },
            y2: { field: hi },
            color,
          },
        },
        {
          mark: { type: 'line' as const, point: true },
          encoding: { x, y: { field: y, type: 'quantitative' as const, scale: log ? { type: 'log' as const } : { domain: [-1, 1] } }, color },
        },
      ],
    },
  });
  // log scales need positive values: an exact estimate (error 0) is drawn at a floor
  const floor = 1e-6;
  const values = records.map((r) => ({
    ...r,
    relRmse: Math.max(r.relRmse, floor),
    relErrP15: Math.max(r.relErrP15, floor),
    relErrP85: Math.max(r.relErrP85, floor),
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    vconcat: [
      panel('relRmse', 'relErrP15', 'relErrP85', 'relative RMSE (band: 15-85% of relative error)', true),
      panel('cosine', 'cosineP15', 'cosineP85', 'cosine similarity (band: 15-85%)', false),
    ],
  } as TopLevelSpec;
}

export function registerEstimators(program: Command, io: Io): void {
  program
    .command('estimators')
    .description('gradient-estimator accuracy study: relative RMSE and cosine to the exact gradient, per layer, against the number of samples')
    .option('--sizes <list>', 'network sizes: input dimension, then stochastic hidden layers', intList(1), DEFAULT_SIZES)
    .option('--samples <list>', 'sample counts M', intList(1), DEFAULT_SAMPLES)
    .option('--seed <n>', 'random seed (data, initial weights, sampling)', parseSeed, 1)
    .option('--train-epochs <E>', 'first train the network for E full-batch Adam steps on the exact gradient', nonNegativeInt, 0)
    .option('--estimators <list>', `estimators to compare (default ${STUDY_ESTIMATORS.join(',')})`, parseNameList)
    .option('--problem <spec>', 'study the Bernoulli weights of this problem instead of the network (n <= 22)')
    .option('--budget <n>', 'single-sample draws per repetition budget: reps(M) = clamp(budget/M, min, max)', positiveInt, DEFAULT_BUDGET)
    .option('--min-reps <n>', 'fewest repetitions at any M', positiveInt, 1)
    .option('--max-reps <n>', 'most repetitions at any M', positiveInt, 30)
    .option('--json', 'print the records as one JSON array')
    .option('--csv <file>', 'also write the records as CSV')
    .option('--plot <file.svg>', 'also write log-log plots per layer as SVG')
    .action(async (flags: EstimatorFlags) => {
      const start = performance.now();
      const rng = new Rng(flags.seed, 'estimators');
      let chain: StochasticChain;
      let what: string;
      if (flags.problem) {
        const problem = loadProblem(flags.problem);
        if (problem.n > 22) throw new UserError(`--problem: the exact gradient enumerates 2^n states; n = ${problem.n} is more than 22`);
        const initRng = rng.fork('logits');
        const eta = Float64Array.from({ length: problem.n }, () => initRng.normal());
        chain = bernoulliChain(problem, eta);
        what = `Bernoulli weights of ${problem.spec}, logits ~ N(0, 1)`;
      } else {
        if (flags.sizes.length < 2) throw new UserError('--sizes: give the input dimension and at least one hidden layer, e.g. 2,5,5,5');
        if (flags.sizes[0] !== 2) throw new UserError('--sizes: the two-class data set is 2-D, so the first size must be 2');
        if (flags.sizes.slice(1).some((h) => h > SBN_MAX_UNITS)) throw new UserError(`--sizes: hidden layers of at most ${SBN_MAX_UNITS} units (exact enumeration)`);
        const net = new StochasticBinaryNetwork(flags.sizes, twoClass2d(100, rng.fork('data')), rng.fork('init'));
        if (flags.trainEpochs > 0) net.train(flags.trainEpochs);
        chain = net;
        what = `stochastic binary network [${flags.sizes.join(',')}] + logistic output, 200-point 2-D set${flags.trainEpochs ? `, trained ${flags.trainEpochs} epochs` : ', at initialisation'}`;
      }
      const exact = new Float64Array(chain.paramCount);
      const objective = chain.exactGradient!(exact);
      const estimators: GradientEstimator[] = [];
      const skipped: string[] = [];
      for (const name of flags.estimators ?? [...STUDY_ESTIMATORS, ...(flags.problem ? ['analytic'] : [])]) {
        const e = createEstimator(name);
        const why = e.supports(chain);
        if (why === true) estimators.push(e);
        else if (flags.estimators) throw new UserError(`estimator '${name}': ${why}`);
        else skipped.push(name);
      }
      const bar = progressBar(io, estimators.length, 'estimators');
      const records: StudyRecord[] = [];
      for (const [k, e] of estimators.entries()) {
        records.push(
          ...studyEstimator(chain, e, exact, {
            samples: flags.samples,
            seed: flags.seed,
            budget: flags.budget,
            minReps: flags.minReps,
            maxReps: flags.maxReps,
            onProgress: (name, r, reps) => bar.update(k, `${name} rep ${r}/${reps}`),
          }),
        );
      }
      bar.stop();
      if (flags.csv) writeText(flags.csv, lazyRequire<typeof import('csv-stringify/sync')>('csv-stringify/sync')().stringify(records, { header: true, columns: RECORD_COLUMNS as string[] }));
      if (flags.plot) writeText(flags.plot, await vegaLiteToSvg(studyPlotSpec(records, what)));
      if (flags.json) {
        io.out(JSON.stringify(records) + '\n');
        return;
      }
      io.out(`bnnrelax estimators: ${what}; exact expected loss ${objective.toFixed(6)}; seed ${flags.seed}\n`);
      if (skipped.length) io.out(`skipped (not applicable here): ${skipped.join(', ')}\n`);
      io.out(`reps(M) = clamp(${flags.budget}/M, ${flags.minReps}, ${flags.maxReps}); ${((performance.now() - start) / 1000).toFixed(1)} s\n\n`);
      io.out(
        formatTable(
          ['estimator', 'layer', 'M', 'reps', 'rel RMSE', 'cos mean', 'cos p15', 'cos p85'],
          records.map((r) => [r.estimator, r.layer, r.samples, r.reps, r.relRmse, r.cosine, r.cosineP15, r.cosineP85]),
        ),
      );
    });
}
