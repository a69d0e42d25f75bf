import { loadProblem } from '../problems/index.js';
const p = loadProblem('maxcut:n=6,density=0.7,seed=3');
const Q = p.quadratic!; const n = p.n;
// cut by edges
const w = Int8Array.from([1,-1,1,1,-1,-1]);
let cut = 0; for (let i=0;i<n;i++) for (let j=i+1;j<n;j++) { const e = Q.Q[i*n+j]! * 4; cut += e * (1 - w[i]!*w[j]!)/2; }
console.log(cut, -p.loss(w), p.objective!(w));
