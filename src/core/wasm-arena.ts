/**
 * One instance of a WebAssembly kernel module with its own memory, grown once to the size the
 * caller asks for, handing out typed views of it (the kernels take byte offsets). The views stay
 * valid for the arena's lifetime: growing a memory detaches earlier views, so it never grows again.
 * Used by the SDP kernels (src/numerics/sdp-wasm.ts) and the row sums (src/numerics/row-sums.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { compileOptimised, WASM_PAGE, webAssembly, type WasmMemory, type WasmModule } from './wasm.js';

const modules = new Map<string, WasmModule | string>();

/**
 * The kernel module dist/wasm/<name>.wasm (assembled from its .wat by scripts/build-wasm.mjs),
 * compiled once, or a sentence saying why it cannot run here. dist/src/core/ and src/core/ (tests,
 * tsx) both find dist/wasm/.
 */
export function kernelModule(name: string): WasmModule | string {
  const known = modules.get(name);
  if (known !== undefined) return known;
  const file = [new URL(`../../wasm/${name}.wasm`, import.meta.url), new URL(`../../dist/wasm/${name}.wasm`, import.meta.url)].find((url) => existsSync(url));
  let result: WasmModule | string;
  if (!webAssembly) result = 'this JavaScript engine has no WebAssembly';
  else if (!file) result = `dist/wasm/${name}.wasm is not built (run \`npm run build\`)`;
  else {
    const bytes = readFileSync(file);
    result = webAssembly.validate(bytes) ? compileOptimised(bytes) : `this JavaScript engine (Node.js ${process.versions.node}) lacks WebAssembly SIMD`;
  }
  modules.set(name, result);
  return result;
}

/** wasm32 addresses 4 GiB; the views index with i32 byte offsets, so stay under 2 GiB */
export const WASM_ARENA_MAX_BYTES = 2 ** 31 - WASM_PAGE;

/** A typed view into an arena, with its byte offset for the kernels. */
export interface F64Block {
  readonly ptr: number;
  readonly view: Float64Array;
}
export interface I32Block {
  readonly ptr: number;
  readonly view: Int32Array;
}

export class WasmArena<K extends { memory: WasmMemory }> {
  readonly kernels: K;
  private readonly buffer: ArrayBuffer;
  private next = 16;
  private readonly end: number;

  /** An instance of `module` whose memory holds at least `bytes` (plus alignment for every block); `what` names it in errors. */
  constructor(module: WasmModule, bytes: number, what: string) {
    const total = Math.ceil((bytes + 4096) / WASM_PAGE) * WASM_PAGE;
    if (total > WASM_ARENA_MAX_BYTES) throw new RangeError(`${what} need ${total} bytes, above ${WASM_ARENA_MAX_BYTES}`);
    this.kernels = new webAssembly!.Instance(module, {}).exports as unknown as K;
    const have = this.kernels.memory.buffer.byteLength;
    if (total > have) this.kernels.memory.grow((total - have) / WASM_PAGE);
    // the module defines its own (unshared) memory
    this.buffer = this.kernels.memory.buffer as ArrayBuffer;
    this.end = this.buffer.byteLength;
  }

  private take(bytes: number): number {
    const ptr = this.next;
    this.next = ptr + Math.ceil(bytes / 16) * 16;
    if (this.next > this.end) throw new RangeError(`WasmArena: out of room (${this.next} > ${this.end} bytes)`);
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
