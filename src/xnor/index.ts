/**
 * The XNOR-popcount backends by name, and `auto`: the fastest that starts here.
 *
 * Names: wasm (all cores), wasm-1thread, wasm-simd, wasm-simd-1thread, js, gpujs-cpu, gpujs-webasm, gpujs-headlessgl, and the
 * gpu.js ones with an explicit bits-per-float width, e.g. gpujs-webasm-16 (default 24).
 * `auto` tries AUTO_ORDER, fastest first as measured on 512 x 512 x 1024 (bench/RESULTS.md):
 * wasm, then js; over wasm it sends matrix-vector and tiny products to js (SizeDispatch). gpu.js never wins on a CPU (its cpu and webasm modes are slower than js) and
 * its GL mode needs a built `gl` package, so auto only reaches it by name.
 */
import type { PackedMatrix } from '../core/bits.js';
import { BackendUnavailable, type XnorBackend } from './backend.js';
import { GPUJS_MODES, GpujsXnorBackend, type GpujsMode } from './gpujs.js';
import { jsBackend } from './js.js';
import { WasmXnorBackend } from './wasm.js';

export { BackendUnavailable, type XnorBackend } from './backend.js';

export interface BackendInfo {
  name: string;
  summary: string;
}

/**
 * `gpujs`: the GL mode (a real GPU where the optional `gl` package is built), else the cpu mode,
 * measured slightly faster than webasm on this machine (bench/RESULTS.md: 3.2e9 against 2.9e9
 * MAC/s at 24 bits per float).
 */
export const GPUJS_ORDER: readonly GpujsMode[] = ['headlessgl', 'cpu', 'webasm'];

export const XNOR_BACKENDS: BackendInfo[] = [
  { name: 'auto', summary: 'the fastest that starts here: wasm, with js for matrix-vector and tiny products (wasm+js); js if wasm cannot start' },
  { name: 'wasm', summary: 'WebAssembly i64.popcnt kernel, 2x2 register tiles, all cores via worker threads' },
  { name: 'wasm-1thread', summary: 'the wasm kernel on the calling thread only' },
  { name: 'wasm-simd', summary: 'WebAssembly SIMD kernel (v128.xor + i8x16.popcnt), otherwise as wasm' },
  { name: 'wasm-simd-1thread', summary: 'the SIMD kernel on the calling thread only' },
  { name: 'js', summary: 'Uint32Array words with a SWAR popcount in plain JavaScript' },
  { name: 'gpujs', summary: `the first gpu.js mode that starts here, in the order ${GPUJS_ORDER.join(', ')}` },
  ...GPUJS_MODES.map((mode) => ({ name: `gpujs-${mode}`, summary: `gpu.js kernel in its ${mode} mode, 24 bits per float32 (-16 for 16)` })),
];

export const AUTO_ORDER = ['wasm', 'js'];


/** The backend named `name`; throws BackendUnavailable when it cannot start, RangeError when unknown. */
export function createXnorBackend(name: string): XnorBackend {
  if (name === 'auto') {
    const reasons: string[] = [];
    for (const candidate of AUTO_ORDER) {
      try {
        const backend = createXnorBackend(candidate);
        return backend === jsBackend ? backend : cached(`auto:${candidate}`, () => new SizeDispatch(backend, jsBackend));
      } catch (e) {
        if (!(e instanceof BackendUnavailable)) throw e;
        reasons.push(e.message);
      }
    }
    throw new BackendUnavailable('auto', reasons.join('; '));
  }
  if (name === 'gpujs') {
    const reasons: string[] = [];
    for (const mode of GPUJS_ORDER) {
      try {
        return createXnorBackend(`gpujs-${mode}`);
      } catch (e) {
        if (!(e instanceof BackendUnavailable)) throw e;
        reasons.push(e.message);
      }
    }
    throw new BackendUnavailable('gpujs', reasons.join('; '));
  }
  if (name === 'js') return jsBackend;
  if (name === 'wasm') return cached(name, () => new WasmXnorBackend());
  if (name === 'wasm-1thread') return cached(name, () => new WasmXnorBackend({ threads: 1 }));
  if (name === 'wasm-simd') return cached(name, () => new WasmXnorBackend({ kernel: 'simd' }));
  if (name === 'wasm-simd-1thread') return cached(name, () => new WasmXnorBackend({ kernel: 'simd', threads: 1 }));
  const m = /^gpujs-([a-z]+)(?:-(\d+))?$/.exec(name);
  if (m && (GPUJS_MODES as readonly string[]).includes(m[1]!)) {
    const width = m[2] === undefined ? undefined : Number(m[2]);
    if (width !== undefined && (width < 2 || width > 24 || width % 2 !== 0)) {
      throw new RangeError(`unknown backend '${name}': the gpu.js width must be an even number of bits from 2 to 24`);
    }
    return cached(name, () => new GpujsXnorBackend({ mode: m[1] as GpujsMode, width }));
  }
  throw new RangeError(`unknown backend '${name}' (known: ${XNOR_BACKENDS.map((b) => b.name).join(', ')})`);
}

/**
 * `auto` over a fast backend: matrix-vector products (either side at most 2 rows) and tiny ones
 * go to `small` (js), where copying into wasm memory and padding to 2 x 2 tiles cost more than
 * the arithmetic (measured: 10000 x 1 x 64 bits takes longer in wasm than in js).
 */
class SizeDispatch implements XnorBackend {
  readonly name: string;
  constructor(
    private readonly big: XnorBackend,
    private readonly small: XnorBackend,
  ) {
    this.name = `${big.name}+${small.name}`;
  }

  gemm(A: PackedMatrix, B: PackedMatrix, out?: Int32Array): Int32Array {
    const small = Math.min(A.rows, B.rows) <= 2 || A.rows * B.rows * A.words < 1024;
    return (small ? this.small : this.big).gemm(A, B, out);
  }
}

// One instance per name: backends hold compiled kernels, worker threads and wasm memory.
const instances = new Map<string, XnorBackend>();
function cached(name: string, make: () => XnorBackend): XnorBackend {
  let backend = instances.get(name);
  if (!backend) {
    backend = make();
    instances.set(name, backend);
  }
  return backend;
}

let defaultBackend: XnorBackend | undefined;
/** The backend behind xnorGemm: `auto`, chosen once per process. */
export function defaultXnorBackend(): XnorBackend {
  defaultBackend ??= createXnorBackend('auto');
  return defaultBackend;
}
