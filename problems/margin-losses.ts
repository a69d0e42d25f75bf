/**
 * Per-sample losses of the margin z = y <x, w> / sqrt(n), and their derivatives. The 0-1 loss is
 * handled by the caller from predictions (so that it equals the reported error exactly) and has
 * no derivative here.
 */
import { softplus } from '../src/numerics/logistic.js';

export type MarginLossName = 'squared' | 'hinge' | 'logistic' | '01';
export const MARGIN_LOSSES: readonly MarginLossName[] = ['squared', 'hinge', 'logistic', '01'];

export interface MarginLoss {
  value(z: number): number;
  derivative(z: number): number;
}

export const marginLosses: Record<Exclude<MarginLossName, '01'>, MarginLoss> = {
  squared: { value: (z) => (1 - z) * (1 - z), derivative: (z) => -2 * (1 - z) },
  hinge: { value: (z) => (z < 1 ? 1 - z : 0), derivative: (z) => (z < 1 ? -1 : 0) },
  logistic: {
    value: (z) => softplus(-z),
    derivative: (z) => (z > 0 ? -Math.exp(-z) / (1 + Math.exp(-z)) : -1 / (1 + Math.exp(z))),
  },
};
