/**
 * One part of one estimator's study on one network checkpoint, as plain data that a worker thread
 * can receive (structured clone): the network's sizes, parameters and data, the estimator's name
 * and options, the study options and the exact gradient. runStudyTask rebuilds the network and the
 * estimator and returns the part's errors; it is what a worker runs and what the protocol runs in
 * its own thread, so both give the same numbers.
 */
import { StochasticBinaryNetwork } from '../../problems/sbn.js';
import { createEstimator, type EstimatorOptions } from '../../solvers/estimators/index.js';
import type { UnitCoding } from '../formats/sbn-network.js';
import { studyErrors, type StudyErrors, type StudyOptions, type StudyPart } from './estimator-study.js';

export interface StudyTask {
  /** which checkpoint and estimator (the caller's indices, returned unchanged) */
  checkpoint: number;
  estimator: number;
  network: { sizes: number[]; params: Float64Array; X: Float64Array; y: Float64Array; count: number };
  /** the estimator's catalogue name (createEstimator) and options */
  name: string;
  options: EstimatorOptions;
  study: Omit<StudyOptions, 'transform' | 'onProgress'>;
  /** the coordinates errors are measured in */
  units: UnitCoding;
  exact: Float64Array;
  part: StudyPart;
}

export function runStudyTask(task: StudyTask): StudyErrors {
  const { sizes, params, X, y, count } = task.network;
  const net = new StochasticBinaryNetwork(sizes, { X, y, count }, null);
  net.params.set(params);
  const transform = task.units === '01' ? (g: Float64Array, out: Float64Array) => net.gradientInUnits('01', g, out) : undefined;
  const estimator = createEstimator(task.name, undefined, task.options);
  return studyErrors(net, estimator, task.exact, { ...task.study, ...(transform ? { transform } : {}) }, task.part);
}
