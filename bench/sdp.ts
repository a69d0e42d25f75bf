/**
 * The SDP benchmark as a script: npx tsx bench/sdp.ts [--data DIR] [--algo mixing,lbfgs]
 *   [--instances G1,G11] [--rank K] [--max-time S] [--seed N] [--json] [--out FILE [--resume | --overwrite]]
 *   [--mixing PATH (or MIXING_BIN) [--repeat N]] [--large]
 * Same code as `bnnrelax bench sdp` (src/experiments/sdp-suite.ts), with the per-algorithm options.
 */
import { parseArgs } from 'node:util';
import { processIo } from '../src/core/io.js';
import { UserError } from '../src/core/errors.js';
import { runSdpBench, runSdpLarge, runSdpMixingComparison } from '../src/experiments/sdp-suite.js';
import { BM_ALGOS, type BmAlgo } from '../solvers/bm/solve-sdp.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    algo: { type: 'string' },
    instances: { type: 'string' },
    rank: { type: 'string' },
    'max-time': { type: 'string' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean' },
    out: { type: 'string' },
    resume: { type: 'boolean' },
    overwrite: { type: 'boolean' },
    mixing: { type: 'string' },
    large: { type: 'boolean' },
    repeat: { type: 'string' },
  },
});
const algos = values.algo?.split(',').map((a) => a.trim()) as BmAlgo[] | undefined;
for (const a of algos ?? []) {
  if (!BM_ALGOS.includes(a)) {
    console.error(`bench/sdp.ts: unknown --algo '${a}' (known: ${BM_ALGOS.join(', ')})`);
    process.exit(2);
  }
}
const flags = {
  seed: Number(values.seed),
  ...(values.data ? { data: values.data } : {}),
  ...(algos ? { algos } : {}),
  ...(values.instances ? { instances: values.instances.split(',').map((s) => s.trim()) } : {}),
  ...(values.rank ? { rank: Number(values.rank) } : {}),
  ...(values['max-time'] ? { maxTimeS: Number(values['max-time']) } : {}),
  ...(values.json ? { json: true } : {}),
  ...(values.out ? { out: values.out } : {}),
  ...(values.resume ? { resume: true } : {}),
  ...(values.overwrite ? { overwrite: true } : {}),
  ...(values.repeat ? { repeat: Number(values.repeat) } : {}),
  ...(values.large ? { large: true } : {}),
};
try {
  const bin = values.mixing ?? process.env.MIXING_BIN;
  if (values.large) await runSdpLarge(flags, processIo);
  else if (bin) await runSdpMixingComparison(flags, processIo, bin);
  else await runSdpBench(flags, processIo);
} catch (e) {
  // bad input (an existing --out without --resume, a torn file, a lock held): one line, exit 2
  if (!(e instanceof UserError)) throw e;
  console.error(`bench/sdp.ts: ${e.message}`);
  process.exit(2);
}
