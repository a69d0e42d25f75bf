// Assemble src/**/*.wat before the tests, so the wasm backend under test matches its source.
// @ts-expect-error: a plain .mjs build script without type declarations
import { buildWasm } from '../scripts/build-wasm.mjs';

export default async function setup(): Promise<void> {
  await buildWasm();
}
