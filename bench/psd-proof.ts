/**
 * Proofs of positive semidefiniteness at G-set sizes beyond the dense limit (issue 10 item 4):
 *   npx tsx bench/psd-proof.ts [--instances G55,G60,G70,G81] [--seed N] [--dense] [--max-mb M] [--json]
 * Each instance is a generated graph of the named G-set graph's size (rudy style: G55 random,
 * n 5000, 12498 edges; G60 random, 7000, 17148; G70 random, 10000, 9999; G81 toroidal 100 x 200
 * grid, 40000 edges, +-1 weights), turned into the matrix a dual bound must prove psd,
 * S = Diag(deg/4 + 0.01 N(0,1)) - L/4. Lanczos (src/numerics/lanczos.ts) estimates lambda_min(S);
 * provePsd then tries shift = -theta + max(1e-6 max(1, |theta|), 2 residual), ten times larger
 * margins on failure (at most 3 tries). Every instance runs in its own child process so that the
 * reported peak resident memory (maxRSS) is that instance's. --dense also runs the dense
 * factorisation where it fits the cap, for the ratio.
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { symCsrMatVec } from '../src/numerics/csr.js';
import { lanczosSmallest } from '../src/numerics/lanczos.js';
import { provePsd, type PsdProof } from '../src/numerics/psd-proof.js';
import { Rng } from '../src/numerics/rng.js';
import { dualSlackLike, randomGraph, torusGraph, type Graph } from '../test/psd-proof-instances.js';

const INSTANCES: Record<string, (seed: number) => Graph> = {
  G55: (seed) => randomGraph(5000, 12498, seed, false),
  G60: (seed) => randomGraph(7000, 17148, seed, false),
  G70: (seed) => randomGraph(10000, 9999, seed, false),
  G81: (seed) => torusGraph(100, 200, seed, true),
};

const { values } = parseArgs({
  options: {
    instances: { type: 'string', default: 'G55,G60,G70,G81' },
    seed: { type: 'string', default: '1' },
    dense: { type: 'boolean' },
    'max-mb': { type: 'string', default: '2048' },
    json: { type: 'boolean' },
    one: { type: 'string' },
    method: { type: 'string', default: 'auto' },
  },
});
const seed = Number(values.seed);
const maxBytes = Number(values['max-mb']) * 2 ** 20;

interface Row {
  instance: string;
  n: number;
  edges: number;
  method: string;
  proven: boolean;
  tries: number;
  theta: number;
  lanczosMs: number;
  shift: number;
  roundingShift: number;
  /** n * roundingShift: what the rounding allowance adds to a dual bound */
  gapCost: number;
  nnzL: number;
  fill: number;
  maxRowCount: number;
  flops: number;
  predictedMB: number;
  analyseMs: number;
  factorMs: number;
  cpuMs: number;
  peakRssMB: number;
  reason?: string;
}

function runOne(name: string, method: 'auto' | 'sparse' | 'dense'): Row {
  const make = INSTANCES[name];
  if (!make) throw new Error(`unknown instance ${name} (known: ${Object.keys(INSTANCES).join(', ')})`);
  const g = make(seed);
  const S = dualSlackLike(g, seed, 0.01);
  const t0 = performance.now();
  const lz = lanczosSmallest(S.n, (x, out) => symCsrMatVec(S, x, out), new Rng(seed, 'lanczos'), { tol: 1e-6, maxSteps: 300 });
  const lanczosMs = performance.now() - t0;
  let margin = Math.max(1e-6 * Math.max(1, Math.abs(lz.value)), 2 * lz.residual);
  let proof: PsdProof | undefined;
  let tries = 0;
  let cpu = process.cpuUsage();
  while (tries < 3) {
    tries++;
    const cpu0 = process.cpuUsage();
    proof = provePsd(S, -lz.value + margin, { method, maxBytes });
    cpu = process.cpuUsage(cpu0);
    if (proof.proven || /cap/.test(proof.reason ?? '')) break;
    margin *= 10;
  }
  const p = proof!;
  return {
    instance: name,
    n: S.n,
    edges: g.u.length,
    method: p.method,
    proven: p.proven,
    tries,
    theta: lz.value,
    lanczosMs,
    shift: p.shift,
    roundingShift: p.roundingShift,
    gapCost: S.n * p.roundingShift,
    nnzL: p.nnzL,
    fill: p.fill,
    maxRowCount: p.maxRowCount,
    flops: p.flops,
    predictedMB: p.bytes / 2 ** 20,
    analyseMs: p.analyseMs,
    factorMs: p.factorMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    ...(p.reason ? { reason: p.reason } : {}),
  };
}

if (values.one) {
  console.log(JSON.stringify(runOne(values.one, values.method as 'auto' | 'sparse' | 'dense')));
} else {
  const script = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  const methods = values.dense ? ['auto', 'dense'] : ['auto'];
  for (const name of values.instances.split(',').map((s) => s.trim())) {
    for (const method of methods) {
      const out = execFileSync(process.execPath, [...process.execArgv, script, '--one', name, '--method', method, '--seed', String(seed), '--max-mb', values['max-mb']], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      const row = JSON.parse(out.trim().split('\n').pop()!) as Row;
      rows.push(row);
      if (!values.json) console.error(`${name} ${row.method}: proven ${row.proven} in ${(row.analyseMs + row.factorMs).toFixed(0)} ms`);
    }
  }
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
  } else {
    console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}, node ${process.version}, seed ${seed}`);
    console.log('| instance | n | edges | method | proven | nnz(L) | fill | max row | flops | predicted MB | peak RSS MB | analyse ms | factor ms | CPU ms | Lanczos ms | rounding shift c | n c |');
    console.log('|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of rows) {
      console.log(
        `| ${r.instance} | ${r.n} | ${r.edges} | ${r.method} | ${r.proven ? 'yes' : `no (${r.reason})`}${r.tries > 1 ? ` (${r.tries} tries)` : ''} | ${r.nnzL} | ${r.fill.toFixed(1)} | ${r.maxRowCount} | ${r.flops.toExponential(2)} | ${r.predictedMB.toFixed(1)} | ${r.peakRssMB.toFixed(0)} | ${r.analyseMs.toFixed(0)} | ${r.factorMs.toFixed(0)} | ${r.cpuMs.toFixed(0)} | ${r.lanczosMs.toFixed(0)} | ${r.roundingShift.toExponential(2)} | ${r.gapCost.toExponential(2)} |`,
      );
    }
  }
}
