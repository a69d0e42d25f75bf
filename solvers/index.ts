/**
 * The solver catalogue. Each later solver (bm, md, bayesbinn, vispa) adds one line here and is
 * then available to `solve`, `demo` and the benchmarks.
 */
import type { Solver } from '../src/core/solver.js';
import { UserError } from '../src/core/errors.js';
import { exactSolver } from './exact.js';
import { steSolver } from './ste.js';
import { bopSolver } from './bop.js';
import { localSolver } from './local.js';
import { bmSolver } from './bm/solver.js';
import { mdSolver } from './md.js';
import { bayesbinnSolver } from './bayesbinn.js';
import { vispaSolver } from './vispa.js';
import { bisnnStSolver } from './bisnn-st.js';
import { bisnnBayesSolver } from './bisnn-bayes.js';
import { intSolver } from './int.js';
import { mipSolver } from './mip/solver.js';

export const solvers: readonly Solver[] = [exactSolver, steSolver, bopSolver, localSolver, bmSolver, mdSolver, bayesbinnSolver, vispaSolver, mipSolver, bisnnStSolver, bisnnBayesSolver, intSolver];

export function findSolver(name: string): Solver {
  const solver = solvers.find((s) => s.name === name);
  if (!solver) throw new UserError(`unknown solver '${name}' (known: ${solvers.map((s) => s.name).join(', ')})`);
  return solver;
}
