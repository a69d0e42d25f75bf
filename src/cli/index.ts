/**
 * bnnrelax as a library: `import { loadProblem, findSolver, runSolver } from 'bnnrelax'`.
 * This file is the package's one public entry point (package.json `exports`). It lives in the top
 * layer beside the commands: both front ends may import solvers/ and problems/, nothing below may; everything a
 * researcher calls from code is re-exported here, with its types, and the README's "Use from
 * code" section shows it in use. Deep imports into dist/ are not part of the API.
 */

// contracts
export type { Problem, QuadraticForm, FlipState, Scores } from '../core/problem.js';
export type { Solver, SolverDefinition, SolveOptions, ParamSpec, ParamValue, ParamsOf } from '../core/solver.js';
export { defineSolver, runSolver, resolveParams } from '../core/solver.js';
export type { SolverResult, HistoryPoint } from '../core/result.js';
export { weightsOf } from '../core/result.js';
export type { Signs } from '../core/signs.js';
export { signsFromString, signsToString } from '../core/signs.js';
export { UserError } from '../core/errors.js';
export type { DiagSdp, Sense } from '../core/diag-sdp.js';
export type { SymCsr } from '../core/sym-csr.js';
export type { PackedMatrix } from '../core/bits.js';
export { packRows, packSigns, unpackSigns } from '../core/bits.js';

// numerics
export { Rng } from '../numerics/rng.js';
export { symCsrFromTriplets, symCsrFromDense, symCsrToDense } from '../numerics/csr.js';
export { provePsd, analysePsd, type PsdProof, type PsdProofOptions } from '../numerics/psd-proof.js';

// problems and solvers
export { loadProblem, problemKinds, type ProblemKind } from '../../problems/index.js';
export { solvers, findSolver } from '../../solvers/index.js';

// the SDP solver and its certificate
export { solveDiagSdp, type BmOptions, type BmSolution, type BmAlgo } from '../../solvers/bm/solve-sdp.js';

// formats
export { readDiagSdp } from '../formats/sdp-file.js';
export { parseSdpa } from '../formats/sdpa.js';
export { parseGset } from '../formats/gset.js';
export { createModel, loadModel, parseModel, saveModel, modelToJson, type BinaryModel } from '../formats/model.js';
export { encodeBits, fitEncoding, fixedEncoding, type InputEncoding } from '../formats/input-encoding.js';

// XNOR-popcount kernels and model evaluation
export { xnorDot, xnorGemm, xnorGemmReference } from '../xnor/dot.js';
export { createXnorBackend, defaultXnorBackend, XNOR_BACKENDS, BackendUnavailable, type XnorBackend } from '../xnor/index.js';
export { predict, evaluateModel } from '../xnor/bnn-forward.js';
