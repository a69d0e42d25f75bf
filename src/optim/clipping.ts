/** Clipping and normalisation of the update vector, as gradient transformations (optax.clip, clip_by_global_norm). */
import type { Transform } from './transform.js';

/** Each entry clipped to [-bound, bound]. */
export function clipByValue(bound: number): Transform<null> {
  return {
    init: () => null,
    update(updates) {
      for (let i = 0; i < updates.length; i++) updates[i] = Math.max(-bound, Math.min(bound, updates[i]!));
    },
  };
}

/** The whole vector scaled down to Euclidean norm `maxNorm` when it is longer. */
export function clipByGlobalNorm(maxNorm: number): Transform<null> {
  return {
    init: () => null,
    update(updates) {
      let ss = 0;
      for (let i = 0; i < updates.length; i++) ss += updates[i]! * updates[i]!;
      const norm = Math.sqrt(ss);
      if (norm <= maxNorm) return;
      const f = maxNorm / norm;
      for (let i = 0; i < updates.length; i++) updates[i] = f * updates[i]!;
    },
  };
}

/** The vector divided by the root mean square of its entries (left at 0 when all are 0): step sizes in parameter units. */
export function normalizeByRms(): Transform<null> {
  return {
    init: () => null,
    update(updates) {
      let ss = 0;
      for (let i = 0; i < updates.length; i++) ss += updates[i]! * updates[i]!;
      const rms = Math.sqrt(ss / updates.length);
      const f = rms > 0 ? 1 / rms : 0;
      for (let i = 0; i < updates.length; i++) updates[i] = f * updates[i]!;
    },
  };
}
