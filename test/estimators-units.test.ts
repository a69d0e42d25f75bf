/**
 * The {0,1} / {-1,+1} coding of the study's network: the parameter map, the gradient conversion
 * (checked against the exact gradient of a plain {0,1} network, computed here by enumeration and
 * finite differences), the network file, the CSV data and the authors' data-dependent initialisation.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../src/numerics/rng.js';
import { sigmoid, softplus } from '../src/numerics/logistic.js';
import { StochasticBinaryNetwork } from '../problems/sbn.js';
import { loadTwoClassCsv, twoClass2d, twoClassCsv, type LabelledPoints } from '../problems/two-class-2d.js';
import { loadNetwork, networkToText, parseNetwork, type NetworkFile } from '../src/formats/sbn-network.js';
import { UserError } from '../src/core/errors.js';

/** Mean over the points of E[log(1 + exp(-y z))] for a {0,1}-coded network, by plain enumeration. */
function expectedLoss01(net: NetworkFile, data: LabelledPoints): number {
  const layers = net.layers;
  const hidden = layers.slice(0, -1).map((l) => l.outputs);
  const total = hidden.reduce((s, h) => s + h, 0);
  const d = data.X.length / data.count;
  let sum = 0;
  for (let c = 0; c < data.count; c++) {
    for (let code = 0; code < 2 ** total; code++) {
      let input = Array.from(data.X.subarray(c * d, (c + 1) * d));
      let p = 1;
      let bit = 0;
      for (let l = 0; l < hidden.length; l++) {
        const { weight, bias, inputs, outputs } = layers[l]!;
        const state: number[] = [];
        for (let k = 0; k < outputs; k++, bit++) {
          let a = bias[k]!;
          for (let j = 0; j < inputs; j++) a += weight[k * inputs + j]! * input[j]!;
          const on = (code >> bit) & 1;
          p *= on ? sigmoid(a) : 1 - sigmoid(a);
          state.push(on);
        }
        input = state;
      }
      const out = layers[layers.length - 1]!;
      let z = out.bias[0]!;
      for (let j = 0; j < out.inputs; j++) z += out.weight[j]! * input[j]!;
      sum += p * softplus(-data.y[c]! * z);
    }
  }
  return sum / data.count;
}

/** All parameters of a network file, layer by layer, each row's weights then its bias (the network's block layout). */
function flatten(net: NetworkFile): Float64Array {
  const out: number[] = [];
  for (const l of net.layers) for (let r = 0; r < l.outputs; r++) out.push(...l.weight.subarray(r * l.inputs, (r + 1) * l.inputs), l.bias[r]!);
  return Float64Array.from(out);
}

function unflatten(template: NetworkFile, theta: Float64Array): NetworkFile {
  let k = 0;
  const layers = template.layers.map((l) => {
    const weight = new Float64Array(l.weight.length);
    const bias = new Float64Array(l.outputs);
    for (let r = 0; r < l.outputs; r++) {
      for (let j = 0; j < l.inputs; j++) weight[r * l.inputs + j] = theta[k++]!;
      bias[r] = theta[k++]!;
    }
    return { ...l, weight, bias };
  });
  return { units: template.units, layers };
}

describe('units coding of the stochastic binary network', () => {
  const data = twoClass2d(3, new Rng(2, 'data'));
  const net = new StochasticBinaryNetwork([2, 3, 2], data, new Rng(4, 'init'));

  it('the {0,1} parameters describe the same network: equal expected loss', () => {
    const g = new Float64Array(net.paramCount);
    expect(expectedLoss01(net.toNetworkFile('01'), data)).toBeCloseTo(net.exactGradient(g), 12);
  });

  it('gradientInUnits(01) equals the finite-difference gradient of the plain {0,1} network', () => {
    const file = net.toNetworkFile('01');
    const theta = flatten(file);
    const fd = new Float64Array(theta.length);
    const h = 1e-5;
    for (let i = 0; i < theta.length; i++) {
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[i]! += h;
      down[i]! -= h;
      fd[i] = (expectedLoss01(unflatten(file, up), data) - expectedLoss01(unflatten(file, down), data)) / (2 * h);
    }
    const pm1 = new Float64Array(net.paramCount);
    net.exactGradient(pm1);
    const in01 = new Float64Array(net.paramCount);
    net.gradientInUnits('01', pm1, in01);
    for (let i = 0; i < fd.length; i++) expect(in01[i], `parameter ${i}`).toBeCloseTo(fd[i]!, 8);
    // the codings really differ (so a metric must say which it is in): first layer equal, later ones not
    const first = net.blocks[0]!.size;
    for (let i = 0; i < first; i++) expect(in01[i]).toBe(pm1[i]);
    expect(Math.max(...Array.from(in01.subarray(first), (v, i) => Math.abs(v - pm1[first + i]!)))).toBeGreaterThan(1e-3);
    // pm1 is the identity
    const same = new Float64Array(net.paramCount);
    net.gradientInUnits('pm1', pm1, same);
    expect(Array.from(same)).toEqual(Array.from(pm1));
  });

  it('network files round-trip in both codings', () => {
    for (const units of ['01', 'pm1'] as const) {
      const text = networkToText(net.toNetworkFile(units));
      const back = StochasticBinaryNetwork.fromNetworkFile(parseNetwork(text, 'net.json'), data);
      for (let i = 0; i < net.paramCount; i++) expect(back.params[i]).toBeCloseTo(net.params[i]!, 14);
    }
  });

  it('bad network files give one-line errors naming the place', () => {
    const bad: [string, RegExp][] = [
      ['{"units": "01", "layers": [{"weight": [[1, 2]], "bias": [0]}]}', /at least one stochastic layer/],
      ['{"units": "bin", "layers": []}', /"units" is "bin"/],
      ['{"units": "01", "layers": [{"weight": [[1, 2], [3]], "bias": [0, 0]}, {"weight": [[1, 1]], "bias": [0]}]}', /layers\[0\]\.weight\[1\]: 1 entries, expected 2/],
      ['{"units": "01", "layers": [{"weight": [[1, "x"]], "bias": [0]}, {"weight": [[1]], "bias": [0]}]}', /layers\[0\]\.weight\[0\]\[1\]: "x" is not a finite number/],
      ['{"units": "01", "layers": [{"weight": [[1, 2]], "bias": [0]}, {"weight": [[1, 1]], "bias": [0]}]}', /layers\[1\]: takes 2 inputs but layers\[0\] has 1 outputs/],
      ['{"units": "01", "layers": [{"weight": [[1, 2]], "bias": [0]}, {"weight": [[1], [2]], "bias": [0, 0]}]}', /must have one output/],
      ['{"units": "01",\n "layers": [', /net\.json:2: malformed JSON/],
    ];
    for (const [text, message] of bad) {
      expect(() => parseNetwork(text, 'net.json'), text).toThrow(UserError);
      expect(() => parseNetwork(text, 'net.json'), text).toThrow(message);
    }
    expect(() => loadNetwork('/nonexistent/net.json')).toThrow(/cannot read network/);
  });

  it('two-class CSV: 0/1 and -1/+1 labels read the same; bad labels are refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-units-'));
    const a = join(dir, 'a.csv');
    writeFileSync(a, twoClassCsv(data));
    const back = loadTwoClassCsv(a);
    expect(Array.from(back.y)).toEqual(Array.from(data.y));
    expect(Array.from(back.X)).toEqual(Array.from(data.X));
    const b = join(dir, 'b.csv');
    writeFileSync(b, '0.5,1,-1\n0.25,2,+1\n');
    expect(Array.from(loadTwoClassCsv(b).y)).toEqual([-1, 1]);
    const c = join(dir, 'c.csv');
    writeFileSync(c, '0.5,1,0\n0.25,2,2\n');
    expect(() => loadTwoClassCsv(c)).toThrow(/c\.csv:2: label 2/);
    writeFileSync(c, '0.5,1,0\n0.25,2,-1\n');
    expect(() => loadTwoClassCsv(c)).toThrow(/mix 0 and -1/);
  });

  it("the authors' data-dependent initialisation standardises every stochastic pre-activation", () => {
    const big = twoClass2d(100, new Rng(1, 'data'));
    const n = new StochasticBinaryNetwork([2, 5, 5, 5], big, null);
    n.initDataDependent(new Rng(3, 'init'));
    const file = n.toNetworkFile('01');
    // layer 1 on the data: mean over the points exactly 0, variance (per-coordinate, unbiased) 1
    const first = file.layers[0]!;
    const C = big.count;
    const mean = [0, 1].map((j) => big.X.filter((_, k) => k % 2 === j).reduce((s, v) => s + v, 0) / C);
    const variance = [0, 1].map((j) => big.X.filter((_, k) => k % 2 === j).reduce((s, v) => s + (v - mean[j]!) ** 2, 0) / (C - 1));
    for (let r = 0; r < first.outputs; r++) {
      let aMean = first.bias[r]!;
      let aVar = 0;
      for (let j = 0; j < 2; j++) {
        aMean += first.weight[r * 2 + j]! * mean[j]!;
        aVar += first.weight[r * 2 + j]! ** 2 * variance[j]!;
      }
      expect(aMean).toBeCloseTo(0, 12);
      expect(aVar).toBeCloseTo(1, 8);
    }
    // later layers, {0,1} inputs of mean 1/2 and variance 1/4
    for (const layer of file.layers.slice(1, -1)) {
      for (let r = 0; r < layer.outputs; r++) {
        let aMean = layer.bias[r]!;
        let aVar = 0;
        for (let j = 0; j < layer.inputs; j++) {
          aMean += layer.weight[r * layer.inputs + j]! * 0.5;
          aVar += layer.weight[r * layer.inputs + j]! ** 2 * 0.25;
        }
        expect(aMean).toBeCloseTo(0, 12);
        expect(aVar).toBeCloseTo(1, 8);
      }
    }
    // the output layer keeps its U(-1, 1) draw
    for (const w of file.layers[3]!.weight) expect(Math.abs(w)).toBeLessThanOrEqual(1);
  });
});
