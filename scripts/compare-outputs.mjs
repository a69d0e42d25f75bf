#!/usr/bin/env node
/**
 * Behaviour guard for refactors: runs a fixed list of CLI commands, strips the fields that
 * measure time (and nothing else), and either records the outputs into a folder or compares them
 * with a recorded folder byte for byte.
 *
 *   node scripts/compare-outputs.mjs record DIR    # before a refactor
 *   node scripts/compare-outputs.mjs compare DIR   # after it: lists every differing command
 *
 * Needs a built dist/ (npm run build) and, for the `sdp` cases, ../shared/data (or
 * $BNNRELAX_DATA); cases whose input is missing are reported as skipped, never as equal.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

const [mode, dirArg] = process.argv.slice(2);
if ((mode !== 'record' && mode !== 'compare') || !dirArg) {
  process.stderr.write('usage: node scripts/compare-outputs.mjs record|compare DIR\n');
  process.exit(2);
}
const dir = resolve(dirArg);
const root = resolve(new URL('..', import.meta.url).pathname);
const data = process.env.BNNRELAX_DATA ?? resolve(root, '../shared/data');

/** Fields whose values are wall-clock measurements; everything else must stay identical. */
const TIMING = /(Ms|Seconds|PerSecond)$|^ms[A-Z]|^(time|seconds|ms|wall|loadAverage|load)$/;
/**
 * Fields added on purpose since the recording (named in the closing notes): `provenance` on bench
 * rows (version, commit, Node, parameters, cores) differs by design between checkouts.
 */
const ADDED = new Set(['provenance']);
function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (!TIMING.test(k) && !ADDED.has(k)) out[k] = strip(v);
    return out;
  }
  return value;
}
/** Each line that parses as JSON is normalised; the rest is kept as it is. */
function normalise(text) {
  const trimmed = text.trim();
  try {
    return JSON.stringify(strip(JSON.parse(trimmed)), null, 1) + '\n';
  } catch {
    return text
      .split('\n')
      .map((line) => {
        try {
          return JSON.stringify(strip(JSON.parse(line)));
        } catch {
          return line;
        }
      })
      .join('\n');
  }
}

const specs = ['bqp:n=14,density=0.5,seed=3', 'lsq:n=12,m=24,noise=0.5,seed=2', 'teacher:n=12,m=60,test=200,noise=0.1,loss=hinge,seed=4', 'teacher:n=12,m=60,test=200,noise=0.1,loss=squared,seed=5', 'mlp:data=moons,arch=16-8-2,seed=1'];
const solverNames = ['exact', 'ste', 'bop', 'local', 'bm', 'md', 'bayesbinn', 'vispa'];
const cases = [];
cases.push({ name: 'demo', args: ['demo', '--json'] });
const smokeOut = join(tmpdir(), `bnnrelax-compare-smoke-${process.pid}.jsonl`);
cases.push({ name: 'bench-smoke', args: ['bench', 'smoke', '--json'] });
for (const spec of specs) {
  for (const s of solverNames) {
    if (s === 'exact' && spec.startsWith('mlp')) continue;
    cases.push({ name: `solve-${s}-${spec.split(':')[0]}-${spec.replace(/[^a-z0-9]+/gi, '_')}`, args: ['solve', '--problem', spec, '--solver', s, '--json'] });
  }
}
cases.push({ name: 'solve-bm-polish', args: ['solve', '--problem', specs[0], '--solver', 'bm', '--polish', '--json'] });
cases.push({ name: 'solve-ste-polish', args: ['solve', '--problem', specs[1], '--solver', 'ste', '--polish', '--json'] });
for (const sub of ['sdplib', 'gset']) {
  const folder = join(data, sub);
  if (!existsSync(folder)) continue;
  for (const f of readdirSync(folder).sort()) {
    if (f === 'G1.txt' || f === 'G11.txt' || f === 'maxG11.dat-s') continue; // the slow ones: covered by the reference suite
    cases.push({ name: `sdp-${f}`, args: ['sdp', join(folder, f), '--json'] });
  }
}
cases.push({ name: 'estimators', args: ['estimators', '--samples', '1,10,100', '--budget', '200', '--max-reps', '3', '--json'] });
cases.push({ name: 'estimators-problem', args: ['estimators', '--problem', 'bqp:n=8,seed=2', '--samples', '1,10', '--budget', '50', '--json'] });
cases.push({ name: 'train-moons', args: ['train', '--data', 'moons', '--arch', '16-8-2', '--epochs', '3', '--json'] });
cases.push({ name: 'train-iris-md', args: ['train', '--data', 'iris', '--arch', '32-8-3', '--epochs', '3', '--solver', 'md', '--json'] });
cases.push({ name: 'train-iris-vispa', args: ['train', '--data', 'iris', '--arch', '32-8-3', '--epochs', '3', '--solver', 'vispa', '--json'] });
cases.push({ name: 'train-moons-bayesbinn', args: ['train', '--data', 'moons', '--arch', '16-8-2', '--epochs', '3', '--solver', 'bayesbinn', '--json'] });

/** A recording made with an older TIMING list is normalised again, so the list can grow. */
function renormalise(recorded) {
  const nl = recorded.indexOf('\n');
  return recorded.slice(0, nl + 1) + normalise(recorded.slice(nl + 1));
}

if (mode === 'record') {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}
let differ = 0;
let missing = 0;
for (const c of cases) {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...c.args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const text = `rc=${r.status}\n${normalise(r.stdout)}`;
  const file = join(dir, `${c.name}.txt`);
  if (mode === 'record') {
    writeFileSync(file, text);
    process.stdout.write(`recorded ${c.name} (rc ${r.status})\n`);
  } else if (!existsSync(file)) {
    missing++;
    process.stdout.write(`MISSING  ${c.name}: not recorded\n`);
  } else if (renormalise(readFileSync(file, 'utf8')) !== text) {
    differ++;
    writeFileSync(`${file}.after`, text);
    process.stdout.write(`DIFFERS  ${c.name} (diff ${file} ${file}.after)\n`);
  } else {
    process.stdout.write(`same     ${c.name}\n`);
  }
}
rmSync(smokeOut, { force: true });
if (mode === 'compare') {
  process.stdout.write(`${cases.length - differ - missing} same, ${differ} differ, ${missing} missing\n`);
  process.exit(differ || missing ? 1 : 0);
}
