/**
 * What a solver may require of a problem, each as one check with one message, so that `supports`
 * is a composition of these instead of hand-written tests.
 */
import type { Problem } from '../../src/core/problem.js';

export type Requirement = (problem: Problem, solver: string) => true | string;

export const needsGradient: Requirement = (problem, solver) =>
  problem.lossAndGradient
    ? true
    : `solver '${solver}' needs the loss gradient, which problem '${problem.spec}' does not have (try exact or local)`;

export const needsQuadratic: Requirement = (problem, solver) =>
  problem.quadratic
    ? true
    : `solver '${solver}' needs a quadratic loss w'Qw + 2b'w + c; problem '${problem.kind}' has none (use bqp, lsq, or teacher with loss=squared)`;

/** At most `max` binary variables (with what limits it, for the message). */
export function atMostVariables(max: number, why: string): Requirement {
  return (problem, solver) => (problem.n <= max ? true : `solver '${solver}' ${why} and is limited to n <= ${max} (this problem has n = ${problem.n})`);
}

/** The first requirement that fails, or true. */
export function checkRequirements(problem: Problem, solver: string, requirements: readonly Requirement[]): true | string {
  for (const requirement of requirements) {
    const why = requirement(problem, solver);
    if (why !== true) return why;
  }
  return true;
}
