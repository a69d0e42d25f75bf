/**
 * Side by side with the public C Mixing code (locuslab/mixing, built by the user: `bench sdp
 * --mixing PATH` or MIXING_BIN; never vendored). For each instance, alternately: our solve to a
 * CERTIFIED relative gap of 1e-6 (solve + certificate time, parsing and rounding excluded), and
 * theirs to an UNCERTIFIED 1e-6: the first sweep whose printed objective is within 1e-6 relative
 * of the published SDP optimum (an oracle criterion Mixing itself cannot check), timed by its own
 * clock (iterations only, from its log). Medians of --repeat runs; ratio = ours / theirs.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SymCsr } from '../core/sym-csr.js';
import { UserError } from '../core/errors.js';

export interface MixingRun {
  /** sweeps until the objective was within relTol of the target (or all it ran) */
  iterations: number;
  /** its own clock at that sweep, ms */
  timeMs: number;
  msPerIteration: number;
  reached: boolean;
  rank: number;
  objective: number;
}

/**
 * The instance as a rudy edge list w_ij = -4 C_ij (i < j): Mixing maximises the cut
 * sum w_ij (1 - X_ij) / 2, which is <C, X> less `offset` = sum_i C_ii - sum_{i<j} w_ij / 2 (zero for
 * C = L/4, the G-set and SDPLIB MaxCut form).
 */
export function writeRudy(C: SymCsr, path: string): { offset: number } {
  const lines: string[] = [];
  let wsum = 0;
  let dsum = 0;
  for (let i = 0; i < C.n; i++) {
    dsum += C.diag[i]!;
    for (let p = C.rowPtr[i]!; p < C.rowPtr[i + 1]!; p++) {
      const j = C.col[p]!;
      if (j <= i) continue;
      const w = -4 * C.val[p]!;
      wsum += w;
      lines.push(`${i + 1} ${j + 1} ${w}`);
    }
  }
  writeFileSync(path, `${C.n} ${lines.length}\n${lines.join('\n')}\n`);
  return { offset: dsum - wsum / 2 };
}

/** Runs the binary until its objective (+ offset) is within relTol of target, then stops it. */
export function runMixing(bin: string, C: SymCsr, target: number, relTol: number, maxTimeMs: number): Promise<MixingRun> {
  const dir = mkdtempSync(join(tmpdir(), 'bnnrelax-mixing-'));
  const file = join(dir, 'instance.txt');
  const { offset } = writeRudy(C, file);
  return new Promise((resolve, reject) => {
    // -e 0 and a huge -t: it never stops on its own criterion; we stop it at the target
    const child = spawn(bin, ['-s', 'maxcut', '-e', '0', '-t', 'max', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let rank = 0;
    let pending = '';
    let run: MixingRun | undefined;
    let last = { iterations: 0, timeMs: 0, objective: NaN };
    const timer = setTimeout(() => child.kill('SIGKILL'), maxTimeMs);
    const finish = () => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (run) return;
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const head = /^MAXCUT n=\d+ k=(\d+)/.exec(line);
        if (head) rank = Number(head[1]);
        const m = /^iter\s+(\d+)\s+time\s+(\S+)\s+fval\s+(\S+)/.exec(line);
        if (!m) continue;
        last = { iterations: Number(m[1]), timeMs: 1000 * Number(m[2]), objective: -Number(m[3]) + offset };
        if (last.iterations > 0 && Math.abs(last.objective - target) <= relTol * Math.abs(target)) {
          run = { ...last, msPerIteration: last.timeMs / last.iterations, reached: true, rank };
          child.kill('SIGKILL');
          return;
        }
      }
    });
    child.on('error', (e) => {
      finish();
      reject(new UserError(`--mixing ${bin}: cannot run it (${(e as NodeJS.ErrnoException).code ?? e.message})`));
    });
    child.on('close', () => {
      finish();
      resolve(run ?? { ...last, msPerIteration: last.timeMs / Math.max(1, last.iterations), reached: false, rank });
    });
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : 0.5 * (s[m - 1]! + s[m]!);
}
