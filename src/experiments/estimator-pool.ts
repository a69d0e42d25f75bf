/**
 * Runs study tasks (estimator-task.ts) on worker threads: the parts of an estimator study are
 * independent (each has its own session and seeded random stream), so spreading them over threads
 * changes nothing but the wall time. Tasks are handed out in the order given (put the longest
 * first) to whichever worker is free; results come back in the tasks' order. With one thread, or
 * where the compiled worker script is absent (the TypeScript sources under vitest or tsx), the
 * tasks run one after another in this thread, through the same runStudyTask.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StudyErrors } from './estimator-study.js';
import { runStudyTask, type StudyTask } from './estimator-task.js';

/** What the pool needs of a worker (node's Worker has it; tests pass a stand-in). */
export interface TaskWorker {
  postMessage(task: StudyTask): void;
  on(event: 'message', listener: (reply: WorkerReply) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  terminate(): unknown;
}

export type WorkerReply = { errors: StudyErrors } | { error: string };

const WORKER_SCRIPT = new URL('./estimator-worker.js', import.meta.url);

/** A worker thread running estimator-worker.js, or null where that script is absent. */
export function workerSpawner(): (() => TaskWorker) | null {
  if (!existsSync(fileURLToPath(WORKER_SCRIPT))) return null;
  return () => new Worker(WORKER_SCRIPT);
}

export async function runStudyTasks(
  tasks: readonly StudyTask[],
  threads: number,
  onDone?: (done: number, of: number) => void,
  spawn: (() => TaskWorker) | null = workerSpawner(),
): Promise<StudyErrors[]> {
  const results: StudyErrors[] = new Array(tasks.length);
  const count = Math.min(threads, tasks.length);
  if (count <= 1 || !spawn) {
    tasks.forEach((task, i) => {
      results[i] = runStudyTask(task);
      onDone?.(i + 1, tasks.length);
    });
    return results;
  }
  const workers: TaskWorker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      const feed = (worker: TaskWorker, index: { at: number }) => {
        if (next >= tasks.length) return;
        index.at = next++;
        worker.postMessage(tasks[index.at]!);
      };
      for (let w = 0; w < count; w++) {
        const worker = spawn();
        workers.push(worker);
        const index = { at: -1 };
        worker.on('message', (reply) => {
          if ('error' in reply) {
            reject(new Error(`estimator study task (${tasks[index.at]!.name}): ${reply.error}`));
            return;
          }
          results[index.at] = reply.errors;
          onDone?.(++done, tasks.length);
          if (done === tasks.length) resolve();
          else feed(worker, index);
        });
        worker.on('error', reject);
        feed(worker, index);
      }
    });
  } finally {
    for (const worker of workers) worker.terminate();
  }
  return results;
}
