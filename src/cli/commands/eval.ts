import type { Command } from 'commander';
import { evaluateModel } from '../../xnor/bnn-forward.js';
import { loadLabelledCsv } from '../../datasets/csv.js';
import { UserError } from '../../core/errors.js';
import type { Io } from '../../core/io.js';
import { loadModel } from '../../formats/model.js';
import { BackendUnavailable, createXnorBackend, XNOR_BACKENDS, type XnorBackend } from '../../xnor/index.js';

interface EvalFlags {
  model: string;
  data: string;
  backend: string;
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

export function registerEval(program: Command, io: Io): void {
  program
    .command('eval')
    .description('accuracy of a binary model (bnnrelax.model.v1 JSON) on labelled CSV data, with XNOR-popcount kernels')
    .requiredOption('--model <file>', 'model JSON (plain or packed bnnrelax.model.v1)')
    .requiredOption('--data <file>', 'CSV: numeric features, integer label in the last column, optional header row')
    .option('--backend <name>', `kernel backend: ${XNOR_BACKENDS.map((b) => b.name).join(', ')}`, 'auto')
    .option('--json', 'print one JSON object {accuracy, samples, correct, backend, timeMs}')
    .action((flags: EvalFlags) => {
      const backend = backendOrUserError(flags.backend);
      const model = loadModel(flags.model);
      const data = loadLabelledCsv(flags.data);
      const inputs = model.layers[0]!.inputs;
      if (data.width !== inputs) {
        throw new UserError(`${flags.data}:${data.lines[0]}: rows have ${data.width} features but the model ${flags.model} takes ${inputs} inputs`);
      }
      const classes = Math.max(2, model.layers[model.layers.length - 1]!.outputs);
      for (let s = 0; s < data.samples; s++) {
        const label = data.labels[s]!;
        if (label < 0 || label >= classes) throw new UserError(`${flags.data}:${data.lines[s]}: label ${label} is not a class of the model (0..${classes - 1})`);
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
