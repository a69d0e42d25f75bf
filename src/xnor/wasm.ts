/**
 * The `wasm` backends: the kernels of xnor.wat (assembled to dist/wasm/xnor.wasm by
 * scripts/build-wasm.mjs), over a shared WebAssembly.Memory so that worker threads can run the
 * same kernel on other rows. Large products are split by rows across the main thread and
 * availableParallelism() - 1 workers; the call stays synchronous (the main thread computes its
 * share, then blocks in Atomics.wait until the workers are done), so scoring code needs no
 * promises.
 */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PackedMatrix } from '../core/bits.js';
import { BackendUnavailable, checkShapes, type XnorBackend } from './backend.js';
import { compileOptimised, WASM_PAGE, webAssembly, type WasmMemory, type WasmModule } from '../core/wasm.js';

/** dist/src/xnor/wasm.js finds dist/wasm/; src/xnor/wasm.ts (tests, tsx) finds dist/wasm/ too. */
const WASM_FILES = [new URL('../../wasm/xnor.wasm', import.meta.url), new URL('../../dist/wasm/xnor.wasm', import.meta.url)];

const PAGE = WASM_PAGE;
const MAX_PAGES = 16384;
/** Below this many word pairs (M * N * words) a product runs on one thread: dispatch costs more. */
const THREAD_MIN_WORK = 1 << 20;
/** Bytes of B kept hot while all rows of A stream past it. */
const B_BLOCK_BYTES = 128 * 1024;

// Control block: slot 0 is the shared chunk counter of the current product; worker w owns
// Int32 slots [SLOT * (w + 1), SLOT * (w + 2)).
const NEXT = 0; // next unclaimed chunk of rows (Atomics.add by every thread)
const STATE = 0; // per worker: one of the states below
const ARGS = 1; // per worker: a, b, out, n, stride, bits, jblock, rowsPerChunk, rows
const READY = 10; // per worker: 1 once its instance exists
const CHUNKS = 11; // per worker: chunks it has computed so far
const SLOT = 16;
// Worker states (0 until the first job). The main thread posts a job; a worker that wakes in time claims it (POSTED ->
// RUNNING) and takes chunks until none are left; one that has not woken when the main thread runs
// out of chunks is cancelled (POSTED -> CANCELLED) instead of waited for, so a product is never
// slower than on one thread when the other core is busy.
const POSTED = 1;
const RUNNING = 2;
const DONE = 3;
const CANCELLED = 4;
const FAILED = 5;
const STOP = 6;

type GemmExport = (a: number, b: number, out: number, i0: number, i1: number, n: number, stride: number, bits: number, jblock: number) => void;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, ctl, base, kernel } = workerData;
const gemm = new WebAssembly.Instance(module, { env: { memory } }).exports[kernel];
Atomics.store(ctl, base + ${READY}, 1);
Atomics.notify(ctl, base + ${READY});
for (;;) {
  const state = Atomics.load(ctl, base + ${STATE});
  if (state === ${STOP}) break;
  if (state !== ${POSTED}) {
    Atomics.wait(ctl, base + ${STATE}, state, 1000);
    continue;
  }
  if (Atomics.compareExchange(ctl, base + ${STATE}, ${POSTED}, ${RUNNING}) !== ${POSTED}) continue;
  const [a, b, out, n, stride, bits, jblock, rowsPerChunk, rows] = ctl.subarray(base + ${ARGS}, base + ${ARGS} + 9);
  let result = ${DONE};
  try {
    for (;;) {
      const i0 = Atomics.add(ctl, ${NEXT}, 1) * rowsPerChunk;
      if (i0 >= rows) break;
      gemm(a, b, out, i0, Math.min(rows, i0 + rowsPerChunk), n, stride, bits, jblock);
      Atomics.add(ctl, base + ${CHUNKS}, 1);
    }
  } catch (e) {
    result = ${FAILED};
  }
  Atomics.store(ctl, base + ${STATE}, result);
  Atomics.notify(ctl, base + ${STATE});
}
`;

// Node 20 always has WebAssembly (the engines field asks for Node >= 20)
const WebAssembly = webAssembly!;

let cachedModule: WasmModule | undefined;

function loadModule(): WasmModule {
  if (cachedModule) return cachedModule;
  const file = WASM_FILES.find((url) => existsSync(url));
  if (!file) throw new BackendUnavailable('wasm', 'dist/wasm/xnor.wasm is not built (run `npm run build`)');
  const bytes = readFileSync(file);
  if (!WebAssembly.validate(bytes)) {
    throw new BackendUnavailable('wasm', `this JavaScript engine (Node.js ${process.versions.node}) lacks WebAssembly SIMD or shared memory`);
  }
  const module = compileOptimised(bytes);
  cachedModule = module;
  return module;
}

export interface WasmOptions {
  /** threads to use for large products (default: all cores) */
  threads?: number;
  /** which kernel of xnor.wat: scalar i64.popcnt (default, faster here) or SIMD i8x16.popcnt */
  kernel?: 'scalar' | 'simd';
}

export class WasmXnorBackend implements XnorBackend {
  readonly name: string;
  readonly threads: number;
  private readonly memory: WasmMemory;
  private readonly kernel: GemmExport;
  private readonly exportName: string;
  private workers: Worker[] | undefined;
  private ctl: Int32Array | undefined;
  /** why threads are off although asked for, if they are */
  threadProblem: string | undefined;

  constructor(options: WasmOptions = {}) {
    const module = loadModule();
    this.threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    this.exportName = options.kernel === 'simd' ? 'gemm_simd' : 'gemm';
    this.name = (options.kernel === 'simd' ? 'wasm-simd' : 'wasm') + (options.threads === 1 ? '-1thread' : '');
    this.memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.kernel = instance.exports[this.exportName] as GemmExport;
  }

  gemm(A: PackedMatrix, B: PackedMatrix, out?: Int32Array): Int32Array {
    const result = checkShapes(A, B, out, 'wasm gemm');
    if (A.rows === 0 || B.rows === 0) return result;
    // Rows are split across threads, so put the longer side first.
    const swap = B.rows > A.rows;
    const X = swap ? B : A;
    const Y = swap ? A : B;
    const strideWords = Math.ceil(X.words / 4) * 4;
    const stride = strideWords * 4;
    const mp = X.rows + (X.rows & 1);
    const np = Y.rows + (Y.rows & 1);
    const aPtr = 0;
    const bPtr = mp * stride;
    const outPtr = bPtr + np * stride;
    const total = outPtr + mp * np * 4;
    if (total > MAX_PAGES * PAGE) throw new RangeError(`wasm gemm: ${total} bytes exceed the ${MAX_PAGES * PAGE}-byte memory`);
    const have = this.memory.buffer.byteLength;
    if (total > have) this.memory.grow(Math.ceil((total - have) / PAGE));
    const u32 = new Uint32Array(this.memory.buffer);
    this.place(u32, aPtr / 4, X, mp, strideWords);
    this.place(u32, bPtr / 4, Y, np, strideWords);
    const jblock = Math.max(2, Math.floor(B_BLOCK_BYTES / stride) & ~1);
    const work = mp * np * strideWords;
    if (this.threads > 1 && work >= THREAD_MIN_WORK && mp >= 4 && this.startWorkers()) {
      this.runThreaded(aPtr, bPtr, outPtr, mp, np, stride, X.bits, jblock);
    } else {
      this.kernel(aPtr, bPtr, outPtr, 0, mp, np, stride, X.bits, jblock);
    }
    const res = new Int32Array(this.memory.buffer, outPtr, mp * np);
    const n = B.rows;
    if (!swap && n === np) {
      result.set(res.subarray(0, A.rows * n));
    } else if (!swap && n >= 16) {
      for (let i = 0; i < A.rows; i++) result.set(res.subarray(i * np, i * np + n), i * n);
    } else if (!swap) {
      for (let i = 0; i < A.rows; i++) for (let j = 0; j < n; j++) result[i * n + j] = res[i * np + j]!;
    } else {
      for (let i = 0; i < A.rows; i++) for (let j = 0; j < n; j++) result[i * n + j] = res[j * np + i]!;
    }
    return result;
  }

  /** Copies the rows of P to word `at`, each padded to `strideWords`, plus zero rows up to `rows`. */
  private place(u32: Uint32Array, at: number, P: PackedMatrix, rows: number, strideWords: number): void {
    if (strideWords === P.words) {
      u32.set(P.data.subarray(0, P.rows * P.words), at);
      u32.fill(0, at + P.rows * strideWords, at + rows * strideWords);
      return;
    }
    u32.fill(0, at, at + rows * strideWords);
    const { words, data } = P;
    for (let r = 0; r < P.rows; r++) {
      const from = r * words;
      const to = at + r * strideWords;
      for (let k = 0; k < words; k++) u32[to + k] = data[from + k]!;
    }
  }

  private startWorkers(): boolean {
    if (this.workers) return true;
    if (this.threadProblem) return false;
    const count = this.threads - 1;
    const ctl = new Int32Array(new SharedArrayBuffer(4 * SLOT * (count + 1)));
    const workers: Worker[] = [];
    try {
      for (let w = 0; w < count; w++) {
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module: loadModule(), memory: this.memory, ctl, base: (w + 1) * SLOT, kernel: this.exportName } });
        worker.unref();
        workers.push(worker);
      }
      for (let w = 0; w < count; w++) {
        // workers start on their own threads, so blocking here does not stall them
        if (Atomics.wait(ctl, (w + 1) * SLOT + READY, 0, 10_000) === 'timed-out' && Atomics.load(ctl, (w + 1) * SLOT + READY) !== 1) {
          throw new Error('a worker thread did not start within 10 s');
        }
      }
    } catch (e) {
      this.threadProblem = (e as Error).message;
      for (const worker of workers) void worker.terminate();
      return false;
    }
    this.workers = workers;
    this.ctl = ctl;
    return true;
  }

  private runThreaded(a: number, b: number, out: number, mp: number, np: number, stride: number, bits: number, jblock: number): void {
    const ctl = this.ctl!;
    const workers = this.workers!.length;
    // about 8 chunks per thread: small enough to balance, large enough to amortise the claims
    const rowsPerChunk = Math.max(2, Math.floor(mp / (8 * (workers + 1))) & ~1);
    Atomics.store(ctl, NEXT, 0);
    for (let w = 0; w < workers; w++) {
      const base = (w + 1) * SLOT;
      ctl.set([a, b, out, np, stride, bits, jblock, rowsPerChunk, mp], base + ARGS);
      Atomics.store(ctl, base + STATE, POSTED);
      Atomics.notify(ctl, base + STATE);
    }
    for (;;) {
      const i0 = Atomics.add(ctl, NEXT, 1) * rowsPerChunk;
      if (i0 >= mp) break;
      this.kernel(a, b, out, i0, Math.min(mp, i0 + rowsPerChunk), np, stride, bits, jblock);
    }
    let failed = false;
    for (let w = 0; w < workers; w++) {
      const at = (w + 1) * SLOT + STATE;
      if (Atomics.compareExchange(ctl, at, POSTED, CANCELLED) === POSTED) continue; // never woke
      let state: number;
      while ((state = Atomics.load(ctl, at)) === RUNNING) Atomics.wait(ctl, at, RUNNING, 1000);
      if (state === FAILED) failed = true;
    }
    if (failed) throw new Error('wasm gemm: a worker thread failed');
  }

  /** Worker threads started so far (0 until a product is large enough to split). */
  get workerCount(): number {
    return this.workers?.length ?? 0;
  }

  /** Chunks of rows computed by worker threads so far (the rest ran on the calling thread). */
  get workerChunks(): number {
    let total = 0;
    for (let w = 0; w < (this.workers?.length ?? 0); w++) total += Atomics.load(this.ctl!, (w + 1) * SLOT + CHUNKS);
    return total;
  }

  /** Stops the worker threads (they are unref'd, so exiting without this is fine too). */
  dispose(): void {
    if (!this.workers) return;
    for (let w = 0; w < this.workers.length; w++) {
      Atomics.store(this.ctl!, (w + 1) * SLOT + STATE, STOP);
      Atomics.notify(this.ctl!, (w + 1) * SLOT + STATE);
    }
    this.workers = undefined;
  }
}
