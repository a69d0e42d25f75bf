/**
 * The problem catalogue: every problem family the CLI can build from a spec string, plus JSON
 * files. Later families (mlp, maxcut files) register here.
 */
import { existsSync, statSync } from 'node:fs';
import { UserError } from '../src/core/errors.js';
import type { Problem } from '../src/core/problem.js';
import { parseSpec, type ParsedSpec } from '../src/core/spec.js';
import { createBiqmacFile, createBqp, createQuboFile, readBqpJson } from './bqp.js';
import { createLsq } from './lsq.js';
import { createTeacher } from './teacher.js';
import { createRandomMaxcut, readMaxcutProblem } from './maxcut.js';
import { createMlp } from './mlp.js';
import { createSnn } from './snn.js';
import { readText, STDIN_PATH } from '../src/formats/text-file.js';

export interface ProblemKind {
  kind: string;
  summary: string;
  example: string;
  create(spec: ParsedSpec): Problem;
}

export const problemKinds: readonly ProblemKind[] = [
  {
    kind: 'bqp',
    summary: 'random binary quadratic program min w\'Qw + 2b\'w + c (keys: n, density, seed)',
    example: 'bqp:n=20,density=0.5,seed=1',
    create: createBqp,
  },
  {
    kind: 'lsq',
    summary: 'binary least squares min |Xw - y|^2, y from a hidden binary teacher plus noise (keys: n, m, noise, seed)',
    example: 'lsq:n=16,m=32,noise=0.5,seed=1',
    create: createLsq,
  },
  {
    kind: 'teacher',
    summary: 'teacher-student binary perceptron (keys: n, m, test, noise, loss=squared|hinge|logistic|01, data=gauss|pm1, seed)',
    example: 'teacher:n=20,m=100,test=1000,noise=0.05,loss=hinge,seed=1',
    create: createTeacher,
  },
  {
    kind: 'mlp',
    summary: 'binary MLP classifier, sign activations, batch-norm thresholds (keys: data=moons|iris|mnist|FILE, arch, train, test, holdout, noise, levels, threshold=t|median, cuts=range|quantile, gain, bn=full|frozen, labels, testdata, testlabels, seed)',
    example: 'mlp:data=moons,arch=16-32-2,seed=1',
    create: createMlp,
  },
  {
    kind: 'snn',
    summary: 'spiking classifier with binary synapses, LIF neurons, local readouts (keys: data=moons|iris|mnist|FILE.csv, hidden, steps, burnin, neurons, train, test, holdout, noise, grad=decolle|bptt, seed)',
    example: 'snn:data=moons,hidden=64-64,seed=1',
    create: createSnn,
  },
  {
    kind: 'maxcut',
    summary: 'seeded random graph as MaxCut, g05 style (weights=one) or pm1s/pm1d style (weights=pm1) (keys: n, density, weights, seed)',
    example: 'maxcut:n=80,density=0.5,weights=one,seed=1',
    create: createRandomMaxcut,
  },
  {
    kind: 'qubo',
    summary: 'a QUBO / BQP JSON file {Q, b, c, sense, vars} (keys: file, sense=file|min|max, int=0|1; docs/exact.md)',
    example: 'qubo:file=problem.json,sense=min',
    create: createQuboFile,
  },
  {
    kind: 'biqmac',
    summary: 'a BiqMac / Beasley sparse BQP file, n m then i j q, x in {0,1}^n (keys: file, sense=min|max (Biq Mac library: min, Beasley: max), int=0|1)',
    example: 'biqmac:file=bqp50-1.sparse,sense=min',
    create: createBiqmacFile,
  },
];

/**
 * A spec string (`kind:key=value,...`), or a file: a JSON BQP `{Q, b, c}`, or a MaxCut / SDP file
 * (SDPA `.dat-s` or G-set graph). `file:PATH` (as results record it) is the same as PATH.
 */
export function loadProblem(specOrFile: string): Problem {
  const path = specOrFile.startsWith('file:') ? specOrFile.slice('file:'.length) : specOrFile;
  if (path === STDIN_PATH || (existsSync(path) && !statSync(path).isDirectory())) {
    // by extension, else by content (standard input, /dev/stdin, a pipe have no extension): a
    // JSON BQP starts with '{', which no SDPA or G-set file does
    const json = /\.json$/i.test(path) || (!/\.(dat-s|txt)$/i.test(path) && readText(path).trimStart().startsWith('{'));
    return json ? readBqpJson(path) : readMaxcutProblem(path);
  }
  // `kind:file=...` specs (qubo, biqmac) name a file but are specs
  const looksLikeSpec = /^[a-z][a-z0-9_-]*:[^=]*=/i.test(specOrFile) && path === specOrFile;
  if (!looksLikeSpec && (/\.(json|dat-s|txt)$/i.test(path) || path !== specOrFile)) throw new UserError(`${path}: no such file`);
  const spec = parseSpec(specOrFile);
  const family = problemKinds.find((p) => p.kind === spec.kind);
  if (!family) {
    const known = problemKinds.map((p) => p.kind).join(', ');
    throw new UserError(`unknown problem '${spec.kind}' in '${specOrFile}' (known kinds: ${known}; or give a JSON file {Q, b, c})`);
  }
  return family.create(spec);
}
