import { solveDiagSdp } from '../solvers/bm/solve-sdp.js';
import { symCsrFromDense } from '../src/numerics/csr.js';
import { Rng } from '../src/numerics/rng.js';
import { mixingSweep } from '../solvers/bm/mixing.js';
import { randomFactor } from '../solvers/bm/factor.js';
const n = 41; const rng = new Rng(1);
const A = new Float64Array(n*n); for (let i=0;i<n;i++) for (let j=i+1;j<n;j++){const v=rng.normal();A[i*n+j]=v;A[j*n+i]=v;}
const C = symCsrFromDense(n, A);
let t = performance.now();
for (let r=0;r<200;r++) solveDiagSdp(C,'min',{seed:r, tol:1e-4, rounds:10, verify:'cholesky'});
console.log('full solve ms', ((performance.now()-t)/200).toFixed(3));
const V = randomFactor(n, 11, rng); const g = new Float64Array(11);
t = performance.now(); for (let r=0;r<5000;r++) mixingSweep(C, V, 11, g);
console.log('sweep us', ((performance.now()-t)/5000*1000).toFixed(2));
t = performance.now();
for (let r=0;r<200;r++) solveDiagSdp(C,'min',{seed:r, tol:1e-4, rounds:10, verify:'cholesky'});
console.log('full solve ms', ((performance.now()-t)/200).toFixed(3));
