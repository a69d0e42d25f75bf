/**
 * The estimator catalogue. Names are what `-p estimator=...` and `bnnrelax estimators
 * --estimators` accept; `concrete:TAU` picks the relaxation temperature.
 */
import { UserError } from '../../src/core/errors.js';
import type { GradientEstimator } from './estimator.js';
import { exactEstimator } from './exact.js';
import { analyticEstimator } from './analytic.js';
import { reinforceBaselineEstimator, reinforcePlainEstimator } from './reinforce.js';
import { armEstimator } from './arm.js';
import { stClippedEstimator, stDensityEstimator, stIdentityEstimator } from './straight-through.js';
import { concreteEstimator } from './concrete.js';
import { tanhEstimator } from './tanh.js';

export type { GradientEstimator, EstimatorSession } from './estimator.js';

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
] as const;

/** The sampled estimators compared in the study (exact is the reference). */
export const STUDY_ESTIMATORS = ['reinforce', 'reinforce-baseline', 'arm', 'st-identity', 'st-clipped', 'st-density', 'concrete:1', 'concrete:0.1', 'tanh'];

const fixed: Record<string, GradientEstimator> = {
  exact: exactEstimator,
  analytic: analyticEstimator,
  reinforce: reinforcePlainEstimator,
  'reinforce-baseline': reinforceBaselineEstimator,
  arm: armEstimator,
  'st-identity': stIdentityEstimator,
  'st-clipped': stClippedEstimator,
  'st-density': stDensityEstimator,
  tanh: tanhEstimator,
};

/** `name` or `concrete:TAU`; `temperature` is the concrete temperature when the name has none. */
export function createEstimator(spec: string, temperature?: number): GradientEstimator {
  const [name, tauText, extra] = spec.trim().split(':');
  if (name === 'concrete' && extra === undefined) {
    const tau = tauText === undefined ? temperature : Number(tauText);
    if (tau !== undefined && !(Number.isFinite(tau) && tau > 0)) throw new UserError(`estimator '${spec}': the concrete temperature must be a positive number`);
    return concreteEstimator(tau);
  }
  const found = tauText === undefined ? fixed[name!] : undefined;
  if (!found) throw new UserError(`unknown estimator '${spec}' (known: ${ESTIMATOR_NAMES.join(', ')}; concrete:TAU sets a temperature)`);
  return found;
}
