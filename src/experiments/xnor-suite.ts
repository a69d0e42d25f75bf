/**
 * `bnnrelax bench xnor`: binary multiply-accumulates per second of every XNOR backend (and every
 * gpu.js mode and packing width) on M x N outputs over K-bit rows, next to two float baselines
 * on the same ±1 data in the same run: ml-matrix's mmul and a plain Float32Array loop. Every
 * backend's output is compared with the plain reference; `exact` says whether it matched.
 * One case per backend and shape (id `backend/MxNxK`), one unit (shard grain) per shape; a
 * backend that cannot start here is recorded as skipped. Run by the one runner (bench-runner.ts).
 */
import { lazyRequire } from '../core/lazy-require.js';
import type { PackedMatrix } from '../core/bits.js';
import type { BenchFlags, BenchSuite, BenchUnit } from './suite.js';
import type { Io } from '../core/io.js';
import { Rng } from '../numerics/rng.js';
import { formatNumber, formatTable, type Cell } from '../report/table.js';
import { xnorGemmReference } from '../xnor/dot.js';
import { BackendUnavailable, createXnorBackend } from '../xnor/index.js';

interface Case {
  M: number;
  N: number;
  K: number;
  /** run the slow backends (gpu.js, float baselines) too */
  all: boolean;
}

/** The headline case first, then a sweep over shapes (kept to well under a minute in total). */
const CASES: Case[] = [
  { M: 512, N: 512, K: 1024, all: true },
  { M: 128, N: 128, K: 128, all: true },
  { M: 256, N: 256, K: 4096, all: true },
  { M: 4096, N: 1, K: 1024, all: true },
  { M: 1024, N: 1024, K: 1024, all: false },
  { M: 2048, N: 2048, K: 256, all: false },
];

const FAST_BACKENDS = ['wasm', 'wasm-1thread', 'wasm-simd', 'wasm-simd-1thread', 'js'];
const GPUJS_BACKENDS = ['gpujs-cpu-16', 'gpujs-cpu-24', 'gpujs-webasm-16', 'gpujs-webasm-24', 'gpujs-headlessgl-16', 'gpujs-headlessgl-24'];
const FLOAT_BASELINES = ['ml-matrix', 'float32-loop'];

/** Seconds of repetitions per measurement (after one warm-up call). */
const MEASURE_SECONDS = 0.25;

export interface XnorBenchRecord {
  [key: string]: unknown;
  case: string;
  suite: 'xnor';
  backend: string;
  M: number;
  N: number;
  K: number;
  macPerSec: number;
  exact: boolean;
}

const mlMatrix = lazyRequire<typeof import('ml-matrix')>('ml-matrix');

function randomPacked(rows: number, bits: number, rng: Rng): PackedMatrix {
  const words = Math.ceil(bits / 32);
  const data = new Uint32Array(rows * words);
  const lastMask = bits % 32 === 0 ? 0xffffffff : (1 << (bits % 32)) - 1;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < words; k++) data[r * words + k] = rng.nextU32();
    data[r * words + words - 1]! &= lastMask;
  }
  return { rows, bits, words, data };
}

/** The ±1 values of P as a rows x bits Float32Array. */
function signsOf(P: PackedMatrix): Float32Array {
  const out = new Float32Array(P.rows * P.bits);
  for (let r = 0; r < P.rows; r++) {
    for (let j = 0; j < P.bits; j++) out[r * P.bits + j] = (P.data[r * P.words + (j >>> 5)]! >>> (j & 31)) & 1 ? 1 : -1;
  }
  return out;
}

/**
 * Seconds of the fastest call of `run` among repetitions filling MEASURE_SECONDS (one call if it
 * is slower). The fastest, not the mean: this 2-core machine is shared, and other processes only
 * ever add time to a call, so the minimum is the most reproducible estimate of a kernel's speed.
 * Every backend and baseline is timed the same way, so the ratios stay fair.
 */
function timeIt(run: () => void): number {
  const start = performance.now();
  let best = Infinity;
  let now = start;
  do {
    const t0 = now;
    run();
    now = performance.now();
    best = Math.min(best, now - t0);
  } while (now - start < MEASURE_SECONDS * 1000);
  return best / 1000;
}

function sameValues(got: ArrayLike<number>, want: Int32Array): boolean {
  if (got.length !== want.length) return false;
  for (let k = 0; k < want.length; k++) if (got[k] !== want[k]) return false;
  return true;
}

/** Runs one backend or baseline on one case; a string says why it could not run. */
function measure(name: string, A: PackedMatrix, B: PackedMatrix, want: Int32Array): { seconds: number; exact: boolean } | string {
  const { rows: M, bits: K } = A;
  const N = B.rows;
  if (name === 'ml-matrix' || name === 'float32-loop') {
    const a = signsOf(A);
    const b = signsOf(B);
    if (name === 'ml-matrix') {
      const { Matrix } = mlMatrix();
      const Am = new Matrix(M, K);
      const Bt = new Matrix(K, N);
      for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) Am.set(i, k, a[i * K + k]!);
      for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) Bt.set(k, j, b[j * K + k]!);
      let C = Am.mmul(Bt);
      const seconds = timeIt(() => {
        C = Am.mmul(Bt);
      });
      return { seconds, exact: sameValues(C.to1DArray(), want) };
    }
    // B transposed, so the inner loop runs over contiguous memory of both operands
    const bt = new Float32Array(K * N);
    for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) bt[k * N + j] = b[j * K + k]!;
    const C = new Float32Array(M * N);
    const run = () => {
      C.fill(0);
      for (let i = 0; i < M; i++) {
        const row = i * N;
        for (let k = 0; k < K; k++) {
          const aik = a[i * K + k]!;
          const off = k * N;
          for (let j = 0; j < N; j++) C[row + j]! += aik * bt[off + j]!;
        }
      }
    };
    run();
    const exact = sameValues(C, want);
    return { seconds: timeIt(run), exact };
  }
  let backend;
  try {
    backend = createXnorBackend(name);
  } catch (e) {
    if (e instanceof BackendUnavailable) return e.reason;
    throw e;
  }
  const out = new Int32Array(M * N);
  let got: Int32Array;
  try {
    got = backend.gemm(A, B, out);
  } catch (e) {
    if (e instanceof BackendUnavailable) return e.reason;
    throw e;
  }
  const exact = sameValues(got, want);
  return { seconds: timeIt(() => backend.gemm(A, B, out)), exact };
}

export function xnorCaseId(backend: string, c: Pick<Case, 'M' | 'N' | 'K'>): string {
  return `${backend}/${c.M}x${c.N}x${c.K}`;
}

/** One unit per shape (the shard grain): every backend and baseline on the same random operands. */
function xnorUnits(flags: BenchFlags, io: Io): BenchUnit[] {
  const rng = new Rng(flags.seed, 'bench-xnor');
  return CASES.map((c) => {
    const { M, N, K } = c;
    const names = c.all ? [...FAST_BACKENDS, ...GPUJS_BACKENDS, ...FLOAT_BASELINES] : FAST_BACKENDS;
    return {
      key: `${M}x${N}x${K}`,
      caseIds: names.map((name) => xnorCaseId(name, c)),
      async run(done, { emit, skip }) {
        const caseRng = rng.fork(`${M}x${N}x${K}`);
        const A = randomPacked(M, K, caseRng.fork('A'));
        const B = randomPacked(N, K, caseRng.fork('B'));
        const want = xnorGemmReference(A, B);
        const results = new Map<string, { macPerSec: number; exact: boolean } | string>();
        for (const name of names) {
          const id = xnorCaseId(name, c);
          if (done.has(id)) continue;
          const r = measure(name, A, B, want);
          if (typeof r === 'string') {
            results.set(name, r);
            skip(id, r);
            if (flags.json) io.err(`bnnrelax: bench xnor ${M}x${N}x${K}: ${name} skipped: ${r}\n`);
            continue;
          }
          const record: XnorBenchRecord = { case: id, suite: 'xnor', backend: name, M, N, K, macPerSec: (M * N * K) / r.seconds, exact: r.exact };
          results.set(name, record);
          emit(record, { backend: name, M, N, K, measureSeconds: MEASURE_SECONDS });
        }
        if (!flags.json && results.size > 0) printShape(c, results, io);
      },
    };
  });
}

function printShape(c: Case, results: Map<string, { macPerSec: number; exact: boolean } | string>, io: Io): void {
  const { M, N, K } = c;
  const ml = results.get('ml-matrix');
  const f32 = results.get('float32-loop');
  const rows: Cell[][] = [];
  const notes: string[] = [];
  for (const [name, r] of results) {
    if (typeof r === 'string') {
      notes.push(`  ${name}: cannot start here: ${r}`);
      continue;
    }
    rows.push([
      name,
      formatNumber(r.macPerSec, 3),
      formatNumber((M * N * K) / r.macPerSec * 1000, 3),
      r.exact ? 'yes' : 'NO',
      typeof ml === 'object' ? `${formatNumber(r.macPerSec / ml.macPerSec, 3)}x` : '-',
      typeof f32 === 'object' ? `${formatNumber(r.macPerSec / f32.macPerSec, 3)}x` : '-',
    ]);
  }
  io.out(`\nxnor ${M} x ${N} outputs, K = ${K} bits (${formatNumber(M * N * K, 3)} MACs)\n`);
  io.out(formatTable(['backend', 'MAC/s', 'ms/call', 'exact', 'vs ml-matrix', 'vs f32 loop'], rows));
  if (notes.length) io.out(notes.join('\n') + '\n');
}

export const xnorBenchSuite: BenchSuite = {
  name: 'xnor',
  summary: 'XNOR-popcount kernels: binary MAC/s of every backend vs float matrix products',
  units: xnorUnits,
};
