/**
 * A diagonally constrained SDP instance: optimise <C, X> s.t. diag(X) = 1, X psd. This is the
 * relaxation of every binary quadratic program and of MaxCut (DESIGN.md sections 2-3), and what
 * the SDPA and G-set readers produce.
 */
import type { SymCsr } from './sym-csr.js';

export type Sense = 'max' | 'min';

export interface DiagSdp {
  /** a short name for reports (the file's base name) */
  readonly name: string;
  readonly n: number;
  readonly C: SymCsr;
  readonly sense: Sense;
  /** what the reader changed or noticed (merged duplicates, ...): said to the user, never silent */
  readonly notes: string[];
}
