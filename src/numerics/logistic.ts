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

/**
 * softplus(t), and sigmoid(t) written into `slope[0]`, from one exponential: the logistic loss of
 * margin -t and its derivative in one call, bit for bit the values of softplus and sigmoid (both
 * exponentiate -|t|).
 */
export function softplusAndSigmoid(t: number, slope: Float64Array): number {
  const e = Math.exp(-Math.abs(t));
  slope[0] = t >= 0 ? 1 / (1 + e) : e / (1 + e);
  return t > 0 ? t + Math.log1p(e) : Math.log1p(e);
}
