/**
 * Symmetric sparse matrices for the diagonally constrained SDP: the diagonal kept apart from the
 * off-diagonal part (stored in full, both triangles, compressed rows). Row-wise access to the
 * off-diagonal part is what the mixing method, the multipliers and Lanczos all need.
 */
export interface SymCsr {
  readonly n: number;
  /** the diagonal entries A_ii */
  readonly diag: Float64Array;
  /** row i's off-diagonal entries are col/val[rowPtr[i] .. rowPtr[i+1]) */
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}
