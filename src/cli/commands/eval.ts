/**
 * `bnnrelax eval`: the exact accuracy of a saved binary model on raw labelled data. The model's
 * input encoding (fitted by `train` on its training rows, src/formats/input-encoding.ts) turns the
 * raw features into the network's inputs, so every source `train --data` takes can be given here:
 * a file's rows are all evaluated; built-in data (moons, iris, mnist), `--split` or `--test`
 * rebuild train's own train and test rows (the same seeded generation, subsets and split, from
 * the same --seed and sizes) and report both accuracies, which then equal train's.
 */
import type { Command } from 'commander';
import { evaluateModel, type Evaluation } from '../../xnor/bnn-forward.js';
import { evaluateEnsemble, type Calibration } from '../../xnor/ensemble.js';
import { loadLabelledCsv, type LabelledData } from '../../datasets/csv.js';
import { mnist } from '../../datasets/mnist.js';
import { BUILTIN_DATA, loadRawTrainTest, readDataFile, sourceDefaults } from '../../datasets/load.js';
import type { Dataset } from '../../datasets/dataset.js';
import { describeEncoding, encodeBits } from '../../formats/input-encoding.js';
import { UserError } from '../../core/errors.js';
import type { Io } from '../../core/io.js';
import { loadModel, type BinaryModel } from '../../formats/model.js';
import { Rng } from '../../numerics/rng.js';
import { BackendUnavailable, createXnorBackend, XNOR_BACKENDS, type XnorBackend } from '../../xnor/index.js';
import { parsePositiveInt, parseSeed } from '../options.js';

interface EvalFlags {
  model: string;
  data: string;
  labels?: string;
  test?: string;
  testLabels?: string;
  split?: boolean;
  trainSize?: number;
  testSize?: number;
  backend: string;
  samples?: number;
  seed: number;
  json?: boolean;
}

/** The named kernel backend, or a one-line UserError saying why not and what to use instead. */
export function backendOrUserError(name: string): XnorBackend {
  try {
    return createXnorBackend(name);
  } catch (e) {
    if (e instanceof RangeError) throw new UserError(e.message);
    if (e instanceof BackendUnavailable) {
      const other = name === 'wasm' || name === 'auto' ? 'js' : 'auto';
      throw new UserError(`${e.message}; try --backend ${other}`);
    }
    throw e;
  }
}

/** Rows to evaluate, with where each came from for messages. */
interface Part {
  /** 'train', 'test', or 'all' */
  name: string;
  data: LabelledData;
  /** `file:line` (CSV) or `source: train row r` */
  at(s: number): string;
  /** the source, for messages about all rows */
  source: string;
}

function fromDataset(d: Dataset): LabelledData {
  return { samples: d.count, width: d.features, features: d.X, labels: d.labels, lines: Int32Array.from({ length: d.count }, (_, i) => i + 1) };
}

/** True when `--data` and the flags ask for train's train and test rows rather than every row of a file. */
function wantsParts(flags: EvalFlags): boolean {
  return (BUILTIN_DATA as readonly string[]).includes(flags.data) || flags.split === true || flags.test !== undefined || flags.trainSize !== undefined || flags.testSize !== undefined;
}

/** The rows `--data` names: every row of a file (or of the MNIST test set), or train's train and test rows. */
function evalParts(flags: EvalFlags): { parts: Part[]; description?: string } {
  if (!wantsParts(flags)) {
    if (flags.data === 'mnist-test') {
      const d = fromDataset(mnist('t10k', 0, new Rng(0, 'eval-order')));
      return { parts: [{ name: 'all', data: d, at: (s) => `mnist-test: image ${s + 1}`, source: 'mnist-test' }] };
    }
    if (flags.labels === undefined && !/idx/i.test(flags.data)) {
      const d = loadLabelledCsv(flags.data);
      return { parts: [{ name: 'all', data: d, at: (s) => `${flags.data}:${d.lines[s]}`, source: `${flags.data}:${d.lines[0]}` }] };
    }
    const d = fromDataset(readDataFile(flags.data, flags.labels));
    return { parts: [{ name: 'all', data: d, at: (s) => `${flags.data}: row ${s + 1}`, source: flags.data }] };
  }
  if (flags.data === 'mnist-test') throw new UserError("--data mnist-test is the whole MNIST test set; use --data mnist for train's seeded subsets");
  const defaults = sourceDefaults(flags.data, flags.labels);
  const raw = loadRawTrainTest({
    data: flags.data,
    labels: flags.labels,
    test: flags.test,
    testLabels: flags.testLabels,
    trainSize: flags.trainSize ?? defaults.trainSize,
    testSize: flags.testSize ?? defaults.testSize,
    holdout: defaults.holdout,
    noise: flags.data === 'moons' ? defaults.noise : 0,
    seed: flags.seed,
  });
  const part = (name: string, d: Dataset): Part => ({ name, data: fromDataset(d), at: (s) => `${d.source}: ${name} row ${s + 1}`, source: d.source });
  return { parts: [part('train', raw.train), part('test', raw.test)], description: raw.description };
}

/** The part's rows as the network's inputs: through the model's input encoding when it has one. */
function networkInputs(part: Part, model: BinaryModel, flags: EvalFlags): LabelledData {
  const { data } = part;
  const inputs = model.layers[0]!.inputs;
  const enc = model.encoding;
  if (!enc) {
    if (data.width !== inputs) throw new UserError(`${part.source}: rows have ${data.width} features but the model ${flags.model} takes ${inputs} inputs`);
    return data;
  }
  if (data.width !== enc.features) {
    throw new UserError(`${part.source}: rows have ${data.width} features but the input encoding of the model ${flags.model} takes ${enc.features} (${describeEncoding(enc)})`);
  }
  return { ...data, width: inputs, features: encodeBits(enc, data.features, data.samples, data.width, flags.data) };
}

function where(model: BinaryModel): string {
  const act = model.activation ?? 'sign';
  return act === 'sign' ? 'every layer XNOR-popcount' : `${act} activations: XNOR-popcount for the first layer, floating point after`;
}

export function registerEval(program: Command, io: Io): void {
  program
    .command('eval')
    .description("accuracy of a binary model (bnnrelax.model.v1/v2/v3 JSON) on raw labelled data with XNOR-popcount kernels, through the model's saved input encoding; with --samples, an ensemble drawn from its saved distribution")
    .requiredOption('--model <file>', 'model JSON (plain or packed bnnrelax.model.v1, v2 or v3)')
    .requiredOption('--data <name|file>', "a CSV file (numeric features, integer label in the last column, optional header row) or an IDX images file (with --labels): every row; mnist-test: the 10,000 MNIST test images; moons, iris, mnist: train's train and test rows (same --seed, --train-size, --test-size as train)")
    .option('--labels <file>', 'IDX labels file for an IDX --data file')
    .option('--split', "rebuild train's seeded 70/30 split of the --data file (same --seed) and report train and test accuracy")
    .option('--test <file>', "train's --test file (CSV, or IDX images with --test-labels): report train accuracy on --data and test accuracy on it")
    .option('--test-labels <file>', 'IDX labels file for an IDX --test file')
    .option('--train-size <n>', "train's --train-size (implies train's rows; default as train's: moons 200, mnist 2000, else all)", parseSeed)
    .option('--test-size <n>', "train's --test-size (implies train's rows; default as train's: moons 1000, mnist 1000, else all)", parseSeed)
    .option('--backend <name>', `kernel backend: ${XNOR_BACKENDS.map((b) => b.name).join(', ')}`, 'auto')
    .option('--samples <L>', "also draw L networks from the saved distribution (train --save with vispa, md, bayesbinn) and report single and ensemble accuracy, ECE (15 bins) and NLL (on train's test rows when they are rebuilt)", parsePositiveInt)
    .option('--seed <n>', "seed of train's rows (as train's --seed: generated points, subsets, split) and of the sampled networks", parseSeed, 1)
    .option('--json', "print one JSON object {accuracy, samples, correct, backend, timeMs}; with train's rows {trainAccuracy, testAccuracy, train, test, ...}; with --samples {single, ensemble, members, msPerMember, ...}")
    .action((flags: EvalFlags) => {
      const backend = backendOrUserError(flags.backend);
      const model = loadModel(flags.model);
      const { parts, description } = evalParts(flags);
      const classes = Math.max(2, model.layers[model.layers.length - 1]!.outputs);
      const inputs = parts.map((part) => {
        const data = networkInputs(part, model, flags);
        for (let s = 0; s < data.samples; s++) {
          const label = data.labels[s]!;
          if (label < 0 || label >= classes) throw new UserError(`${part.at(s)}: label ${label} is not a class of the model (0..${classes - 1})`);
        }
        return data;
      });
      // the ensemble is reported on one set of rows: all of them, or train's test rows
      const data = inputs[inputs.length - 1]!;
      if (flags.samples !== undefined) {
        if (!model.distribution || !model.calibration) {
          throw new UserError(`${flags.model}: has no saved distribution to sample from (train --save with vispa, md or bayesbinn writes one)`);
        }
        const start = performance.now();
        const r = evaluateEnsemble(model, data, flags.samples, new Rng(flags.seed, 'eval-samples'), backend);
        const timeMs = performance.now() - start;
        if (flags.json) {
          io.out(JSON.stringify({ ...r, distribution: model.distribution.kind, evaluation: where(model), backend: backend.name, seed: flags.seed, samplesEvaluated: data.samples, rows: parts[parts.length - 1]!.name, timeMs }) + '\n');
          return;
        }
        const row = (name: string, c: Calibration) => `${name.padEnd(22)}${c.accuracy.toFixed(4).padStart(9)}${c.ece.toFixed(4).padStart(9)}${c.nll.toFixed(4).padStart(9)}`;
        io.out(
          [
            `${data.samples} samples${parts.length > 1 ? " (train's test rows)" : ''}; ${model.distribution.kind} distribution; ${where(model)}; backend ${backend.name}`,
            `${''.padEnd(22)}${'accuracy'.padStart(9)}${'ECE'.padStart(9)}${'NLL'.padStart(9)}`,
            row('single (saved)', r.single),
            row(`ensemble of ${r.members}`, r.ensemble),
            `members: accuracy ${Math.min(...r.memberAccuracy).toFixed(4)} to ${Math.max(...r.memberAccuracy).toFixed(4)}; ${r.msPerMember.toFixed(1)} ms per sampled network (batch norm folded over ${model.calibration.rows} saved training rows, then evaluated); seed ${flags.seed}`,
            `ECE: 15 equal-width confidence bins; NLL: mean -log p(true class); ensemble: mean of the members' class probabilities`,
          ].join('\n') + '\n',
        );
        return;
      }
      const start = performance.now();
      const results = inputs.map((d) => evaluateModel(model, d, backend));
      const timeMs = performance.now() - start;
      if (parts.length === 1) {
        const result = results[0]!;
        if (flags.json) {
          io.out(JSON.stringify({ accuracy: result.accuracy, samples: result.samples, correct: result.correct, backend: backend.name, timeMs }) + '\n');
        } else {
          io.out(`accuracy ${result.accuracy.toFixed(4)}  (${result.correct} of ${result.samples} correct; backend ${backend.name}, ${timeMs.toFixed(2)} ms)\n`);
        }
        return;
      }
      const [train, test] = results as [Evaluation, Evaluation];
      const encoding = model.encoding ? describeEncoding(model.encoding) : `raw features binarised at >= ${model.inputThreshold}`;
      if (flags.json) {
        io.out(JSON.stringify({ trainAccuracy: train.accuracy, testAccuracy: test.accuracy, train, test, data: description, encoding, seed: flags.seed, backend: backend.name, timeMs }) + '\n');
        return;
      }
      io.out(
        [
          `data        ${description}`,
          `encoding    ${encoding}`,
          `accuracy    train ${train.accuracy.toFixed(4)} (${train.correct} of ${train.samples})  test ${test.accuracy.toFixed(4)} (${test.correct} of ${test.samples})  (backend ${backend.name}, ${timeMs.toFixed(2)} ms)`,
        ].join('\n') + '\n',
      );
    });
}
