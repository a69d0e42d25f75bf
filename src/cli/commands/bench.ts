import { InvalidArgumentError, type Command } from 'commander';
import { BENCH_SUITES } from '../../experiments/bench-suites.js';
import type { BenchFlags } from '../../experiments/suite.js';
import { parsePositiveInt, parseSeed } from '../options.js';
import { UserError } from '../../core/errors.js';
import type { Io } from '../../core/io.js';

function parseShard(raw: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || i < 1 || i > n) throw new InvalidArgumentError("expected i/N with 1 <= i <= N, e.g. '2/8'");
  return [i, n];
}

export function registerBench(program: Command, io: Io): void {
  program
    .command('bench')
    .description(`run a benchmark suite (${BENCH_SUITES.map((s) => s.name).join(', ') || 'none yet'})`)
    .argument('<suite>', 'suite name')
    .option('--json', 'print one JSON object per line')
    .option('--out <file>', 'append one JSON line per finished case to this file')
    .option('--resume', 'skip the cases already in --out')
    .option('--shard <i/N>', 'run the i-th of N deterministic parts of the cases', parseShard)
    .option('--solvers <list>', 'comma-separated solver names', (raw: string) => raw.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--data <dir>', 'reference data folder (default $BNNRELAX_DATA or ../shared/data)')
    .option('--seed <n>', 'random seed', parseSeed, 1)
    .option('--mixing <path>', 'sdp: compare side by side with this locuslab/mixing binary (or set MIXING_BIN)')
    .option('--large', 'sdp: the large G-set graphs G55, G60, G70, G81 from --data/gset, where present')
    .option('--repeat <n>', 'sdp --mixing: alternating runs per instance, median reported (default 5)', parsePositiveInt)
    .action(async (name: string, flags: BenchFlags) => {
      const suite = BENCH_SUITES.find((s) => s.name === name);
      if (!suite) throw new UserError(`unknown bench suite '${name}' (known: ${BENCH_SUITES.map((s) => s.name).join(', ') || 'none'})`);
      if (flags.resume && !flags.out) throw new UserError('--resume needs --out FILE (the results to resume)');
      await suite.run(flags, io);
    });
}
