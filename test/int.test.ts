import { describe, expect, it } from 'vitest';
import { loadProblem } from '../problems/index.js';
import { IntTrainer, ceilDiv, floorDiv } from '../solvers/int/trainer.js';
import { intSolver } from '../solvers/int.js';
import { runSolver } from '../src/core/solver.js';
import { Rng } from '../src/numerics/rng.js';
import type { BinaryNetworkData } from '../src/core/problem.js';

const INTEGER_ARRAYS = [Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array];

/** Every typed array and number reachable from `root` (own fields, arrays, plain objects). */
function reachable(root: unknown, seen = new Set<unknown>()): { arrays: ArrayBufferView[]; numbers: number[] } {
  const out = { arrays: [] as ArrayBufferView[], numbers: [] as number[] };
  const visit = (v: unknown) => {
    if (typeof v === 'number') out.numbers.push(v);
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      out.arrays.push(v);
      return;
    }
    for (const value of Object.values(v as Record<string, unknown>)) visit(value);
  };
  visit(root);
  return out;
}

/** Runs f with the float typed arrays and the transcendental Math functions made to throw. */
function withoutFloats<T>(f: () => T): T {
  const g = globalThis as Record<string, unknown>;
  const saved = { Float64Array: g.Float64Array, Float32Array: g.Float32Array };
  const math = Math as unknown as Record<string, unknown>;
  const names = ['exp', 'log', 'log1p', 'log2', 'sqrt', 'pow', 'tanh', 'sin', 'cos', 'random', 'fround', 'hypot', 'cbrt'];
  const savedMath = names.map((n) => math[n]);
  const refuse = (what: string) =>
    function () {
      throw new Error(`float used in the integer training step: ${what}`);
    };
  try {
    g.Float64Array = refuse('Float64Array');
    g.Float32Array = refuse('Float32Array');
    for (const n of names) math[n] = refuse(`Math.${n}`);
    return f();
  } finally {
    g.Float64Array = saved.Float64Array;
    g.Float32Array = saved.Float32Array;
    names.forEach((n, k) => (math[n] = savedMath[k]));
  }
}

function mlpNetwork(spec: string): { net: BinaryNetworkData; n: number } {
  const p = loadProblem(spec);
  return { net: p.binaryNetwork!, n: p.n };
}

/** One step written plainly: dense dot products, thresholds, hinge errors, updates. */
function plainStep(net: BinaryNetworkData, latent: number[][], batch: number[], o: { shift: number; margin: number; limit: number }) {
  const B = batch.length;
  const sign = (v: number) => (v >= 0 ? 1 : -1);
  let a: number[][] = batch.map((r) => Array.from(net.trainInputs.subarray(r * net.layers[0]!.inputs, (r + 1) * net.layers[0]!.inputs)));
  const inputs: number[][][] = [];
  const cs: number[][][] = [];
  const ws: number[][] = [];
  net.layers.forEach(({ inputs: d, outputs: h }, l) => {
    inputs.push(a);
    const z = a.map((row) => Array.from({ length: h }, (_, j) => row.reduce((s, v, i) => s + v * sign(latent[l]![j * d + i]!), 0)));
    const theta = Array.from({ length: h }, (_, j) => Math.ceil(z.reduce((s, row) => s + row[j]!, 0) / B));
    const c = z.map((row) => row.map((v, j) => v - theta[j]!));
    ws.push(Array.from({ length: h }, (_, j) => Math.max(1, Math.floor(c.reduce((s, row) => s + Math.abs(row[j]!), 0) / B))));
    cs.push(c);
    a = c.map((row) => row.map(sign));
  });
  const L = net.layers.length;
  const K = net.layers[L - 1]!.outputs;
  let err = cs[L - 1]!.map((row, b) => {
    const y = net.trainLabels[batch[b]!]!;
    const e = new Array(K).fill(0);
    for (let k = 0; k < K; k++) {
      if (k !== y && row[k]! - row[y]! + o.margin > 0) {
        e[k] -= 1;
        e[y] += 1;
      }
    }
    return e;
  });
  for (let l = L - 1; l >= 0; l--) {
    const { inputs: d, outputs: h } = net.layers[l]!;
    const old = latent[l]!.slice();
    for (let j = 0; j < h; j++) {
      for (let i = 0; i < d; i++) {
        const G = err.reduce((s, e, b) => s + e[j]! * inputs[l]![b]![i]!, 0);
        const step = Math.sign(G) * Math.floor(Math.abs(G) / 2 ** o.shift);
        latent[l]![j * d + i] = Math.max(-o.limit, Math.min(o.limit, old[j * d + i]! + step));
      }
    }
    if (l > 0) {
      err = err.map((e, b) =>
        Array.from({ length: d }, (_, i) => {
          if (Math.abs(cs[l - 1]![b]![i]!) > ws[l - 1]![i]!) return 0;
          return e.reduce((s, v, j) => s + v * sign(old[j * d + i]!), 0);
        }),
      );
    }
  }
}

describe('int trainer', () => {
  it('floorDiv and ceilDiv are exact integer division', () => {
    for (let a = -40; a <= 40; a++) {
      for (const b of [1, 2, 3, 7, 40]) {
        expect(floorDiv(a, b) === Math.floor(a / b)).toBe(true);
        expect(ceilDiv(a, b) === Math.ceil(a / b)).toBe(true);
      }
    }
  });

  it('one step equals a plain re-implementation (two hidden layers, 3 classes)', () => {
    const { net } = mlpNetwork('mlp:data=iris,arch=32-7-5-3,seed=2');
    for (const bits of [8, 16] as const) {
      const trainer = new IntTrainer(net, { bits, shift: 1, init: 3, margin: 4 }, new Rng(1, 'test'));
      const latent = trainer.layers.map((L) => Array.from(L.latent));
      const batch = [3, 10, 0, 44, 17, 8, 29, 5];
      for (let s = 0; s < 3; s++) {
        plainStep(net, latent, batch, { shift: 1, margin: 4, limit: bits === 8 ? 127 : 32767 });
        trainer.step(Int32Array.from(batch));
        trainer.layers.forEach((L, l) => expect(Array.from(L.latent)).toEqual(latent[l]));
      }
      expect(latent.flat().some((v) => Math.abs(v) > 3)).toBe(true);
    }
  });

  it('the training step runs with no float arrays and no float Math, on integer-typed state only', () => {
    const { net } = mlpNetwork('mlp:data=moons,arch=16-12-2,train=60,seed=1');
    const trainer = new IntTrainer(net, { bits: 8, shift: 0, init: 5, margin: 3 }, new Rng(2, 'test'));
    const before = trainer.layers.map((L) => Array.from(L.latent));
    const order = Int32Array.from({ length: 60 }, (_, i) => (i * 7) % 60);
    withoutFloats(() => {
      for (let s = 0; s < 6; s++) trainer.step(order.subarray(s * 10, s * 10 + 10));
    });
    expect(trainer.layers.some((L, l) => L.latent.some((v, k) => v !== before[l]![k]))).toBe(true);
    const { arrays, numbers } = reachable(trainer);
    expect(arrays.length).toBeGreaterThan(4);
    for (const a of arrays) expect(INTEGER_ARRAYS.some((T) => a instanceof T)).toBe(true);
    for (const v of numbers) expect(Number.isSafeInteger(v)).toBe(true);
    // and the guard itself bites: a float array inside it throws
    expect(() => withoutFloats(() => new Float64Array(3))).toThrow(/float used/);
  });

  it('saturates at the int8 limit', () => {
    const { net } = mlpNetwork('mlp:data=moons,arch=16-4-2,train=40,seed=1');
    const trainer = new IntTrainer(net, { bits: 8, shift: 0, init: 120, margin: 1000 }, new Rng(3, 'test'));
    const all = Int32Array.from({ length: 40 }, (_, i) => i);
    for (let s = 0; s < 20; s++) trainer.step(all);
    for (const L of trainer.layers) for (const v of L.latent) expect(Math.abs(v)).toBeLessThanOrEqual(127);
    expect(trainer.layers.some((L) => L.latent.some((v) => Math.abs(v) === 127))).toBe(true);
  });
});

describe('int solver', () => {
  it('trains moons, reports bytes per weight, same seed same result', async () => {
    const spec = 'mlp:data=moons,arch=16-16-2,seed=1';
    const a = await runSolver(intSolver, loadProblem(spec), { seed: 3, params: { epochs: 4, batch: 50, bits: '8' } });
    const b = await runSolver(intSolver, loadProblem(spec), { seed: 3, params: { epochs: 4, batch: 50, bits: '8' } });
    expect(a.weights).toBe(b.weights);
    expect(a.testError!).toBeLessThan(0.3);
    expect((a.info as { stateBytesPerWeight: number }).stateBytesPerWeight).toBe(1.125);
  });

  it('refuses problems that are not binary MLPs', async () => {
    await expect(runSolver(intSolver, loadProblem('bqp:n=5,seed=1'), { seed: 1 })).rejects.toThrow(/binary MLPs/);
  });
});
