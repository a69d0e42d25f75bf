/**
 * `bnnrelax bench snn`: the BiSNN two-moons experiment (Jang, Skatchkovsky & Simeone 2020,
 * params_twomoons_*.yml), scaled down for a small machine. Both rules train on the same problem
 * with the paper's hyper-parameters (ST: lr 750, batch 32; Bayes: lr 0.1, tau 1, rho 5e-4 per
 * step, p0 1/2, batch 40, 10-network ensemble); what is smaller than the paper is listed in
 * SNN_SCALE. It prints test accuracy and ECE of the ST network, the Bayes MAP network
 * sign(lambda) and the Bayes ensemble, and writes three SVGs next to --out (or into the current
 * folder): the reliability diagram and the decision-and-uncertainty maps over the unit square.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createSnn, type SnnProblem } from '../../problems/snn.js';
import { bisnnStSolver } from '../../solvers/bisnn-st.js';
import { bisnnBayesSolver, trainBayesBisnn } from '../../solvers/bisnn-bayes.js';
import { parseSpec } from '../core/spec.js';
import { resolveParams, runSolver } from '../core/solver.js';
import { signsFromString } from '../core/signs.js';
import type { Io } from '../core/io.js';
import { argmaxRows, calibration, type Calibration } from '../numerics/calibration.js';
import { decisionMapSpec, reliabilitySpec, type MapPoint } from '../report/reliability-plot.js';
import { vegaLiteToSvg } from '../report/svg-plot.js';
import { formatNumber, formatTable } from '../report/table.js';
import type { BenchFlags, BenchSuite, BenchUnit, CaseRow } from './suite.js';

/** What this suite runs, against the paper's setting. */
export interface SnnScale {
  hidden: string;
  epochs: number;
  test: number;
  grid: number;
  /** further spec keys (tests shrink steps and the training set) */
  extra?: string;
}

export const SNN_SCALE: SnnScale = { hidden: '64-64', epochs: 60, test: 500, grid: 30 };
export const SNN_PAPER = { hidden: '256-256', epochs: 5000, grid: 100 } as const;

export type SnnRow = {
  case: string;
  suite: 'snn';
  problem: string;
  seed: number;
  rule: string;
  network: string;
  testAccuracy: number;
  ece: number;
  trainSeconds: number;
  epochs: number;
};

/** Probabilities of one binary network on packed spike rows. */
function probabilitiesOn(problem: SnnProblem, w: Int8Array, set: { count: number; spikes: SnnProblem['train']['spikes'] }): Float64Array {
  return problem.probabilitiesFromScores(problem.binaryPass(w, set).scores, set.count);
}

/** The grid's cell centres over [0,1]^2, row-major in (x, y). */
function unitGrid(cells: number): Float64Array {
  const out = new Float64Array(cells * cells * 2);
  for (let i = 0; i < cells; i++) {
    for (let j = 0; j < cells; j++) {
      out[2 * (i * cells + j)] = (i + 0.5) / cells;
      out[2 * (i * cells + j) + 1] = (j + 0.5) / cells;
    }
  }
  return out;
}

/** Map points from per-network probabilities: the ensemble's class and how many networks disagree. */
function mapPoints(grid: Float64Array, networks: Float64Array[], classes: number): MapPoint[] {
  const count = grid.length / 2;
  const mean = new Float64Array(count * classes);
  for (const p of networks) for (let k = 0; k < mean.length; k++) mean[k]! += p[k]! / networks.length;
  const ensemble = argmaxRows(mean, classes);
  const votes = networks.map((p) => argmaxRows(p, classes).predicted);
  return Array.from({ length: count }, (_, r) => ({
    x: grid[2 * r]!,
    y: grid[2 * r + 1]!,
    predicted: ensemble.predicted[r]!,
    uncertainty: networks.length > 1 ? votes.filter((v) => v[r] !== ensemble.predicted[r]).length / networks.length : 1 - ensemble.confidence[r]!,
  }));
}

async function writeSvg(path: string, spec: Parameters<typeof vegaLiteToSvg>[0]): Promise<void> {
  writeFileSync(path, await vegaLiteToSvg(spec));
}

export function snnSpec(seed: number, scale: SnnScale = SNN_SCALE): string {
  return `snn:data=moons,hidden=${scale.hidden},test=${scale.test},${scale.extra ? `${scale.extra},` : ''}seed=${seed}`;
}

const NETWORKS = [
  ['ST-BiSNN', 'sign(u)'],
  ['Bayes-BiSNN', 'MAP sign(lambda)'],
  ['Bayes-BiSNN', 'ensemble of 10'],
] as const;

export function snnCaseId(spec: string, rule: string, network: string): string {
  return `${spec}|${rule}|${network}`;
}

/**
 * Trains both rules on the two-moons problem of `seed`, evaluates them and writes the three SVGs
 * into `folder`; returns one row per network (case ids as in snnCaseId) and the plots' paths.
 */
export async function runSnnExperiment(seed: number, folder: string, scale: SnnScale = SNN_SCALE): Promise<{ rows: SnnRow[]; plots: string[] }> {
  const spec = snnSpec(seed, scale);
  const problem = createSnn(parseSpec(spec));
  const rows: SnnRow[] = [];
  const grid = unitGrid(scale.grid);
  const gridSpikes = problem.encodeUnitPoints(grid, scale.grid ** 2, seed);
  const labels = problem.test.labels;
  const K = problem.classes;
  const record = (rule: string, network: string, c: Calibration, seconds: number, epochs: number) => {
    rows.push({ case: snnCaseId(spec, rule, network), suite: 'snn', problem: spec, seed, rule, network, testAccuracy: c.accuracy, ece: c.ece, trainSeconds: seconds, epochs });
  };

  const st = await runSolver(bisnnStSolver, problem, { seed, params: { epochs: scale.epochs } });
  const stW = signsFromString(st.weights);
  const stCal = calibration(probabilitiesOn(problem, stW, problem.test), labels, K);
  record('ST-BiSNN', 'sign(u)', stCal, st.timeMs / 1000, scale.epochs);

  const bayesParams = resolveParams(bisnnBayesSolver, { epochs: scale.epochs }) as Parameters<typeof trainBayesBisnn>[2];
  const bayes = trainBayesBisnn(problem, { seed }, bayesParams);
  const evaluation = bayes.evaluation!;
  const mapCal = evaluation.map;
  record('Bayes-BiSNN', 'MAP sign(lambda)', mapCal, bayes.result.timeMs / 1000, scale.epochs);
  const samples = evaluation.networks;
  const ensCal = evaluation.ensemble;
  record('Bayes-BiSNN', `ensemble of ${samples.length}`, ensCal, bayes.result.timeMs / 1000, scale.epochs);
  const gridNets = samples.map((w) => probabilitiesOn(problem, w, gridSpikes));

  const train = Array.from({ length: problem.train.count }, (_, r) => ({ x: problem.trainPoints[2 * r]!, y: problem.trainPoints[2 * r + 1]!, label: problem.train.labels[r]! }));
  const paths = {
    reliability: join(folder, 'snn-reliability.svg'),
    bayesMap: join(folder, 'snn-map-bayes.svg'),
    stMap: join(folder, 'snn-map-st.svg'),
  };
  const name = (what: string, c: Calibration) => `${what} (acc ${formatNumber(c.accuracy, 3)}, ECE ${formatNumber(c.ece, 3)})`;
  await writeSvg(
    paths.reliability,
    reliabilitySpec(
      [
        { name: name('ST-BiSNN', stCal), bins: stCal.bins },
        { name: name('Bayes-BiSNN MAP', mapCal), bins: mapCal.bins },
        { name: name(`Bayes-BiSNN ensemble of ${samples.length}`, ensCal), bins: ensCal.bins },
      ],
      `Reliability on ${labels.length} two-moons test points (${spec})`,
    ),
  );
  const gridText = `${scale.grid} x ${scale.grid} grid, one spike train per point`;
  await writeSvg(
    paths.bayesMap,
    decisionMapSpec(mapPoints(grid, gridNets, K), scale.grid, `Bayes-BiSNN, ensemble of ${samples.length} (${gridText})`, 'share of networks disagreeing', train),
  );
  await writeSvg(
    paths.stMap,
    decisionMapSpec(mapPoints(grid, [probabilitiesOn(problem, stW, gridSpikes)], K), scale.grid, `ST-BiSNN, one network (${gridText})`, '1 - confidence', train),
  );

  return { rows, plots: [paths.reliability, paths.bayesMap, paths.stMap] };
}

/** One unit per seed: the two trainings share the problem, and the plots need all three networks. */
function snnUnits(flags: BenchFlags, io: Io, scale: SnnScale): BenchUnit[] {
  const spec = snnSpec(flags.seed, scale);
  const caseIds = NETWORKS.map(([rule, network]) => snnCaseId(spec, rule, network));
  return [
    {
      key: spec,
      caseIds,
      async run(done, { emit }) {
        if (caseIds.every((id) => done.has(id))) return;
        const folder = flags.out ? dirname(flags.out) : '.';
        const { rows, plots } = await runSnnExperiment(flags.seed, folder, scale);
        for (const row of rows) if (!done.has(row.case)) emit(row, { scale, paper: SNN_PAPER });
        if (!flags.json) io.out(`plots: ${plots.join(', ')}\n`);
      },
    },
  ];
}

export function printSnnRows(rows: readonly CaseRow[], io: Io): void {
  const mine = rows.filter((r) => r.suite === 'snn') as unknown as SnnRow[];
  io.out(
    formatTable(
      ['seed', 'rule', 'network', 'test accuracy', 'ECE', 'train s'],
      mine.map((r) => [r.seed, r.rule, r.network, formatNumber(r.testAccuracy, 4), formatNumber(r.ece, 4), formatNumber(r.trainSeconds, 3)]),
    ),
  );
}

/** The suite at a given scale (tests run it tiny); `bench snn` is SNN_SCALE. */
export function snnSuiteAt(scale: SnnScale): BenchSuite {
  return {
    name: 'snn',
    summary: 'BiSNN on two moons: ST and Bayes rules, MAP and ensemble accuracy and ECE, reliability and uncertainty maps (SVG)',
    units: (flags, io) => snnUnits(flags, io, scale),
    header: (flags, io) =>
      io.out(`bench snn: ${snnSpec(flags.seed, scale)}, ${scale.epochs} epochs (paper: ${SNN_PAPER.hidden}, ${SNN_PAPER.epochs} epochs), seed ${flags.seed}\n`),
    summarise: (rows, _flags, io) => printSnnRows(rows, io),
  };
}

export const snnBenchSuite: BenchSuite = snnSuiteAt(SNN_SCALE);
