/**
 * `bnnrelax train`: trains a binary MLP classifier (problems/mlp.ts) with any solver that trains
 * in epochs (`trainsInEpochs`), on a built-in data set or a user file, and
 * optionally saves the binary network with its input encoding (fitted on the training rows) as a
 * bnnrelax.model.v3 file, which `eval` applies to raw data.
 */
import type { Command } from 'commander';
import { createMlp, type MlpProblem } from '../../../problems/mlp.js';
import { findSolver, solvers } from '../../../solvers/index.js';
import { InvalidArgumentError } from 'commander';
import { collectKeyValue, parsePositiveInt, parsePositiveNumber, parseSeed, parseFiniteNumber } from '../options.js';
import { UserError } from '../../core/errors.js';
import type { Io } from '../../core/io.js';
import { saveModel } from '../../formats/model.js';
import { progressBar } from '../../report/progress.js';
import { runSolver } from '../../core/solver.js';
import { parseSpec } from '../../core/spec.js';
import { signsFromString } from '../../core/signs.js';
import { formatNumber } from '../../report/table.js';
import { distributionOf } from '../../../solvers/common/probability-training.js';
import type { BinaryModel } from '../../formats/model.js';

/** Training rows saved with a distribution, over which eval folds each sampled network's batch norm. */
export const CALIBRATION_ROWS = 2000;

interface TrainFlags {
  data: string;
  labels?: string;
  test?: string;
  testLabels?: string;
  arch?: string;
  solver: string;
  epochs: number;
  batch: number;
  seed: number;
  trainSize?: number;
  testSize?: number;
  threshold?: number | 'median';
  levels?: number;
  cuts?: string;
  gain?: number;
  act?: string;
  dropout?: number;
  shift?: number;
  param?: Record<string, string>;
  maxTime?: number;
  save?: string;
  json?: boolean;
}

/** The mlp spec for these flags (paths go into the spec, so they may not hold ',' or '='). */
export function trainSpec(f: Omit<TrainFlags, 'solver' | 'epochs' | 'batch' | 'json' | 'save' | 'param'>): string {
  const parts: string[] = [`data=${f.data}`];
  const add = (key: string, v: string | number | undefined) => {
    if (v === undefined) return;
    if (/[,=\s]/.test(String(v))) throw new UserError(`${key} '${v}': paths with ',', '=' or spaces are not supported here`);
    parts.push(`${key}=${v}`);
  };
  add('arch', f.arch);
  add('labels', f.labels);
  add('testdata', f.test);
  add('testlabels', f.testLabels);
  add('train', f.trainSize);
  add('test', f.testSize);
  add('threshold', f.threshold);
  add('levels', f.levels);
  add('cuts', f.cuts);
  add('gain', f.gain);
  add('act', f.act);
  add('dropout', f.dropout);
  add('shift', f.shift);
  add('seed', f.seed);
  if (/[,=\s]/.test(f.data)) throw new UserError(`--data '${f.data}': paths with ',', '=' or spaces are not supported`);
  return `mlp:${parts.join(',')}`;
}

/** `--threshold`: a finite number or `median`. */
export function parseThreshold(raw: string): number | 'median' {
  if (raw.trim() === 'median') return 'median';
  try {
    return parseFiniteNumber(raw);
  } catch {
    throw new InvalidArgumentError("expected a finite number or 'median'");
  }
}

/** The input-encoding options' help. */
const ENCODING_HELP = {
  threshold: "binarise each raw feature at t (x = +1 where feature >= t), or at its training median with 'median'; given without --levels it means --levels 0 (default with --levels 0: 0.5 for MNIST and IDX pixels, median for CSV files)",
  levels: 'thermometer code: n cut points per feature fitted on the training rows, n inputs per feature (default: 8 for moons, iris and CSV files; 0 for MNIST and IDX)',
  cuts: "where the thermometer cut points go: range (evenly spaced in each feature's training range; default for moons and iris), quantile (training quantiles; default for CSV files) or shared (evenly spaced in the range of all features, the same for every feature: what --shift needs)",
};

/** The solvers that train in epochs, for help and error text. */
function epochSolverNames(): string {
  return solvers.filter((s) => s.trainsInEpochs).map((s) => s.name).join(', ');
}

export function registerTrain(program: Command, io: Io): void {
  program
    .command('train')
    .description('train a binary MLP classifier (binary weights; sign activations, or real ones with --act) and report its exact accuracy')
    .requiredOption('--data <name|file>', 'moons, iris, mnist, a CSV file (label in the last column) or an IDX images file')
    .option('--labels <file>', 'IDX labels file for an IDX --data file')
    .option('--test <file>', 'separate test set (CSV, or IDX images with --test-labels); default: a seeded hold-out split')
    .option('--test-labels <file>', 'IDX labels file for an IDX --test file')
    .option('--arch <sizes>', "layer sizes, e.g. 784-256-10 (the first must match the input features, the last the classes)")
    .option('--solver <name>', `solver that trains in epochs: ${epochSolverNames()}`, 'ste')
    .option('--epochs <n>', 'epochs (passes over the training set)', parsePositiveInt, 10)
    .option('--batch <n>', 'minibatch size', parsePositiveInt, 100)
    .option('--seed <n>', 'random seed (data subsets/splits and the solver)', parseSeed, 1)
    .option('--train-size <n>', 'seeded subset of the training rows (0 = all; mnist default 2000)', parseSeed)
    .option('--test-size <n>', 'seeded subset of the test rows (0 = all; mnist default 1000)', parseSeed)
    .option('--threshold <t|median>', ENCODING_HELP.threshold, parseThreshold)
    .option('--levels <n>', ENCODING_HELP.levels, parseSeed)
    .option('--cuts <range|quantile|shared>', ENCODING_HELP.cuts)
    .option('--gain <g>', 'output gain: class scores are g (z - mu) / sigma (default 1)', parsePositiveNumber)
    .option('--act <sign|relu|htanh>', 'hidden activation: sign (fully binary, XNOR-evaluated) or real relu / htanh (binary weights only, floating point after the first layer)')
    .option('--dropout <p>', 'inverted dropout on the real hidden activations while training (with --act relu or htanh; 0 <= p <= 0.9; default 0): the saved network keeps every unit', parseFiniteNumber)
    .option('--shift <pixels>', 'translate each training image by a random (dx, dy) in -pixels..pixels on every pass (image data: mnist, IDX N x rows x cols; 0 <= pixels <= 8; default 0): the network is scored on the untranslated images', parseSeed)
    .option('-p, --param <key=value>', 'solver parameter (repeatable)', collectKeyValue)
    .option('--max-time <seconds>', 'time budget', parsePositiveNumber)
    .option('--save <model.json>', 'save the binary network and its input encoding (bnnrelax.model.v3; eval applies the encoding to raw data)')
    .option('--json', 'print exactly one JSON object')
    .action(async (flags: TrainFlags) => {
      const problem = createMlp(parseSpec(trainSpec(flags))) as MlpProblem;
      const solver = findSolver(flags.solver);
      if (!solver.trainsInEpochs) throw new UserError(`solver '${solver.name}' does not train in epochs; use one of ${epochSolverNames()}`);
      const bar = progressBar(io, flags.epochs, `${solver.name}`);
      const result = await runSolver(solver, problem, {
        seed: flags.seed,
        maxTimeMs: flags.maxTime === undefined ? undefined : flags.maxTime * 1000,
        params: { ...flags.param, epochs: flags.epochs, batch: flags.batch },
        onProgress: (epoch, best) => bar.update(epoch, `epoch ${epoch}, best train loss ${formatNumber(best)}`),
      });
      bar.stop();
      const distribution = distributionOf(result);
      if (flags.save) {
        const single = problem.model(signsFromString(result.weights));
        // a probabilistic solver's distribution goes beside the single network, with the rows eval needs to fold sampled networks
        const model: BinaryModel = distribution ? { ...single, gain: problem.gain, distribution, calibration: problem.calibrationInputs(CALIBRATION_ROWS) } : single;
        saveModel(flags.save, model);
      }
      // correct / rows, the number eval computes from the same rows (1 - error can differ in the last bit)
      const accuracy = (error: number, rows: number) => (rows - Math.round(error * rows)) / rows;
      const trainAccuracy = accuracy(result.trainError ?? NaN, problem.trainSize);
      const testAccuracy = result.testError === undefined ? undefined : accuracy(result.testError, problem.testSize);
      if (flags.json) {
        const { history: _h, ...rest } = result;
        io.out(JSON.stringify({ ...rest, arch: problem.arch.join('-'), data: problem.description, trainAccuracy, testAccuracy, ...(flags.save ? { model: flags.save } : {}) }) + '\n');
        return;
      }
      io.out(
        [
          `problem     ${result.problem}`,
          `data        ${problem.description}`,
          `solver      ${result.solver} (seed ${result.seed}), ${flags.epochs} epochs, batch ${flags.batch}, ${result.iterations} steps`,
          `weights     ${problem.n} binary`,
          `train loss  ${formatNumber(result.loss, 6)}`,
          `accuracy    train ${formatNumber(trainAccuracy)}  test ${formatNumber(testAccuracy)}  (${problem.activation === 'sign' ? 'binary network, XNOR-popcount evaluation' : `binary weights, ${problem.activation} activations: XNOR for the first layer, floating point after`})`,
          `time        ${formatNumber(result.timeMs / 1000, 2)} s`,
          ...(flags.save ? [`saved       ${flags.save}${distribution ? ` (with the learnt ${distribution.kind} distribution: bnnrelax eval --samples L)` : ''}`] : []),
        ].join('\n') + '\n',
      );
    });
}
