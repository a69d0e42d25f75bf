/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna), seeded through splitmix32.
 * All state is 32-bit integer arithmetic (Math.imul, >>>), so the same seed gives the same
 * stream on every machine and Node version. Named sub-streams (`fork`) let one seed drive
 * independent parts of a run (data, initialisation, sampling) without their draws interleaving:
 * adding a draw to one part never changes another part's numbers.
 */
function splitmix32(state: number): [number, number] {
  state = (state + 0x9e3779b9) | 0;
  let z = state;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [state, (z ^ (z >>> 16)) >>> 0];
}

/** FNV-1a hash of a string, for deriving sub-stream seeds from names. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  /** @param seed a non-negative integer below 2^53; @param stream a name for an independent sub-stream */
  constructor(readonly seed: number, readonly stream = '') {
    if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 2 ** 32) >>> 0;
    let st = (lo ^ Math.imul(hi, 0x27d4eb2d) ^ fnv1a(stream)) | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      let out: number;
      [st, out] = splitmix32(st);
      words.push(out);
    }
    // kept as int32 (| 0), the bits unchanged: uint32 words above 2^31 would make V8 store the state
    // as boxed doubles, and every nextU32 allocate (measured 21 ns a draw instead of 6)
    [this.s0, this.s1, this.s2, this.s3] = words.map((w) => w | 0) as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** An independent generator for the named part of a run. */
  fork(name: string): Rng {
    return new Rng(this.seed, this.stream ? `${this.stream}/${name}` : name);
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  float(): number {
    const a = this.nextU32() >>> 5;
    const b = this.nextU32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform in (0, 1): safe to take logarithms of. */
  floatOpen(): number {
    let u = this.float();
    while (u === 0) u = this.float();
    return u;
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float();
  }

  /** Uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!(n >= 1 && n <= 2 ** 32)) throw new RangeError(`int(n) needs 1 <= n <= 2^32, got ${n}`);
    const limit = 2 ** 32 - (2 ** 32 % n);
    let x = this.nextU32();
    while (x >= limit) x = this.nextU32();
    return x % n;
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u = this.floatOpen();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** +1 or -1 with equal probability. */
  sign(): 1 | -1 {
    return this.nextU32() & 1 ? 1 : -1;
  }

  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[] | Int32Array | Float64Array): void {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t as never;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
