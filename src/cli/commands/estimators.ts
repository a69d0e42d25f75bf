/**
 * `bnnrelax estimators`: the gradient-estimator accuracy study (DESIGN.md section 1, item 3; the
 * protocol of src/experiments/estimator-protocol.ts and estimator-study.ts). This file only turns
 * flags into a protocol run and writes its outputs (table, JSON, CSV, plots, network files).
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { lazyRequire } from '../../core/lazy-require.js';
import { loadProblem } from '../../../problems/index.js';
import { SBN_MAX_UNITS } from '../../../problems/sbn.js';
import { loadTwoClassCsv, twoClassCsv } from '../../../problems/two-class-2d.js';
import { STUDY_ESTIMATORS, AUTHORS_ESTIMATORS } from '../../../solvers/estimators/index.js';
import { collectKeyValue, parseChoice, parseIntList, parseNameList, parseNonNegativeInt, parsePositiveInt, parseSeed } from '../options.js';
import { UserError } from '../../core/errors.js';
import type { Io } from '../../core/io.js';
import { GROUPINGS, type Grouping, type StudyRecord } from '../../experiments/estimator-study.js';
import { INITS, runEstimatorProtocol, TRAININGS, type Checkpoint, type Init, type Training, type NetworkSource, type ProblemSource } from '../../experiments/estimator-protocol.js';
import { loadNetwork, saveNetwork, UNIT_CODINGS, type UnitCoding } from '../../formats/sbn-network.js';
import { writeText } from '../../formats/text-file.js';
import { progressBar } from '../../report/progress.js';
import { vegaLiteToSvg } from '../../report/svg-plot.js';
import { BAND_NOTE, studyPlotSpec } from '../../report/estimator-plot.js';
import { writeSvgAsPng } from '../../report/png.js';
import { formatTable } from '../../report/table.js';

export const DEFAULT_SIZES = [2, 5, 5, 5];
export const DEFAULT_SAMPLES = [1, 10, 100, 1000, 10000];
/** Chosen so that the default protocol runs in about a minute on the 2-core machine. */
export const DEFAULT_BUDGET = 3000;
/** The largest M: the protocol's is 10^4; 10^6 draws of the reference network take minutes. */
const MAX_SAMPLES = 1_000_000;

/** Default thread cap: each worker holds its own copy of the code (~40 MB), and a study has a few dozen tasks. */
const DEFAULT_MAX_THREADS = 8;
/** The PSA authors' number of single-sample draws (gradeval/test_grad1.py). */
export const DEFAULT_DRAWS = 20000;
export const ARM_MODES = ['shared', 'fresh'] as const;

interface EstimatorFlags {
  sizes: number[];
  samples: number[];
  seed: number;
  units: UnitCoding;
  network?: string;
  data?: string;
  saveNetwork?: string;
  saveData?: string;
  init: Init;
  train?: Training;
  epochs?: number[];
  trainEpochs?: number;
  estimators?: string[];
  problem?: string;
  grouping: Grouping;
  draws: number;
  budget: number;
  minReps: number;
  maxReps: number;
  param: Record<string, string>;
  threads: number;
  json?: boolean;
  csv?: string;
  plot?: string;
}

export const RECORD_COLUMNS: (keyof StudyRecord | 'epoch')[] = ['estimator', 'layer', 'samples', 'reps', 'relRmse', 'relErrP15', 'relErrP85', 'cosine', 'cosineMedian', 'cosineP15', 'cosineP85', 'epoch'];

/** `file.ext` for one checkpoint, `file-epochE.ext` for each of several. */
export function perCheckpoint(file: string, epoch: number, several: boolean): string {
  if (!several) return file;
  const dot = file.lastIndexOf('.');
  const slash = file.lastIndexOf('/');
  return dot > slash + 1 ? `${file.slice(0, dot)}-epoch${epoch}${file.slice(dot)}` : `${file}-epoch${epoch}`;
}

function armMode(params: Record<string, string>): (typeof ARM_MODES)[number] {
  for (const key of Object.keys(params)) if (key !== 'arm') throw new UserError(`-p ${key}: unknown parameter (known: arm=${ARM_MODES.join('|')})`);
  const arm = params.arm ?? 'shared';
  if (!(ARM_MODES as readonly string[]).includes(arm)) throw new UserError(`-p arm=${arm}: expected ${ARM_MODES.join(' or ')}`);
  return arm as (typeof ARM_MODES)[number];
}

function checkNetworkFlags(flags: EstimatorFlags, sizesGiven: boolean): void {
  if (flags.problem) {
    for (const [set, name] of [[flags.network, '--network'], [flags.data, '--data'], [flags.saveNetwork, '--save-network'], [flags.saveData, '--save-data'], [flags.train, '--train'], [flags.trainEpochs, '--train-epochs']] as const) {
      if (set !== undefined) throw new UserError(`${name} applies to the network study, not to --problem`);
    }
    return;
  }
  if (flags.network && sizesGiven) throw new UserError('--sizes and --network both give the sizes; give one');
  if (!flags.network) {
    if (flags.sizes.length < 2) throw new UserError('--sizes: give the input dimension and at least one hidden layer, e.g. 2,5,5,5');
    if (flags.sizes.slice(1).some((h) => h > SBN_MAX_UNITS)) throw new UserError(`--sizes: hidden layers of at most ${SBN_MAX_UNITS} units (exact enumeration)`);
  }
  if (flags.trainEpochs !== undefined && (flags.train !== undefined || flags.epochs !== undefined)) throw new UserError('--train-epochs E is short for --train exact-adam --epochs E; give one form');
  if (flags.train && flags.train !== 'none' && !flags.epochs) throw new UserError(`--train ${flags.train} needs --epochs (checkpoints, e.g. 1,100,2000)`);
  if (flags.epochs && (!flags.train || flags.train === 'none')) throw new UserError('--epochs needs --train exact-adam or --train sgd-reinforce');
  if (flags.grouping === 'disjoint' && flags.draws < Math.max(...flags.samples)) throw new UserError(`--draws ${flags.draws}: the disjoint grouping needs at least the largest M (${Math.max(...flags.samples)}) draws`);
}

export function registerEstimators(program: Command, io: Io): void {
  program
    .command('estimators')
    .description('gradient-estimator accuracy study: relative RMSE and cosine to the exact gradient, per layer, against the number of samples')
    .option('--sizes <list>', 'network sizes: input dimension, then stochastic hidden layers', parseIntList(1), DEFAULT_SIZES)
    .option('--network <file.json>', 'study this network ({"units", "layers": [{"weight", "bias"}...]}, output layer last) instead of a new one')
    .option('--data <file.csv>', 'two-class data x1,...,xd,label with labels 0/1 or -1/+1 (default: the 200-point 2-D set from the seed)')
    .option('--save-network <file.json>', 'write the network studied (each checkpoint: file-epochE.json) in the --units coding')
    .option('--save-data <file.csv>', 'write the data points studied as CSV x1,...,xd,label (labels 0/1)')
    .option('--units <coding>', `coding of the stochastic units for parameters, gradients and metrics: ${UNIT_CODINGS.join('|')}`, parseChoice(UNIT_CODINGS), 'pm1' as UnitCoding)
    .option('--init <how>', `initial weights of a new network: ${INITS.join('|')} (data-dependent: the PSA authors' U(-1,1) + standardisation)`, parseChoice(INITS), 'normal' as Init)
    .option('--train <how>', `train before studying: ${TRAININGS.join('|')} (sgd-reinforce: the PSA authors' REINFORCE SGD, lr 0.03, momentum 0.9, batch 10)`, parseChoice(TRAININGS))
    .option('--epochs <list>', 'checkpoint epochs of --train, each studied (0 = before training)', parseIntList(0))
    .option('--train-epochs <E>', 'short for --train exact-adam --epochs E (full-batch Adam, lr 0.05, on the exact gradient)', parseNonNegativeInt)
    .option('--samples <list>', `sample counts M (at most ${MAX_SAMPLES}: each repetition draws M samples)`, parseIntList(1, MAX_SAMPLES), DEFAULT_SAMPLES)
    .option('--seed <n>', 'random seed (data, initial weights, training, sampling)', parseSeed, 1)
    .option('--estimators <list>', `estimators to compare (default ${STUDY_ESTIMATORS.join(',')}; 'authors' = ${AUTHORS_ESTIMATORS.join(',')})`, parseNameList)
    .option('-p, --param <key=value>', 'estimator choice (repeatable): arm=shared|fresh (default shared: both ARM continuations share the later noise)', collectKeyValue, {})
    .option('--problem <spec>', 'study the Bernoulli weights of this problem instead of the network (n <= 22)')
    .option('--grouping <how>', `how single-sample draws make M-sample estimates: ${GROUPINGS.join('|')} (disjoint: the PSA authors' protocol)`, parseChoice(GROUPINGS), 'nested' as Grouping)
    .option('--draws <D>', 'disjoint grouping: single-sample draws per estimator', parsePositiveInt, DEFAULT_DRAWS)
    .option('--budget <n>', 'nested grouping: single-sample draws per repetition budget, reps(M) = clamp(budget/M, min, max)', parsePositiveInt, DEFAULT_BUDGET)
    .option('--min-reps <n>', 'nested grouping: fewest repetitions at any M', parsePositiveInt, 1)
    .option('--max-reps <n>', 'nested grouping: most repetitions at any M', parsePositiveInt, 30)
    .option('--threads <n>', `worker threads for network studies (default: the available cores, at most ${DEFAULT_MAX_THREADS}; the records do not depend on it)`, parsePositiveInt, Math.min(DEFAULT_MAX_THREADS, availableParallelism()))
    .option('--json', 'print the records as one JSON array')
    .option('--csv <file>', 'also write the records as CSV')
    .option('--plot <file.svg|file.png>', 'also write the figure (rel. RMSE and 1 - cosine against M, per layer; each checkpoint: file-epochE.svg); .png needs rsvg-convert')
    .action(async (flags: EstimatorFlags, command: Command) => {
      const start = performance.now();
      checkNetworkFlags(flags, command.getOptionValueSource('sizes') === 'cli');
      const arm = armMode(flags.param);
      let source: NetworkSource | ProblemSource;
      if (flags.problem) source = { kind: 'problem', problem: loadProblem(flags.problem) };
      else {
        const network = flags.network ? loadNetwork(flags.network) : undefined;
        const data = flags.data ? loadTwoClassCsv(flags.data) : undefined;
        const dim = network ? network.layers[0]!.inputs : flags.sizes[0]!;
        const dataDim = data ? data.X.length / data.count : 2;
        if (dim !== dataDim) {
          const from = network ? `${flags.network}: layers[0] takes ${dim} inputs` : `--sizes: the first size is ${dim}`;
          throw new UserError(`${from} but the ${data ? `points of ${flags.data}` : 'two-class set'} have ${dataDim} coordinates`);
        }
        if (network && network.layers.slice(0, -1).some((l) => l.outputs > SBN_MAX_UNITS)) throw new UserError(`${flags.network}: stochastic layers of at most ${SBN_MAX_UNITS} units (exact enumeration)`);
        const train: Training = flags.trainEpochs !== undefined ? (flags.trainEpochs > 0 ? 'exact-adam' : 'none') : (flags.train ?? 'none');
        const epochs = flags.trainEpochs !== undefined ? [flags.trainEpochs] : (flags.epochs ?? [0]);
        source = { kind: 'network', sizes: flags.sizes, init: flags.init, train, epochs, ...(network ? { network } : {}), ...(data ? { data } : {}) };
      }
      let bar = progressBar(io, 1, 'estimators');
      let barFor = '';
      const result = await runEstimatorProtocol(source, {
        seed: flags.seed,
        units: flags.units,
        arm,
        ...(flags.estimators ? { estimators: flags.estimators } : {}),
        study: { samples: flags.samples, grouping: flags.grouping, draws: flags.draws, budget: flags.budget, minReps: flags.minReps, maxReps: flags.maxReps },
        threads: flags.threads,
        onProgress: (label, done, of) => {
          // one bar per label (all tasks, or one estimator of a --problem study): totals differ
          if (label !== barFor) {
            bar.stop();
            bar = progressBar(io, of, label);
            barFor = label;
          }
          bar.update(done);
        },
      });
      bar.stop();
      const several = result.checkpoints.length > 1;
      const records = result.checkpoints.flatMap((c) => c.records);
      if (flags.csv) writeText(flags.csv, lazyRequire<typeof import('csv-stringify/sync')>('csv-stringify/sync')().stringify(records, { header: true, columns: RECORD_COLUMNS as string[] }));
      for (const c of result.checkpoints) {
        if (flags.saveNetwork && c.network) saveNetwork(perCheckpoint(flags.saveNetwork, c.epoch, several), c.network);
        if (flags.saveData && c.data && c === result.checkpoints[0]) writeText(flags.saveData, twoClassCsv(c.data));
        if (flags.plot) await writePlot(perCheckpoint(flags.plot, c.epoch, several), c, flags);
      }
      if (flags.json) {
        io.out(JSON.stringify(records) + '\n');
        return;
      }
      const grouping =
        flags.grouping === 'disjoint'
          ? `disjoint groups of ${flags.draws} draws`
          : `nested, reps(M) = clamp(${flags.budget}/M, ${flags.minReps}, ${flags.maxReps})`;
      for (const c of result.checkpoints) io.out(`bnnrelax estimators: ${c.what}; exact expected loss ${c.objective.toFixed(6)}\n`);
      io.out(`seed ${flags.seed}; ${grouping}; ARM noise ${arm}; ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
      if (result.skipped.length) io.out(`skipped (not applicable here): ${result.skipped.join(', ')}\n`);
      io.out('\n');
      const head = ['estimator', 'layer', 'M', 'reps', 'rel RMSE', 'cos mean', 'cos p15', 'cos p85'];
      io.out(
        formatTable(
          several ? ['epoch', ...head] : head,
          records.map((r) => [...(several ? [r.epoch] : []), r.estimator, r.layer, r.samples, r.reps, r.relRmse, r.cosine, r.cosineP15, r.cosineP85]),
        ),
      );
    });
}

async function writePlot(file: string, c: Checkpoint, flags: EstimatorFlags): Promise<void> {
  const grouping = flags.grouping === 'disjoint' ? `disjoint groups of ${flags.draws} draws` : `nested, budget ${flags.budget}`;
  const svg = await vegaLiteToSvg(studyPlotSpec(c.records, [c.what, `exact expected loss ${c.objective.toFixed(4)}; ${grouping}; ARM noise ${armMode(flags.param)}; seed ${flags.seed}`, BAND_NOTE]));
  if (/\.png$/i.test(file)) writeSvgAsPng(svg, file);
  else writeText(file, svg);
}
