/**
 * Random translations of the training images, for the relaxed (training) passes of an `mlp`
 * problem on image data (`shift=S`): every time a training row enters a minibatch it is moved by
 * (dx, dy), each drawn uniformly from -S..S, a fresh draw per row and step from the stream
 * (seed, 'shift'). The classic augmentation of MNIST multilayer perceptrons (Simard, Steinkraus &
 * Platt 2003 used affine and elastic distortions; a translation by whole pixels is the one that
 * keeps binary inputs binary).
 *
 * The translation moves the encoded inputs: destination pixel (r, c) takes the code of source
 * pixel (r - dy, c - dx), all `perPixel` inputs of it (the encoding is feature-major,
 * src/formats/input-encoding.ts), and a destination whose source lies outside the image takes the
 * code of a 0 pixel (the background). The mlp problem allows it only where every pixel has the
 * same cut points (a fixed threshold, or cuts=shared), so this is exactly the encoding of the
 * translated image.
 * The binary network (loss, score, model, eval) always sees the untranslated rows.
 */
import type { ImageGrid } from '../src/datasets/dataset.js';
import type { Rng } from '../src/numerics/rng.js';
import { wordsFor } from '../src/core/bits.js';
import type { ActiveLists, BatchInputs, InputAugmentation } from './mlp-relaxed.js';

export class ImageShift implements InputAugmentation {
  private readonly width: number;
  private readonly perPixel: number;
  private readonly source: Uint8Array;
  private readonly dest: Uint8Array;
  private out?: { start: Int32Array; index: Int32Array; packed: Uint32Array };

  constructor(
    /** the +1 positions of every training row (inputs x perPixel per image) */
    private readonly rows: ActiveLists,
    private readonly grid: ImageGrid,
    /** 1 where an input is +1 for a 0 pixel at its position (the background code) */
    private readonly background: Uint8Array,
    readonly maxShift: number,
    private readonly rng: Rng,
  ) {
    this.width = background.length;
    this.perPixel = this.width / (grid.rows * grid.cols);
    if (!Number.isInteger(this.perPixel) || this.perPixel < 1) throw new RangeError(`${this.width} inputs are not a whole number per pixel of a ${grid.rows} x ${grid.cols} image`);
    this.source = new Uint8Array(this.width);
    this.dest = new Uint8Array(this.width);
  }

  /** The translated inputs of training rows `batch`, in batch order (buffers reused from call to call). */
  batch(batch: Int32Array): BatchInputs {
    const B = batch.length;
    const d = this.width;
    const words = wordsFor(d);
    if (!this.out || this.out.start.length !== B + 1) this.out = { start: new Int32Array(B + 1), index: new Int32Array(B * d), packed: new Uint32Array(B * words) };
    const { start, index, packed } = this.out;
    const { rows: H, cols: W } = this.grid;
    const P = this.perPixel;
    const S = this.maxShift;
    const src = this.source;
    const dst = this.dest;
    packed.fill(0);
    let at = 0;
    for (let b = 0; b < B; b++) {
      const dx = this.rng.int(2 * S + 1) - S;
      const dy = this.rng.int(2 * S + 1) - S;
      const r = batch[b]!;
      src.fill(0);
      for (let k = this.rows.start[r]!; k < this.rows.start[r + 1]!; k++) src[this.rows.index[k]!] = 1;
      for (let y = 0; y < H; y++) {
        const sy = y - dy;
        for (let x = 0; x < W; x++) {
          const sx = x - dx;
          const to = (y * W + x) * P;
          const inside = sy >= 0 && sy < H && sx >= 0 && sx < W;
          const from = inside ? (sy * W + sx) * P : to;
          const code = inside ? src : this.background;
          for (let p = 0; p < P; p++) dst[to + p] = code[from + p]!;
        }
      }
      start[b] = at;
      const base = b * words;
      for (let i = 0; i < d; i++) {
        if (dst[i]) {
          index[at++] = i;
          packed[base + (i >>> 5)]! |= 1 << (i & 31);
        }
      }
    }
    start[B] = at;
    return this.out;
  }
}
