/**
 * The bookkeeping every iterative solver shares, in one place (Manopt's `stoppingcriterion` is
 * the model): the wall-clock budget, the best binary point seen so far by the problem's loss, the
 * best-so-far history, and progress reports. Solvers call it in their own order; the rules
 * (what "best" means, when time is up) live here only.
 */
import type { Problem } from '../../src/core/problem.js';
import type { SolveOptions } from '../../src/core/solver.js';
import type { HistoryPoint } from '../../src/core/result.js';
import type { Signs } from '../../src/core/signs.js';

export class RunLoop {
  /** performance.now() when the solve started */
  readonly start = performance.now();
  readonly history: HistoryPoint[] = [];
  /** the best point offered so far (a copy, owned by the loop) */
  best: Signs;
  bestLoss = Infinity;

  constructor(
    private readonly problem: Problem,
    private readonly options: SolveOptions,
  ) {
    this.best = new Int8Array(problem.n).fill(1);
  }

  /** Offers a binary point (its loss computed here unless given); returns that loss. */
  offer(w: Signs, loss = this.problem.loss(w)): number {
    if (loss < this.bestLoss) {
      this.bestLoss = loss;
      this.best = Int8Array.from(w);
    }
    return loss;
  }

  /** Appends the best loss so far at `iteration` to the history. */
  record(iteration: number): void {
    this.history.push({ iteration, loss: this.bestLoss });
  }

  /** Whether the wall-clock budget (--max-time) is spent. */
  timeUp(): boolean {
    return this.options.maxTimeMs !== undefined && performance.now() - this.start > this.options.maxTimeMs;
  }

  /** Reports progress every `every` iterations (and at iteration 0). */
  progress(iteration: number, every = 100): void {
    if (this.options.onProgress && iteration % every === 0) this.options.onProgress(iteration, this.bestLoss);
  }
}
