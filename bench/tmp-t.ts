import { writeFileSync } from 'node:fs';
import { loadProblem } from '../problems/index.js';
writeFileSync('/tmp/q.json', JSON.stringify({ n: 3, Q: [[0, 1, 2], [1, 1, -3]], sense: 'min', vars: '01', integer: true }));
try { const p = loadProblem('qubo:file=/tmp/q.json'); console.log(p.spec, p.loss(Int8Array.from([1,1,1]))); } catch (e) { console.log((e as Error).message); }
