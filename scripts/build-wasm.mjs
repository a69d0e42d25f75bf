// Assembles the WebAssembly text kernels (src/**/*.wat) into dist/wasm/*.wasm with wabt, the
// WebAssembly Binary Toolkit's assembler compiled to JavaScript. Run by `npm run build` (and so
// by `npm ci` through prepare) and before the tests, so the binary always matches its source.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const sources = ['../src/xnor/xnor.wat', '../src/numerics/sdp-kernels.wat', '../src/numerics/row-sums.wat'];
const outDir = fileURLToPath(new URL('../dist/wasm/', import.meta.url));

export async function buildWasm() {
  const wabt = await initWabt();
  mkdirSync(outDir, { recursive: true });
  for (const rel of sources) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    const features = { simd: true, threads: true, bulk_memory: true };
    const module = wabt.parseWat(basename(path), readFileSync(path, 'utf8'), features);
    try {
      module.resolveNames();
      module.validate(features);
      const { buffer } = module.toBinary({});
      writeFileSync(outDir + basename(path).replace(/\.wat$/, '.wasm'), buffer);
    } finally {
      module.destroy();
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWasm();
