/**
 * The WebAssembly values the kernels use (src/xnor/wasm.ts, src/numerics/sdp-wasm.ts), declared
 * once: the TypeScript libs this project uses (ES2022 + @types/node 20) declare none of them.
 */
import { setFlagsFromString } from 'node:v8';

export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

export type WasmModule = object;

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

/** This engine's WebAssembly, or undefined where it has none. */
export const webAssembly: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** 64 KiB: the WebAssembly page. */
export const WASM_PAGE = 65536;

/**
 * Compiles the module with V8's optimising compiler at once. By default V8 first runs WebAssembly
 * through its baseline compiler (Liftoff) and swaps in optimised code only when a function is next
 * called, so a single long call, such as the one Cholesky proof of a solve, runs entirely on the
 * baseline code: measured on G1 (n = 800), 100 ms against 40 ms for the optimised factorisation.
 * The flag is set for the one compilation and restored at once, so larger modules (HiGHS) keep
 * their fast baseline start; our kernel modules are a few kilobytes, compiled in about a millisecond.
 */
export function compileOptimised(bytes: Uint8Array): WasmModule {
  // lazy compilation would compile each function at its first call, after the flag is restored
  setFlagsFromString('--no-liftoff');
  setFlagsFromString('--no-wasm-lazy-compilation');
  try {
    return new webAssembly!.Module(bytes);
  } finally {
    setFlagsFromString('--liftoff');
    setFlagsFromString('--wasm-lazy-compilation');
  }
}

