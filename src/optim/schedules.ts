/**
 * Learning-rate schedules: functions of the 0-based step count (optax's convention), and the
 * transformations that apply them. Each constructor names the source it follows.
 */
import type { Transform } from './transform.js';

export type Schedule = (count: number) => number;

export function constantSchedule(value: number): Schedule {
  return () => value;
}

/**
 * Cosine decay from `init` at step 0 to `end` at step `steps` (held there after):
 * end + (init - end) (1 + cos(pi t / steps)) / 2.
 */
export function cosineDecay({ init, steps, end = 0 }: { init: number; steps: number; end?: number }): Schedule {
  return (count) => end + (init - end) * (0.5 * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, count / steps)))));
}

/**
 * Linear warm-up from 0 over `warmupSteps`, then cosine from `peak` to 0 at `steps`: the VISPA
 * schedule (snownus/bnn_vi, main_sdp_cifar.py adjust_learning_rate_cos, 5 warm-up epochs).
 */
export function warmupCosineDecay({ peak, warmupSteps, steps }: { peak: number; warmupSteps: number; steps: number }): Schedule {
  return (count) => {
    if (count < warmupSteps) return (peak * count) / warmupSteps;
    const span = Math.max(1, steps - warmupSteps);
    return (peak * (1 + Math.cos((Math.PI * Math.min(span, count - warmupSteps)) / span))) / 2;
  };
}

/** `init` multiplied by `factor` at each boundary step reached (PyTorch MultiStepLR, the BayesBiNN two-moons notebook). */
export function piecewiseConstant({ init, boundaries, factor }: { init: number; boundaries: readonly number[]; factor: number }): Schedule {
  return (count) => {
    let v = init;
    for (const b of boundaries) if (count >= b) v *= factor;
    return v;
  };
}

/** init / sqrt(1 + t / scale) (md's default). */
export function inverseSqrt({ init, scale }: { init: number; scale: number }): Schedule {
  return (count) => init / Math.sqrt(1 + count / scale);
}

/** The schedule held constant over blocks of `every` steps: PyTorch schedulers stepped once per epoch. */
export function perBlock(schedule: Schedule, every: number): Schedule {
  return (count) => schedule(Math.floor(count / every));
}

/** updates *= schedule(t) (optax.scale_by_schedule); the state counts steps. */
export function scaleBySchedule(schedule: Schedule): Transform<{ count: number }> {
  return {
    init: () => ({ count: 0 }),
    update(updates, state) {
      const f = schedule(state.count++);
      for (let i = 0; i < updates.length; i++) updates[i] = f * updates[i]!;
    },
  };
}

/** updates *= -lr(t): a descent step (optax.scale_by_learning_rate). */
export function scaleByLearningRate(lr: Schedule | number): Transform<{ count: number }> {
  const schedule = typeof lr === 'number' ? constantSchedule(lr) : lr;
  return {
    init: () => ({ count: 0 }),
    update(updates, state) {
      const f = -schedule(state.count++);
      for (let i = 0; i < updates.length; i++) updates[i] = f * updates[i]!;
    },
  };
}

/** updates *= c for a fixed c, or per coordinate when given an array (optax.scale). */
export function scale(c: number | Float64Array): Transform<null> {
  return {
    init: () => null,
    update(updates) {
      if (typeof c === 'number') for (let i = 0; i < updates.length; i++) updates[i] = c * updates[i]!;
      else for (let i = 0; i < updates.length; i++) updates[i] = c[i]! * updates[i]!;
    },
  };
}
