/**
 * The WebAssembly SDP kernels of sdp-kernels.wat (assembled to dist/wasm/sdp-kernels.wasm by
 * scripts/build-wasm.mjs): the mixing sweep, the multipliers, C X, the Riemannian Hessian-vector
 * product, and the in-place dense
 * Cholesky. An SdpWasmArena is one instance with its own memory, grown once to the size the
 * caller asks for; the Float64Array / Int32Array views it hands out stay valid for its lifetime
 * (growing a memory detaches earlier views, so it never grows again).
 */
import { existsSync, readFileSync } from 'node:fs';
import { compileOptimised, WASM_PAGE, webAssembly, type WasmMemory, type WasmModule } from '../core/wasm.js';

/** dist/src/numerics/sdp-wasm.js finds dist/wasm/; src/numerics/sdp-wasm.ts (tests, tsx) finds dist/wasm/ too. */
const WASM_FILES = [new URL('../../wasm/sdp-kernels.wasm', import.meta.url), new URL('../../dist/wasm/sdp-kernels.wasm', import.meta.url)];
const PAGE = WASM_PAGE;
/** wasm32 addresses 4 GiB; the views below index with i32 byte offsets, so stay under 2 GiB */
export const SDP_WASM_MAX_BYTES = 2 ** 31 - PAGE;

const WebAssembly = webAssembly;

interface SdpExports {
  memory: WasmMemory;
  sweep(n: number, k: number, rowPtr: number, col: number, val: number, V: number, g: number, omega: number): number;
  multipliers(n: number, k: number, rowPtr: number, col: number, val: number, diag: number, V: number, y: number, g: number): number;
  applyC(n: number, k: number, rowPtr: number, col: number, val: number, diag: number, X: number, out: number): void;
  hessian(n: number, k: number, rowPtr: number, col: number, val: number, diag: number, V: number, y: number, U: number, out: number): void;
  orthonormalize(n: number, k: number, V: number, Q: number, d: number): number;
  projectSlack(n: number, k: number, m: number, y: number, Q: number, CQ: number, H: number): void;
  combine(n: number, k: number, m: number, X: number, z: number, out: number): void;
  jacobi(m: number, A: number, Z: number): number;
  cholesky(A: number, n: number, d: number, inv: number): number;
}

let cached: WasmModule | null | undefined;
let whyUnavailable = '';

function loadModule(): WasmModule | null {
  if (cached !== undefined) return cached;
  cached = null;
  const file = WASM_FILES.find((url) => existsSync(url));
  if (!WebAssembly) whyUnavailable = 'this JavaScript engine has no WebAssembly';
  else if (!file) whyUnavailable = 'dist/wasm/sdp-kernels.wasm is not built (run `npm run build`)';
  else {
    const bytes = readFileSync(file);
    if (!WebAssembly.validate(bytes)) whyUnavailable = `this JavaScript engine (Node.js ${process.versions.node}) lacks WebAssembly SIMD`;
    else cached = compileOptimised(bytes);
  }
  return cached;
}

/** Why the WebAssembly kernels cannot run here, or undefined when they can. */
export function sdpWasmUnavailable(): string | undefined {
  return loadModule() ? undefined : whyUnavailable;
}

/** A typed view into the arena, with its byte offset for the kernels. */
export interface F64Block {
  readonly ptr: number;
  readonly view: Float64Array;
}
export interface I32Block {
  readonly ptr: number;
  readonly view: Int32Array;
}

export class SdpWasmArena {
  readonly kernels: SdpExports;
  private readonly buffer: ArrayBuffer;
  private next = 16;
  private readonly end: number;

  /** An instance whose memory holds at least `bytes` (plus alignment for every block). */
  constructor(bytes: number) {
    const module = loadModule();
    if (!module || !WebAssembly) throw new Error(`WebAssembly SDP kernels unavailable: ${whyUnavailable}`);
    const total = Math.ceil((bytes + 4096) / PAGE) * PAGE;
    if (total > SDP_WASM_MAX_BYTES) throw new RangeError(`the WebAssembly SDP kernels need ${total} bytes, above ${SDP_WASM_MAX_BYTES}`);
    this.kernels = new WebAssembly.Instance(module, {}).exports as unknown as SdpExports;
    const have = this.kernels.memory.buffer.byteLength;
    if (total > have) this.kernels.memory.grow((total - have) / PAGE);
    // the module defines its own (unshared) memory
    this.buffer = this.kernels.memory.buffer as ArrayBuffer;
    this.end = this.buffer.byteLength;
  }

  private take(bytes: number): number {
    const ptr = this.next;
    this.next = ptr + Math.ceil(bytes / 16) * 16;
    if (this.next > this.end) throw new RangeError(`SdpWasmArena: out of room (${this.next} > ${this.end} bytes)`);
    return ptr;
  }

  f64(length: number, from?: ArrayLike<number>): F64Block {
    const ptr = this.take(length * 8);
    const view = new Float64Array(this.buffer, ptr, length);
    if (from) view.set(from);
    return { ptr, view };
  }

  i32(length: number, from?: ArrayLike<number>): I32Block {
    const ptr = this.take(length * 4);
    const view = new Int32Array(this.buffer, ptr, length);
    if (from) view.set(from);
    return { ptr, view };
  }

  /** Bytes an arena needs for blocks of these sizes (in bytes), alignment included. */
  static bytesFor(...blocks: number[]): number {
    return 16 + blocks.reduce((s, b) => s + Math.ceil(b / 16) * 16, 0);
  }
}
