/**
 * The worker thread of estimator-pool.ts: runs each study task it receives and replies with its
 * errors (or the message of what went wrong).
 */
import { parentPort } from 'node:worker_threads';
import { runStudyTask, type StudyTask } from './estimator-task.js';
import type { WorkerReply } from './estimator-pool.js';

parentPort!.on('message', (task: StudyTask) => {
  let reply: WorkerReply;
  try {
    reply = { errors: runStudyTask(task) };
  } catch (e) {
    reply = { error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
