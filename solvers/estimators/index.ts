/**
 * The estimator catalogue. Names are what `-p estimator=...` and `bnnrelax estimators
 * --estimators` accept; `concrete:TAU` picks the relaxation temperature.
 */
import { UserError } from '../../src/core/errors.js';
import type { EstimatorOptions, GradientEstimator } from './estimator.js';
import { exactEstimator } from './exact.js';
import { analyticEstimator } from './analytic.js';
import { reinforceBaselineEstimator, reinforcePlainEstimator } from './reinforce.js';
import { armEstimator } from './arm.js';
import { stClippedEstimator, stDensityEstimator, stIdentityEstimator } from './straight-through.js';
import { concreteEstimator } from './concrete.js';
import { tanhEstimator } from './tanh.js';
import { psaEstimator } from './psa.js';

export type { GradientEstimator, EstimatorSession, EstimatorOptions } from './estimator.js';

export const ESTIMATOR_NAMES = [
  'exact',
  'analytic',
  'reinforce',
  'reinforce-baseline',
  'arm',
  'st-identity',
  'st-clipped',
  'st-density',
  'concrete',
  'tanh',
  'psa',
] as const;

/** The sampled estimators compared in the study (exact is the reference). */
export const STUDY_ESTIMATORS = ['reinforce', 'reinforce-baseline', 'arm', 'st-identity', 'st-clipped', 'st-density', 'concrete:1', 'concrete:0.1', 'tanh', 'psa'];

/**
 * The estimators of the PSA authors' figures (gradeval/test_grad1.py), in our names: score =
 * reinforce, ST = st-density, AP1 = tanh, SAH = psa; their ARM continues with fresh noise (-p arm=fresh).
 */
export const AUTHORS_ESTIMATORS = ['reinforce', 'arm', 'st-density', 'concrete:1', 'concrete:0.1', 'tanh', 'psa'];

const fixed: Record<string, (o: EstimatorOptions) => GradientEstimator> = {
  exact: () => exactEstimator,
  analytic: () => analyticEstimator,
  reinforce: () => reinforcePlainEstimator,
  'reinforce-baseline': () => reinforceBaselineEstimator,
  arm: (o) => armEstimator(o.arm),
  'st-identity': (o) => stIdentityEstimator(o.units),
  'st-clipped': (o) => stClippedEstimator(o.units),
  'st-density': () => stDensityEstimator,
  tanh: () => tanhEstimator,
  psa: () => psaEstimator,
};

/**
 * `name` or `concrete:TAU`; `temperature` is the concrete temperature when the name has none;
 * `options` the choices that change some estimators (units for straight-through, ARM's noise).
 */
export function createEstimator(spec: string, temperature?: number, options: EstimatorOptions = {}): GradientEstimator {
  const [name, tauText, extra] = spec.trim().split(':');
  if (name === 'concrete' && extra === undefined) {
    const tau = tauText === undefined ? temperature : Number(tauText);
    if (tau !== undefined && !(Number.isFinite(tau) && tau > 0)) throw new UserError(`estimator '${spec}': the concrete temperature must be a positive number`);
    return concreteEstimator(tau);
  }
  const found = tauText === undefined && Object.hasOwn(fixed, name!) ? fixed[name!] : undefined;
  if (!found) throw new UserError(`unknown estimator '${spec}' (known: ${ESTIMATOR_NAMES.join(', ')}; concrete:TAU sets a temperature)`);
  return found(options);
}
