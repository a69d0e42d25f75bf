import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRows } from '../src/core/bits.js';
import { xnorGemm, xnorGemmReference } from '../src/xnor/dot.js';
import { createXnorBackend, type XnorBackend } from '../src/xnor/index.js';
import { GpujsXnorBackend } from '../src/xnor/gpujs.js';
import { WasmXnorBackend } from '../src/xnor/wasm.js';
import { availableParallelism } from 'node:os';

/** The plain ±1 dot products, straight from the signs (no packing, no popcount). */
function plainDots(a: Int8Array, b: Int8Array, M: number, N: number, K: number): Int32Array {
  const out = new Int32Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * K + k]! * b[j * K + k]!;
      out[i * N + j] = s;
    }
  }
  return out;
}

const signs = (length: number) => fc.array(fc.constantFrom(1, -1), { minLength: length, maxLength: length }).map((v) => Int8Array.from(v));

/** Shapes with K on and off the 32-bit (and 16/24-bit) word boundaries, K = 1, M or N = 1. */
const shape = fc.record({
  M: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 7 })),
  N: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 7 })),
  K: fc.oneof(fc.constantFrom(1, 16, 24, 31, 32, 33, 48, 64, 96, 127, 128, 129), fc.integer({ min: 1, max: 300 })),
});
const problem = shape.chain(({ M, N, K }) => fc.record({ M: fc.constant(M), N: fc.constant(N), K: fc.constant(K), a: signs(M * K), b: signs(N * K) }));

const BACKENDS = ['auto', 'js', 'wasm', 'wasm-1thread', 'wasm-simd', 'wasm-simd-1thread', 'gpujs-cpu', 'gpujs-cpu-16', 'gpujs-webasm', 'gpujs-webasm-16'];

function checkBackend(backend: XnorBackend, runs: number): void {
  fc.assert(
    fc.property(problem, ({ M, N, K, a, b }) => {
      const got = backend.gemm(packRows(a, M, K), packRows(b, N, K));
      expect(Array.from(got)).toEqual(Array.from(plainDots(a, b, M, N, K)));
    }),
    { numRuns: runs },
  );
}

describe('every XNOR backend equals the plain ±1 dot product', () => {
  for (const name of BACKENDS) {
    it(name, () => checkBackend(createXnorBackend(name), name.startsWith('gpujs') ? 25 : 150));
  }

  // gpu.js's GL mode needs the optional `gl` package built and an X display (README): where it
  // starts, it must be exact like the others; where it does not, it must say why.
  it('gpujs-headlessgl (where gl is built), else a clear refusal', () => {
    let backend: XnorBackend | undefined;
    try {
      backend = createXnorBackend('gpujs-headlessgl');
    } catch (e) {
      expect((e as Error).message).toMatch(/^backend 'gpujs-headlessgl' cannot start here: .*'gl' package.*xvfb-run/);
      return;
    }
    checkBackend(backend, 15);
    checkBackend(createXnorBackend('gpujs-headlessgl-16'), 15);
  });

  it('xnorGemm (auto) and the plain reference', () => {
    fc.assert(
      fc.property(problem, ({ M, N, K, a, b }) => {
        const want = Array.from(plainDots(a, b, M, N, K));
        expect(Array.from(xnorGemm(packRows(a, M, K), packRows(b, N, K)))).toEqual(want);
        expect(Array.from(xnorGemmReference(packRows(a, M, K), packRows(b, N, K)))).toEqual(want);
      }),
      { numRuns: 100 },
    );
  });
});

function randomSigns(length: number, seed: number): Int8Array {
  const v = new Int8Array(length);
  let x = seed >>> 0 || 1;
  for (let k = 0; k < length; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    v[k] = x & 1 ? 1 : -1;
  }
  return v;
}

describe('wasm on large products (worker threads, row swap, padding)', () => {
  const cases: [number, number, number][] = [
    [512, 64, 1024], // threaded, rows of A split across threads
    [8, 4096, 1000], // B longer than A: computed transposed, threaded
    [3, 700, 129], // transposed, odd row counts on both sides
    [257, 255, 4100], // odd everything, several B blocks
  ];
  for (const [M, N, K] of cases) {
    it(`${M} x ${N} x ${K}`, () => {
      const a = randomSigns(M * K, M * 7 + K);
      const b = randomSigns(N * K, N * 11 + K);
      const want = xnorGemmReference(packRows(a, M, K), packRows(b, N, K));
      expect(Array.from(plainDots(a, b, Math.min(M, 2), N, K))).toEqual(Array.from(want.subarray(0, Math.min(M, 2) * N)));
      for (const name of ['wasm', 'wasm-1thread', 'wasm-simd', 'wasm-simd-1thread']) {
        const got = createXnorBackend(name).gemm(packRows(a, M, K), packRows(b, N, K));
        expect(got).toEqual(want);
      }
      if (M * N * K >= 2 ** 25) expect((createXnorBackend('wasm') as WasmXnorBackend).workerCount).toBe(availableParallelism() - 1);
    });
  }
});

describe('wasm worker threads', () => {
  it('compute exact rows (repeated until a worker has taken some chunks)', () => {
    if (availableParallelism() < 2) {
      expect((createXnorBackend('wasm') as WasmXnorBackend).threads).toBe(1);
      return;
    }
    const [M, N, K] = [512, 256, 1024];
    const A = packRows(randomSigns(M * K, 3), M, K);
    const B = packRows(randomSigns(N * K, 4), N, K);
    const want = xnorGemmReference(A, B);
    const backend = createXnorBackend('wasm') as WasmXnorBackend;
    const before = backend.workerChunks;
    for (let attempt = 0; attempt < 200 && backend.workerChunks === before; attempt++) {
      expect(backend.gemm(A, B)).toEqual(want);
    }
    expect(backend.workerChunks).toBeGreaterThan(before);
    expect(backend.gemm(A, B)).toEqual(want);
  });
});

describe('gpu.js float32 exactness', () => {
  it('counts past 2^16 stay exact (one long dot product)', () => {
    const K = 200_003;
    const a = randomSigns(2 * K, 5);
    const b = randomSigns(3 * K, 9);
    const want = plainDots(a, b, 2, 3, K);
    for (const mode of ['cpu', 'webasm'] as const) {
      for (const width of [16, 24]) {
        const got = new GpujsXnorBackend({ mode, width }).gemm(packRows(a, 2, K), packRows(b, 3, K));
        expect(Array.from(got)).toEqual(Array.from(want));
      }
    }
    // all +1 against all -1: the count reaches K itself
    const ones = packRows(new Int8Array(K).fill(1), 1, K);
    const minus = packRows(new Int8Array(K).fill(-1), 1, K);
    expect(Array.from(new GpujsXnorBackend({ mode: 'webasm' }).gemm(ones, minus))).toEqual([-K]);
  });

  it('refuses rows longer than 2^24 bits and widths over 24', () => {
    const bits = 2 ** 24 + 32;
    const P = { rows: 1, bits, words: bits / 32, data: new Uint32Array(bits / 32) };
    expect(() => new GpujsXnorBackend({ mode: 'cpu' }).gemm(P, P)).toThrow(/2\^24/);
    expect(() => new GpujsXnorBackend({ mode: 'cpu', width: 26 })).toThrow(/even number/);
    expect(() => createXnorBackend('gpujs-cpu-32')).toThrow(/even number/);
  });
});

describe('backend selection', () => {
  it('auto picks wasm (with js for small products) here, unknown names are refused', () => {
    expect(createXnorBackend('auto').name).toBe('wasm+js');
    expect(() => createXnorBackend('cuda')).toThrow(/unknown backend 'cuda'/);
  });

  it('width mismatch is an error, not a wrong answer', () => {
    const A = packRows(new Int8Array(33).fill(1), 1, 33);
    const B = packRows(new Int8Array(34).fill(1), 1, 34);
    for (const name of ['js', 'wasm', 'gpujs-cpu']) expect(() => createXnorBackend(name).gemm(A, B)).toThrow(RangeError);
  });
});
