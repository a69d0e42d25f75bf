import { InvalidArgumentError, type Command } from 'commander';
import { BENCH_SUITES } from '../../experiments/bench-suites.js';
import { mergeResults, runSuite } from '../../experiments/bench-runner.js';
import { parseShardText, shardFromEnvironment, type Shard } from '../../experiments/shard.js';
import type { BenchFlags } from '../../experiments/suite.js';
import { parsePositiveInt, parseSeed, parseNameList } from '../options.js';
import { UserError } from '../../core/errors.js';
import type { Io } from '../../core/io.js';

function parseShard(raw: string): Shard | 'auto' {
  if (raw.trim() === 'auto') return 'auto';
  const shard = parseShardText(raw);
  if (!shard) throw new InvalidArgumentError("expected i/N with 1 <= i <= N, e.g. '2/8', or 'auto' (from SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX)");
  return shard;
}

interface BenchOptions extends Omit<BenchFlags, 'shard'> {
  shard?: Shard | 'auto';
  shardCount?: number;
}

export function registerBench(program: Command, io: Io): void {
  program
    .command('bench')
    .description(`run a benchmark suite (${BENCH_SUITES.map((s) => s.name).join(', ') || 'none yet'}), or merge shard results: bench merge FILES... --out F`)
    .argument('<suite>', "suite name, or 'merge'")
    .argument('[files...]', 'with merge: the shard results files')
    .option('--json', 'print one JSON object per line')
    .option('--out <file>', 'write one JSON line per finished case to this file (an existing file with results needs --resume or --overwrite)')
    .option('--resume', 'keep the cases already in --out and run the rest')
    .option('--overwrite', 'empty an existing --out first')
    .option('--mix-versions', 'let --resume or merge combine rows of another bnnrelax version or commit')
    .option('--shard <i/N|auto>', "run the i-th of N deterministic parts of the cases; 'auto' reads SLURM_ARRAY_TASK_ID/COUNT or JOB_COMPLETION_INDEX", parseShard)
    .option('--shard-count <N>', 'with --shard auto and JOB_COMPLETION_INDEX: the number of parts (else $BNNRELAX_SHARD_COUNT)', parsePositiveInt)
    .option('--solvers <list>', 'comma-separated solver names', parseNameList)
    .option('--data <dir>', 'reference data folder (default $BNNRELAX_DATA or ../shared/data)')
    .option('--seed <n>', 'random seed', parseSeed, 1)
    .option('--mixing <path>', 'sdp: compare side by side with this locuslab/mixing binary (or set MIXING_BIN)')
    .option('--large', 'sdp: the large G-set graphs G55, G60, G70, G81 from --data/gset, where present')
    .option('--repeat <n>', 'sdp --mixing: alternating runs per instance, median reported (default 5)', parsePositiveInt)
    .action(async (name: string, files: string[], options: BenchOptions) => {
      const { shard, shardCount, ...rest } = options;
      if (shardCount !== undefined && shard !== 'auto') throw new UserError('--shard-count goes with --shard auto');
      const flags: BenchFlags = { ...rest, ...(shard ? { shard: shard === 'auto' ? shardFromEnvironment(process.env, shardCount) : shard } : {}) };
      if (flags.resume && flags.overwrite) throw new UserError('--resume and --overwrite exclude each other');
      if (name === 'merge') {
        if (flags.resume || flags.shard) throw new UserError('bench merge takes neither --resume nor --shard');
        mergeResults(files, BENCH_SUITES, flags, io);
        return;
      }
      if (files.length > 0) throw new UserError(`bench ${name}: unexpected argument '${files[0]}' (only bench merge takes files)`);
      const suite = BENCH_SUITES.find((s) => s.name === name);
      if (!suite) throw new UserError(`unknown bench suite '${name}' (known: ${BENCH_SUITES.map((s) => s.name).join(', ') || 'none'}; or merge)`);
      if (flags.resume && !flags.out) throw new UserError('--resume needs --out FILE (the results to resume)');
      if (flags.overwrite && !flags.out) throw new UserError('--overwrite needs --out FILE');
      const comparison = suite.comparison?.(flags);
      if (comparison) {
        if (flags.out || flags.resume || flags.shard) throw new UserError(`bench ${name} --mixing/--large prints a comparison; it takes no --out, --resume or --shard`);
        await comparison(io);
        return;
      }
      await runSuite(suite, flags, io);
    });
}
