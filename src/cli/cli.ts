/**
 * The bnnrelax command line. `runCli` is the whole program as a function of argv and an Io, so
 * tests drive it in-process; src/main.ts binds it to the real process.
 * Exit codes: 0 success, 2 bad input (one line on stderr), 1 internal error (a bug).
 */
import { Command, CommanderError } from 'commander';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { provenance } from '../formats/provenance.js';
import { registerSolve } from './commands/solve.js';
import { registerDemo } from './commands/demo.js';
import { registerBench } from './commands/bench.js';
import { registerEstimators } from './commands/estimators.js';
import { registerSdp } from './commands/sdp.js';
import { registerEval } from './commands/eval.js';
import { registerTrain } from './commands/train.js';
import { registerReport } from './commands/report.js';
import { checkMandatoryAfterUnknown, refuseEmptyValues } from './options.js';

/** The version in package.json (one place: provenance reads the same). */
export const VERSION = provenance().version;

export function buildProgram(io: Io): Command {
  const program = new Command('bnnrelax')
    .description('Binary neural network training as a combinatorial program: exact, SDP, mirror-descent and STE solvers')
    .version(VERSION)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s),
      writeErr: (s) => io.err(s),
      // commander puts suggestions on a second line; keep every error to one line, with the
      // same `bnnrelax:` prefix as our own errors (commander writes `error:`)
      outputError: (s, write) => write(s.replace(/\s*\n\s*/g, ' ').trim().replace(/^error:\s*/, 'bnnrelax: ') + '\n'),
    });
  registerSolve(program, io);
  registerDemo(program, io);
  registerBench(program, io);
  registerEstimators(program, io);
  registerSdp(program, io);
  registerEval(program, io);
  registerTrain(program, io);
  registerReport(program, io);
  for (const command of program.commands) {
    command.exitOverride();
    command.allowUnknownOption(false);
    refuseEmptyValues(command);
    checkMandatoryAfterUnknown(command);
  }
  return program;
}

export async function runCli(argv: string[], io: Io): Promise<number> {
  const args = argv.length === 0 ? ['demo'] : argv;
  const program = buildProgram(io);
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UserError) {
      io.err(`bnnrelax: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    io.err(`bnnrelax: internal error: ${err.message} (a bug; set BNNRELAX_DEBUG=1 for the stack)\n`);
    if (process.env.BNNRELAX_DEBUG) io.err(`${err.stack}\n`);
    return 1;
  }
}
