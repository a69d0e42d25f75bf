/**
 * When to check the certificate. A check costs about ten sweeps (a Cholesky proof tens), so it
 * follows a predicted schedule: the first when the relative per-iteration gain falls below
 * FIRST_CHECK_GAIN * tol; then at the iteration where the log-linear trend of the estimate
 * |theta| through the last two checks reaches PROOF_GATE times the allowed shift, damped to 3/4 of
 * the way and clamped to [+1%, +100%] of the iterations so far. The local rate fluctuates by tens
 * of percent (measured on G1), so aiming short and checking again beats overshooting.
 */
import { PROOF_GATE } from './certificate-policy.js';

/**
 * The first certificate check waits until an iteration gains less than this times tol (relative):
 * the dual gap n |lambda_min| trails the primal gain by two orders or so. Measured on G1, G14,
 * G11 and the SDPLIB files against 1, 0.1 and 0.001: fewest checks and iterations overall
 * (G1: 5 checks / 384 sweeps, against 9 / 408 at 1 and 3 / 742 at 0.001; measured when checks
 * were gated by Lanczos, before the span(V) Ritz estimate; not re-tuned since).
 */
export const FIRST_CHECK_GAIN = 0.01;

export class CheckSchedule {
  private checkedOnce = false;
  private nextCheckAt = Infinity;
  private trend: { it: number; theta: number } | undefined;

  constructor(private readonly tol: number) {}

  /** Whether a check is due after `iterations` iterations whose last gained `relGain` (relative). */
  due(iterations: number, relGain: number): boolean {
    return this.checkedOnce ? iterations >= this.nextCheckAt : relGain <= FIRST_CHECK_GAIN * this.tol;
  }

  /** Records a check at `iterations` with Ritz estimate theta, and plans the next one. */
  checked(iterations: number, theta: number, allowed: number): void {
    this.checkedOnce = true;
    const lo = iterations + Math.max(3, Math.ceil(0.01 * iterations));
    const hi = 2 * iterations;
    // without a usable trend (first check, or |theta| not shrinking, as when Lanczos has just
    // found an eigenvalue outside span(V)): +15%
    let next = iterations + Math.ceil(0.15 * iterations);
    const now = { it: iterations, theta: Math.max(-theta, 1e-300) };
    if (this.trend && now.theta < this.trend.theta) {
      const rate = Math.log(this.trend.theta / now.theta) / (now.it - this.trend.it);
      next = iterations + Math.ceil((0.75 * Math.log(now.theta / (PROOF_GATE * allowed))) / rate);
    }
    this.trend = now;
    this.nextCheckAt = Math.min(hi, Math.max(lo, next));
  }
}
