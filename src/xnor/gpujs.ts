/**
 * The `gpujs` backends: one gpu.js kernel run in gpu.js's `cpu`, `webasm` or `headlessgl` mode.
 *
 * gpu.js keeps every number as a 32-bit float on its webasm and GL backends and has no popcount,
 * so the packing differs from the 32-bit words of src/bits.ts: each float carries `width` <= 24
 * bits of a row (bit t of value v is entry v * width + t, 1 for +1, padding 0), and the popcount
 * is arithmetic: the value is split by an exact power-of-two division into two halves of
 * width / 2 bits whose counts come from a table of 2^(width/2) entries.
 *
 * Why every step is exact in float32 (24-bit significand, so every integer of magnitude
 * <= 2^24 is represented exactly):
 *  - packed values are integers in [0, 2^width) with width <= 24: exact;
 *  - x = a ^ b: gpu.js converts both to 32-bit integers (exact, they are integers), and the result
 *    is again in [0, 2^width): exact;
 *  - hi = floor(x * 2^-h) and lo = x - hi * 2^h (h = width / 2): scaling by a power of two only
 *    moves the exponent, floor of an exactly represented number is exact, hi * 2^h <= x is an
 *    exact integer and so is the difference; both halves are integers in [0, 2^h);
 *  - table entries are integers <= h, read by an exact integer index;
 *  - the running count after t values is at most t * width <= K, the number of bits, and each
 *    addition adds integers with an exact integer result <= K <= 2^24, so no rounding occurs.
 * Hence the kernel returns popcount(A_i xor B_j) exactly whenever K <= 2^24 (checked), and the
 * dot product K - 2 * count is formed in double precision after read-back. Array indices stay
 * below 2^24 too (checked), so index arithmetic on GL is exact as well.
 */
import { createRequire } from 'node:module';
import type { PackedMatrix } from '../core/bits.js';
import { BackendUnavailable, checkShapes, type XnorBackend } from './backend.js';

export const GPUJS_MODES = ['cpu', 'webasm', 'headlessgl'] as const;
export type GpujsMode = (typeof GPUJS_MODES)[number];

const EXACT_LIMIT = 1 << 24;

// gpu.js is CommonJS and loads its optional GL and WebGPU bindings eagerly: load it on first use.
type KernelFn = ((...args: unknown[]) => Float32Array[] | Float32Array) & { kernel?: { constructor: { mode?: string }; fallbackReason?: string | null } };
interface GpuInstance {
  createKernel(fn: string, settings: object): KernelFn;
  destroy(): Promise<void>;
}
interface GpuModule {
  GPU: { new (settings: { mode: string }): GpuInstance; isHeadlessGLSupported: boolean; isWebAssemblySupported: boolean };
}
let gpujsModule: GpuModule | undefined;
function loadGpujs(backend: string): GpuModule {
  if (gpujsModule) return gpujsModule;
  try {
    gpujsModule = createRequire(import.meta.url)('gpu.js') as GpuModule;
  } catch (e) {
    throw new BackendUnavailable(backend, `the gpu.js package does not load (${(e as Error).message.split('\n')[0]})`);
  }
  return gpujsModule;
}

// The kernel as source text (gpu.js transpiles it); `table` holds popcounts of 0 .. 2^half - 1.
const KERNEL_SOURCE = `function (a, b, table) {
  const words = this.constants.words;
  const scale = this.constants.scale;
  const half = this.constants.half;
  const ia = this.thread.y * words;
  const jb = this.thread.x * words;
  let count = 0;
  for (let t = 0; t < words; t++) {
    const x = a[ia + t] ^ b[jb + t];
    const hi = Math.floor(x * scale);
    const lo = x - hi * half;
    count += table[lo] + table[hi];
  }
  return count;
}`;

/** Packs the rows of P into floats of `width` bits each (row r at r * wordsPerRow). */
export function packFloats(P: PackedMatrix, width: number): { data: Float32Array; words: number } {
  const words = Math.max(1, Math.ceil(P.bits / width));
  const data = new Float32Array(P.rows * words);
  for (let r = 0; r < P.rows; r++) {
    const base = r * P.words;
    for (let j = 0; j < P.bits; j++) {
      if ((P.data[base + (j >>> 5)]! >>> (j & 31)) & 1) data[r * words + Math.floor(j / width)]! += 2 ** (j % width);
    }
  }
  return { data, words };
}

export interface GpujsOptions {
  mode: GpujsMode;
  /** bits per float value: an even number <= 24 (default 24) */
  width?: number;
}

export class GpujsXnorBackend implements XnorBackend {
  readonly name: string;
  readonly mode: GpujsMode;
  readonly width: number;
  private readonly gpu: GpuInstance;
  private readonly table: Float32Array;
  private readonly kernels = new Map<string, KernelFn>();

  constructor(options: GpujsOptions) {
    this.mode = options.mode;
    this.width = options.width ?? 24;
    if (!Number.isInteger(this.width) || this.width < 2 || this.width > 24 || this.width % 2 !== 0) {
      throw new RangeError(`gpujs: width must be an even number of bits in [2, 24], got ${this.width}`);
    }
    this.name = `gpujs-${this.mode}` + (options.width === undefined ? '' : `-${this.width}`);
    const { GPU } = loadGpujs(this.name);
    if (this.mode === 'headlessgl' && !GPU.isHeadlessGLSupported) {
      throw new BackendUnavailable(
        this.name,
        "gpu.js needs its optional 'gl' package built (README: libxi-dev, python3, a C++ toolchain) and an X display (run under xvfb-run)",
      );
    }
    if (this.mode === 'webasm' && !GPU.isWebAssemblySupported) throw new BackendUnavailable(this.name, 'gpu.js reports no WebAssembly support');
    this.gpu = new GPU({ mode: this.mode });
    const half = this.width / 2;
    this.table = new Float32Array(2 ** half);
    for (let v = 1; v < this.table.length; v++) this.table[v] = (v & 1) + this.table[v >>> 1]!;
  }

  private kernelFor(m: number, n: number, words: number): KernelFn {
    const key = `${m}x${n}x${words}`;
    let kernel = this.kernels.get(key);
    if (!kernel) {
      const half = this.width / 2;
      kernel = this.gpu.createKernel(KERNEL_SOURCE, {
        output: [n, m],
        constants: { words, half: 2 ** half, scale: 2 ** -half },
        loopMaxIterations: words,
        precision: 'single',
        tactic: 'precision',
      });
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  gemm(A: PackedMatrix, B: PackedMatrix, out?: Int32Array): Int32Array {
    const result = checkShapes(A, B, out, `${this.name} gemm`);
    const m = A.rows;
    const n = B.rows;
    if (m === 0 || n === 0) return result;
    if (A.bits > EXACT_LIMIT) throw new RangeError(`${this.name}: ${A.bits}-bit rows exceed 2^24, where float32 counts stop being exact`);
    const a = packFloats(A, this.width);
    const b = packFloats(B, this.width);
    if (a.data.length >= EXACT_LIMIT || b.data.length >= EXACT_LIMIT) throw new RangeError(`${this.name}: more than 2^24 packed values per operand`);
    const kernel = this.kernelFor(m, n, a.words);
    const counts = kernel(a.data, b.data, this.table);
    if (this.mode !== 'cpu' && kernel.kernel?.fallbackReason) {
      throw new BackendUnavailable(this.name, `gpu.js fell back to its cpu mode: ${kernel.kernel.fallbackReason}`);
    }
    const bits = A.bits;
    if (m === 1 && !Array.isArray(counts)) {
      const row = counts as Float32Array;
      for (let j = 0; j < n; j++) result[j] = bits - 2 * row[j]!;
      return result;
    }
    const rows = counts as Float32Array[];
    for (let i = 0; i < m; i++) {
      const row = rows[i]!;
      for (let j = 0; j < n; j++) result[i * n + j] = bits - 2 * row[j]!;
    }
    return result;
  }

  dispose(): void {
    void this.gpu.destroy();
  }
}
