import type { Command } from 'commander';
import { evaluateModel } from '../../xnor/bnn-forward.js';
import { evaluateEnsemble, type Calibration } from '../../xnor/ensemble.js';
import { loadLabelledCsv, type LabelledData } from '../../datasets/csv.js';
import { mnist } from '../../datasets/mnist.js';
import { UserError } from '../../core/errors.js';
import type { Io } from '../../core/io.js';
import { loadModel, type BinaryModel } from '../../formats/model.js';
import { Rng } from '../../numerics/rng.js';
import { BackendUnavailable, createXnorBackend, XNOR_BACKENDS, type XnorBackend } from '../../xnor/index.js';
import { parsePositiveInt, parseSeed } from '../options.js';

interface EvalFlags {
  model: string;
  data: string;
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

/** `--data`: a labelled CSV file, or `mnist-test` (the 10,000 MNIST test images, pixels / 255). */
function evalData(name: string): LabelledData {
  if (name !== 'mnist-test') return loadLabelledCsv(name);
  const d = mnist('t10k', 0, new Rng(0, 'eval-order'));
  return { samples: d.count, width: d.features, features: d.X, labels: d.labels, lines: Int32Array.from({ length: d.count }, (_, i) => i + 1) };
}

function where(model: BinaryModel): string {
  const act = model.activation ?? 'sign';
  return act === 'sign' ? 'every layer XNOR-popcount' : `${act} activations: XNOR-popcount for the first layer, floating point after`;
}

export function registerEval(program: Command, io: Io): void {
  program
    .command('eval')
    .description('accuracy of a binary model (bnnrelax.model.v1/v2 JSON) on labelled data with XNOR-popcount kernels; with --samples, an ensemble drawn from its saved distribution')
    .requiredOption('--model <file>', 'model JSON (plain or packed bnnrelax.model.v1 or v2)')
    .requiredOption('--data <file>', 'CSV: numeric features, integer label in the last column, optional header row; or mnist-test')
    .option('--backend <name>', `kernel backend: ${XNOR_BACKENDS.map((b) => b.name).join(', ')}`, 'auto')
    .option('--samples <L>', 'also draw L networks from the saved distribution (train --save with vispa, md, bayesbinn) and report single and ensemble accuracy, ECE (15 bins) and NLL', parsePositiveInt)
    .option('--seed <n>', 'seed of the sampled networks', parseSeed, 1)
    .option('--json', 'print one JSON object {accuracy, samples, correct, backend, timeMs} (with --samples: {single, ensemble, members, msPerMember, ...})')
    .action((flags: EvalFlags) => {
      const backend = backendOrUserError(flags.backend);
      const model = loadModel(flags.model);
      const data = evalData(flags.data);
      const inputs = model.layers[0]!.inputs;
      if (data.width !== inputs) {
        throw new UserError(`${flags.data}:${data.lines[0]}: rows have ${data.width} features but the model ${flags.model} takes ${inputs} inputs`);
      }
      const classes = Math.max(2, model.layers[model.layers.length - 1]!.outputs);
      for (let s = 0; s < data.samples; s++) {
        const label = data.labels[s]!;
        if (label < 0 || label >= classes) throw new UserError(`${flags.data}:${data.lines[s]}: label ${label} is not a class of the model (0..${classes - 1})`);
      }
      if (flags.samples !== undefined) {
        if (!model.distribution || !model.calibration) {
          throw new UserError(`${flags.model}: has no saved distribution to sample from (train --save with vispa, md or bayesbinn writes one)`);
        }
        const start = performance.now();
        const r = evaluateEnsemble(model, data, flags.samples, new Rng(flags.seed, 'eval-samples'), backend);
        const timeMs = performance.now() - start;
        if (flags.json) {
          io.out(JSON.stringify({ ...r, distribution: model.distribution.kind, evaluation: where(model), backend: backend.name, seed: flags.seed, samplesEvaluated: data.samples, timeMs }) + '\n');
          return;
        }
        const row = (name: string, c: Calibration) => `${name.padEnd(22)}${c.accuracy.toFixed(4).padStart(9)}${c.ece.toFixed(4).padStart(9)}${c.nll.toFixed(4).padStart(9)}`;
        io.out(
          [
            `${data.samples} samples; ${model.distribution.kind} distribution; ${where(model)}; backend ${backend.name}`,
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
      const result = evaluateModel(model, data, backend);
      const timeMs = performance.now() - start;
      if (flags.json) {
        io.out(JSON.stringify({ accuracy: result.accuracy, samples: result.samples, correct: result.correct, backend: backend.name, timeMs }) + '\n');
      } else {
        io.out(`accuracy ${result.accuracy.toFixed(4)}  (${result.correct} of ${result.samples} correct; backend ${backend.name}, ${timeMs.toFixed(2)} ms)\n`);
      }
    });
}
