/**
 * The iteration on V and the switch between algorithms: 'mixing' sweeps, 'lbfgs' Riemannian
 * L-BFGS, or 'auto', which runs mixing and switches to L-BFGS once mixing slows down.
 */
import type { BmKernels } from './kernels.js';
import { RiemannianLbfgs } from './riemannian.js';
import { RiemannianNewton } from './newton.js';

export const BM_ALGOS = ['auto', 'mixing', 'lbfgs', 'newton'] as const;
export type BmAlgo = (typeof BM_ALGOS)[number];
export const DEFAULT_ALGO: BmAlgo = 'auto';
/**
 * 'auto' runs the mixing method and switches to Riemannian L-BFGS when the per-sweep gain ratio
 * (gain_t / gain_{t-20})^(1/20) exceeds this: mixing converges linearly with a rate that settles
 * near 0.98-0.994 on G1, G14 and the SDPLIB files but creeps towards 1 on the +-1 torus G11,
 * where L-BFGS is several times faster (bench/RESULTS.md).
 */
export const AUTO_SWITCH_RATIO = 0.995;

/**
 * 'auto' with over-relaxation: when the per-sweep rate over 20 sweeps at the current omega exceeds
 * RAISE_OMEGA_RATE, omega moves halfway to 2 (1.8 -> 1.9 -> 1.95 -> 1.975), up to MAX_OMEGA, and
 * mixing goes on: the switch to L-BFGS is for plain mixing (omega = 1) only. Slow rates mean the
 * optimal over-relaxation is closer to 2 (for linear Gauss-Seidel, omega_opt = 2 / (1 +
 * sqrt(1 - rho_J^2)) -> 2 as the Jacobi radius rho_J -> 1). Measured on the +-1 torus G11, to a
 * certified 1e-6: pure mixing 3398 sweeps at a fixed 1.8, 1627 at 1.9, 905 at 1.95; 'auto' with the
 * omega rule, seeds 1-3, from rank 16: 1166-1952 sweeps in 0.30-0.43 s without L-BFGS, against
 * 4.0-5.4 s when it still switched to L-BFGS once omega was at its cap (from rank 21: 0.29-0.37 s
 * against 0.36-7.3 s).
 */
export const RAISE_OMEGA_RATE = 0.99;
export const MAX_OMEGA = 1.975;

/** 'newton': mixing until a sweep gains less than this (relative), then trust-region Newton */
export const NEWTON_SWITCH_GAIN = Number(process.env.BNNRELAX_NEWTON_SWITCH ?? 1e-7);

export class BmIteration {
  /** <C, V V'> at the current V */
  objective: number;
  iterations = 0;
  /** for 'auto': the iteration at which it switched from mixing to L-BFGS, if it did */
  switchedAt: number | undefined;
  private lbfgs: RiemannianLbfgs | undefined;
  private newton: RiemannianNewton | undefined;
  private readonly gains: number[] = [];
  /** the over-relaxation of the mixing sweeps now ('auto' raises it on slow rates) */
  omega: number;
  /** the gain index from which the current omega has run */
  private omegaSince = 0;

  /**
   * `iterations`: those already run on a smaller factor (the rank staircase counts them all);
   * `omega`: the over-relaxation of the mixing sweeps (mixing.ts)
   */
  constructor(private readonly kernels: BmKernels, private readonly n: number, private readonly algo: BmAlgo, iterations = 0, omega = 1) {
    this.omega = omega;
    this.iterations = iterations;
    this.lbfgs = algo === 'lbfgs' ? new RiemannianLbfgs(kernels, n) : undefined;
    this.objective = this.lbfgs ? this.lbfgs.value : kernels.multipliers(new Float64Array(n));
  }

  /** One iteration; returns its gain in <C, V V'>. */
  /** whether the iteration is now second order (each step many Hessian products: check after each) */
  get secondOrder(): boolean {
    return this.newton !== undefined;
  }

  /** Hessian-vector products of the Newton end game so far */
  get hessianProducts(): number {
    return this.newton?.hessianProducts ?? 0;
  }

  step(): number {
    let gain: number;
    if (this.newton) gain = this.newton.step();
    else if (!this.lbfgs) {
      gain = this.kernels.sweep(this.omega);
      if (this.algo === 'auto') {
        const gains = this.gains;
        gains.push(gain);
        const t = gains.length - 1;
        // the per-sweep rate over 20 sweeps, all run at the current omega
        const rate = t >= this.omegaSince + 40 ? (gains[t]! / gains[t - 20]!) ** (1 / 20) : 0;
        if (rate > RAISE_OMEGA_RATE && this.omega > 1 && this.omega < MAX_OMEGA) {
          this.omega = Math.min(MAX_OMEGA, 2 - (2 - this.omega) / 2);
          this.omegaSince = t;
        } else if (rate > AUTO_SWITCH_RATIO && this.omega === 1) {
          this.lbfgs = new RiemannianLbfgs(this.kernels, this.n);
          this.switchedAt = this.iterations + 1;
        }
      }
      if (this.algo === 'newton') {
        const gains = this.gains;
        gains.push(gain);
        const t = gains.length - 1;
        const rel = gain / Math.max(1, Math.abs(this.objective + gain));
        if (rel < NEWTON_SWITCH_GAIN || (t >= 40 && (gains[t]! / gains[t - 20]!) ** (1 / 20) > AUTO_SWITCH_RATIO)) {
          this.newton = new RiemannianNewton(this.kernels, this.n);
          this.switchedAt = this.iterations + 1;
        }
      }
    } else gain = this.lbfgs.step();
    this.objective += gain;
    this.iterations++;
    return gain;
  }

  /**
   * Whether more iterations cannot help: the L-BFGS line search keeps failing, or a sweep gained
   * nothing measurable (e.g. a rank-deficient stationary point).
   */
  stalled(relGain: number): boolean {
    if (this.newton) return this.newton.stalled;
    return this.lbfgs !== undefined ? this.lbfgs.stalled : relGain < 1e-15 && this.iterations > 10;
  }
}
