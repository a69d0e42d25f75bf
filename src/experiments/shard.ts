/**
 * Sharding, the one implementation: part i of N keeps the units whose index k (0-based, in the
 * suite's order) has k mod N = i - 1. Deterministic and independent of the machine, so N runs of
 * parts 1..N hold every unit exactly once, and `bench merge` puts their rows back in order.
 *
 * `--shard auto` takes i/N from the scheduler's environment:
 *   Slurm job arrays       SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_STEP and
 *                          SLURM_ARRAY_TASK_COUNT (i = (ID - MIN) / STEP + 1, N = COUNT), so
 *                          --array=0-7, 1-8 and 0-14:2 all work;
 *   Kubernetes Indexed Jobs JOB_COMPLETION_INDEX (0-based) with the count from --shard-count or
 *                          BNNRELAX_SHARD_COUNT (Kubernetes does not put .spec.completions in the
 *                          environment; the manifest in docs/benchmarks.md sets it).
 */
import { UserError } from '../core/errors.js';

export type Shard = [number, number];

/** Parses `i/N` (1 <= i <= N); undefined for anything else. */
export function parseShardText(raw: string): Shard | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!m) return undefined;
  const i = Number(m[1]);
  const n = Number(m[2]);
  return Number.isSafeInteger(n) && n >= 1 && i >= 1 && i <= n ? [i, n] : undefined;
}

export function shardText(shard: Shard): string {
  return `${shard[0]}/${shard[1]}`;
}

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new UserError(`--shard auto: ${name}='${raw}' is not a non-negative integer`);
  return Number(raw);
}

/** i/N for `--shard auto` from the scheduler's environment variables (see the file comment). */
export function shardFromEnvironment(env: NodeJS.ProcessEnv, shardCount?: number): Shard {
  const slurmId = envInt(env, 'SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    const count = envInt(env, 'SLURM_ARRAY_TASK_COUNT');
    if (count === undefined || count < 1) throw new UserError('--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not (submit with sbatch --array)');
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = envInt(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
    const offset = slurmId - min;
    if (step < 1 || offset < 0 || offset % step !== 0 || offset / step >= count) {
      throw new UserError(`--shard auto: Slurm array task ${slurmId} is not on the range MIN=${min} STEP=${step} COUNT=${count}; use a plain range such as --array=1-${count}`);
    }
    return [offset / step + 1, count];
  }
  const index = envInt(env, 'JOB_COMPLETION_INDEX');
  if (index !== undefined) {
    const count = shardCount ?? envInt(env, 'BNNRELAX_SHARD_COUNT');
    if (count === undefined || count < 1) throw new UserError('--shard auto: JOB_COMPLETION_INDEX is set but the number of parts is not: give --shard-count N or set BNNRELAX_SHARD_COUNT (= the Job\'s completions)');
    if (index >= count) throw new UserError(`--shard auto: JOB_COMPLETION_INDEX=${index} is not below the count ${count}`);
    return [index + 1, count];
  }
  throw new UserError('--shard auto: no scheduler index in the environment (SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX); give --shard i/N');
}

/** The units of part i of N (all units without a shard). */
export function shardUnits<T>(units: T[], shard?: Shard): T[] {
  if (!shard) return units;
  const [i, n] = shard;
  return units.filter((_, k) => k % n === i - 1);
}
