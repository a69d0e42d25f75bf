/**
 * The logistic function and its log-integral in forms that neither overflow nor lose precision
 * for large |x| (each branch only ever exponentiates a non-positive number).
 */

/** 1 / (1 + e^-a) */
export function sigmoid(a: number): number {
  return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
}

/** log(1 + e^t); the logistic loss of a margin z is softplus(-z), log sigmoid(z) is -softplus(-z). */
export function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}
