/**
 * IDX files (the MNIST container): magic 0x0000 TT DD (TT = element type, DD = number of
 * dimensions), DD big-endian 32-bit sizes, then the elements in row-major order. Only unsigned
 * bytes (type 0x08), the MNIST element type, are accepted; anything else is refused by name.
 */
import { UserError } from '../core/errors.js';
import { makeDataset, type Dataset } from './dataset.js';
import { readBytes } from '../formats/text-file.js';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

export function readIdx(path: string): IdxArray {
  const buf = readBytes(path);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) throw new UserError(`${path}: not an IDX file (bad magic number)`);
  if (buf[2] !== 0x08) throw new UserError(`${path}: IDX element type 0x${buf[2]!.toString(16)} is not supported (only unsigned bytes, 0x08)`);
  const rank = buf[3]!;
  if (rank < 1 || buf.length < 4 + 4 * rank) throw new UserError(`${path}: truncated IDX header`);
  const dims: number[] = [];
  for (let k = 0; k < rank; k++) dims.push(buf.readUInt32BE(4 + 4 * k));
  const size = dims.reduce((a, b) => a * b, 1);
  const offset = 4 + 4 * rank;
  if (buf.length !== offset + size) throw new UserError(`${path}: IDX header promises ${size} bytes of data, file has ${buf.length - offset}`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, size) };
}

/**
 * An images file (N x rows x cols, or N x features) with its labels file (N). Pixel values are
 * scaled to [0, 1]. `pick` chooses the rows to keep (given the row count) before any conversion,
 * so that a small subset of a large file stays small in memory.
 */
export function readIdxDataset(imagesPath: string, labelsPath: string, pick?: (count: number) => ArrayLike<number>): Dataset {
  const images = readIdx(imagesPath);
  const labels = readIdx(labelsPath);
  if (labels.dims.length !== 1) throw new UserError(`${labelsPath}: labels must be a 1-dimensional IDX array, got ${labels.dims.length} dimensions`);
  if (images.dims.length < 2) throw new UserError(`${imagesPath}: images must have at least 2 dimensions (count x features)`);
  const total = images.dims[0]!;
  if (labels.dims[0] !== total) throw new UserError(`${labelsPath}: ${labels.dims[0]} labels for ${total} images in ${imagesPath}`);
  const rows = pick ? pick(total) : Int32Array.from({ length: total }, (_, i) => i);
  const features = images.dims.slice(1).reduce((a, b) => a * b, 1);
  const X = new Float64Array(rows.length * features);
  const y = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    for (let f = 0; f < features; f++) X[k * features + f] = images.data[r * features + f]! / 255;
    y[k] = labels.data[r]!;
  }
  // N x rows x cols: images, which the mlp problem can translate (its `shift`)
  const grid = images.dims.length === 3 ? { rows: images.dims[1]!, cols: images.dims[2]! } : undefined;
  return makeDataset(imagesPath, features, X, y, grid);
}
