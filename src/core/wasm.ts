/**
 * The WebAssembly values the kernels use (src/xnor/wasm.ts, src/numerics/sdp-wasm.ts), declared
 * once: the TypeScript libs this project uses (ES2022 + @types/node 20) declare none of them.
 */
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
