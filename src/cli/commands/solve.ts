import type { Command } from 'commander';
import { loadProblem, problemKinds } from '../../../problems/index.js';
import { findSolver, solvers } from '../../../solvers/index.js';
import { collectKeyValue, parsePositiveInt, parsePositiveNumber, parseSeed } from '../options.js';
import type { Io } from '../../core/io.js';
import { progressBar } from '../../report/progress.js';
import type { SolverResult } from '../../core/result.js';
import { resolveParams, runSolver } from '../../core/solver.js';
import { provenanceWith } from '../../formats/provenance.js';
import { formatNumber } from '../../report/table.js';
import { readText, writeText } from '../../formats/text-file.js';
import { UserError } from '../../core/errors.js';
import type { Solver } from '../../core/solver.js';

interface SolveFlags {
  problem: string;
  solver: string;
  seed: number;
  json?: boolean;
  out?: string;
  polish?: boolean;
  maxIter?: number;
  maxTime?: number;
  param?: Record<string, string>;
  init?: string;
}

/**
 * `--init FILE`: the weights of a result file (what `solve --out` writes) as the solver's `init`
 * parameter, for solvers that take a warm start (a string parameter named init, e.g. mip).
 */
function warmStartParam(solver: Solver, file: string): string {
  const spec = solver.params.find((p) => p.name === 'init');
  if (!spec || spec.type !== 'string') throw new UserError(`--init: solver '${solver.name}' takes no warm start (try --solver mip)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readText(file));
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: not a JSON result file (write one with solve --out)`);
  }
  const weights = (parsed as { weights?: unknown } | null)?.weights;
  if (typeof weights !== 'string' || !/^[+-]+$/.test(weights)) throw new UserError(`${file}: no "weights" string of '+'/'-' (write one with solve --out)`);
  return weights;
}

export function writeJsonFile(path: string, value: unknown): void {
  writeText(path, JSON.stringify(value, null, 2) + '\n');
}

export function summarise(r: SolverResult): string {
  const lines = [
    `problem     ${r.problem}`,
    `solver      ${r.solver} (seed ${r.seed})`,
    `n           ${r.n}`,
    `loss        ${formatNumber(r.loss, 6)}${r.proven ? '  (proven optimal)' : ''}`,
  ];
  if (r.bound !== undefined) lines.push(`bound       ${formatNumber(r.bound, 6)}  (certified lower bound)`);
  if (r.optimum !== undefined) lines.push(`optimum     ${formatNumber(r.optimum, 6)}  gap ${formatNumber(r.gap, 6)}`);
  if (r.trainError !== undefined) lines.push(`error       train ${formatNumber(r.trainError)}  test ${formatNumber(r.testError)}`);
  lines.push(`iterations  ${r.iterations}`, `time        ${formatNumber(r.timeMs, 2)} ms`, `weights     ${r.weights}`);
  return lines.join('\n') + '\n';
}

export function registerSolve(program: Command, io: Io): void {
  program
    .command('solve')
    .description('solve one problem with one solver')
    .requiredOption('--problem <spec|file>', `problem spec or JSON BQP file; kinds: ${problemKinds.map((k) => k.example).join('  ')}`)
    .option('--solver <name>', `solver: ${solvers.map((s) => s.name).join(', ')}`, 'exact')
    .option('--seed <n>', 'random seed', parseSeed, 1)
    .option('-p, --param <key=value>', 'solver parameter (repeatable); see `bnnrelax solvers`', collectKeyValue)
    .option('--polish', 'finish with 1-flip local search')
    .option('--max-iter <n>', 'iteration budget (overrides the solver default)', parsePositiveInt)
    .option('--max-time <seconds>', 'time budget', parsePositiveNumber)
    .option('--json', 'print exactly one JSON object (the result)')
    .option('--out <file>', 'also write the result as JSON to this file')
    .option('--init <file>', 'warm start from the weights of a result file (solve --out), for solvers that take one (mip)')
    .action(async (flags: SolveFlags) => {
      const problem = loadProblem(flags.problem);
      const solver = findSolver(flags.solver);
      const params = flags.init === undefined ? flags.param : { ...flags.param, init: warmStartParam(solver, flags.init) };
      const bar = progressBar(io, 1, `${solver.name}`);
      const result = await runSolver(solver, problem, {
        seed: flags.seed,
        polish: flags.polish,
        maxIter: flags.maxIter,
        maxTimeMs: flags.maxTime === undefined ? undefined : flags.maxTime * 1000,
        params,
        onProgress: (iteration, best) => bar.update(0, `iteration ${iteration}, best ${formatNumber(best)}`),
      });
      bar.stop();
      // what produced this result: version, commit, Node, the parameters actually used, cores
      const recorded = { ...result, provenance: provenanceWith(resolveParams(solver, flags.param)) };
      if (flags.out) writeJsonFile(flags.out, recorded);
      io.out(flags.json ? JSON.stringify(recorded) + '\n' : summarise(result));
    });

  program
    .command('solvers')
    .description('list solvers and their parameters')
    .action(() => {
      for (const s of solvers) {
        io.out(`${s.name}: ${s.summary}\n`);
        for (const p of s.params) {
          const choices = p.type === 'string' && p.choices ? ` (${p.choices.join('|')})` : '';
          io.out(`    -p ${p.name}=<${p.type}>${choices}  ${p.help} [default ${p.default}]\n`);
        }
      }
    });

  program
    .command('problems')
    .description('list problem kinds and their spec keys')
    .action(() => {
      for (const k of problemKinds) io.out(`${k.kind}: ${k.summary}\n    e.g. ${k.example}\n`);
      io.out('a path to a JSON file {"Q": [[...]], "b": [...], "c": 0} is read as a bqp\n');
      io.out('a path to an SDPA .dat-s file or a G-set graph is read as maxcut: loss = -(cut value) = -x\'Cx\n');
    });
}
