/** A plain-loop re-implementation of the mlp problem's relaxed pass, written from the definitions in problems/mlp.ts (shared by the mlp tests). */
/** Independent plain-loop forward and backward of the definitions in problems/mlp.ts. */
export type Act = 'sign' | 'relu' | 'htanh';
export const actOf = (act: Act, v: number) => (act === 'relu' ? Math.max(0, v) : act === 'htanh' ? Math.max(-1, Math.min(1, v)) : v >= 0 ? 1 : -1);
const slopeOf = (act: Act, v: number) => (act === 'relu' ? (v > 0 ? 1 : 0) : Math.abs(v) <= 1 ? 1 : 0);

/** masks[l][b][j]: the factor on hidden layer l's unit j for sample b (inverted dropout: 0 or 1 / (1 - p)). */
export function reference(arch: number[], x: ArrayLike<number>, inputs: number[][], labels: number[], withGrad: boolean, bn: 'full' | 'frozen' = 'full', act: Act = 'sign', masks?: number[][][]) {
  const B = inputs.length;
  const acts: number[][][] = [inputs];
  const zhats: number[][][] = [];
  const invStds: number[][] = [];
  const means: number[][] = [];
  let off = 0;
  const offsets: number[] = [];
  for (let l = 1; l < arch.length; l++) {
    const d = arch[l - 1]!;
    const h = arch[l]!;
    offsets.push(off);
    const a = acts[l - 1]!;
    const z = a.map((row) => Array.from({ length: h }, (_, j) => row.reduce((s, v, i) => s + x[off + j * d + i]! * v, 0)));
    const mean = Array.from({ length: h }, (_, j) => z.reduce((s, r) => s + r[j]!, 0) / B);
    const inv = mean.map((m, j) => 1 / Math.sqrt(z.reduce((s, r) => s + (r[j]! - m) ** 2, 0) / B + 1e-5));
    means.push(mean);
    invStds.push(inv);
    zhats.push(z.map((r) => r.map((v, j) => (v - mean[j]!) * inv[j]!)));
    const layerMask = masks?.[l - 1];
    acts.push(act === 'sign' ? z.map((r) => r.map((v, j) => (v >= mean[j]! ? 1 : -1))) : zhats[zhats.length - 1]!.map((r, b) => r.map((v, j) => actOf(act, v) * (layerMask && l < arch.length - 1 ? layerMask[b]![j]! : 1))));
    off += d * h;
  }
  const scores = zhats[zhats.length - 1]!;
  let loss = 0;
  const C = arch[arch.length - 1]!;
  let delta = scores.map((s, r) => {
    const mx = Math.max(...s);
    const e = s.map((v) => Math.exp(v - mx));
    const sum = e.reduce((a, b) => a + b, 0);
    loss += -Math.log(e[labels[r]!]! / sum);
    return e.map((v, j) => (v / sum - (j === labels[r] ? 1 : 0)) / B);
  });
  loss /= B;
  const grad = new Float64Array(off);
  const errors = scores.filter((s, r) => s.indexOf(Math.max(...s)) !== labels[r]).length;
  if (withGrad) {
    for (let l = arch.length - 2; l >= 0; l--) {
      const d = arch[l]!;
      const h = arch[l + 1]!;
      const xh = zhats[l]!;
      const m1 = Array.from({ length: h }, (_, j) => delta.reduce((s, r) => s + r[j]!, 0) / B);
      const m2 = Array.from({ length: h }, (_, j) => delta.reduce((s, r, b) => s + r[j]! * xh[b]![j]!, 0) / B);
      const dz = delta.map((r, b) =>
        r.map((v, j) => (bn === 'frozen' ? v : v - m1[j]! - xh[b]![j]! * m2[j]!) * invStds[l]![j]!),
      );
      for (let j = 0; j < h; j++) for (let i = 0; i < d; i++) grad[offsets[l]! + j * d + i] = dz.reduce((s, r, b) => s + r[j]! * acts[l]![b]![i]!, 0);
      if (l === 0) break;
      delta = dz.map((r, b) =>
        Array.from({ length: d }, (_, i) => (masks ? masks[l - 1]![b]![i]! : 1) * slopeOf(act, zhats[l - 1]![b]![i]!) * r.reduce((s, v, j) => s + x[offsets[l]! + j * d + i]! * v, 0)),
      );
    }
  }
  void C;
  return { loss, grad, errors, means, invStds };
}
