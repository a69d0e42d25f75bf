/**
 * The one runner of every bench suite: shards the suite's units (shard.ts), resumes from and
 * appends to the results file (formats/results-file.ts: fsync per line, torn last line cut off,
 * lock), and stamps every row with its suite and provenance. `mergeResults` puts shard files back
 * together and checks that every case of the suite is there exactly once.
 *
 * Each row's `provenance` says what produced it: package version, git commit, Node version, core
 * count, the parameters the case ran with, and the run's case set (`caseSet`: a hash of every
 * case id of the unsharded suite under these flags; `cases`: their number; `shard`: i/N when
 * sharded). `--resume` refuses a row of another suite, case set, shard or version (the last
 * unless --mix-versions); `bench merge` refuses files of different case sets.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { progressBar } from '../report/progress.js';
import { provenance, provenanceWith, versionDifference, type Provenance } from '../formats/provenance.js';
import { readResultsFile, ResultsWriter, type CaseRow, type ParsedResults } from '../formats/results-file.js';
import { shardText, shardUnits } from './shard.js';
import type { BenchFlags, BenchSuite, BenchUnit } from './suite.js';

export type { BenchUnit, CaseRow };

interface RowProvenance extends Provenance {
  params?: Record<string, unknown>;
  caseSet: string;
  cases: number;
  shard?: string;
}

/** The run's case set: a short hash of the sorted case ids (the order of units does not matter). */
export function caseSetHash(ids: string[]): string {
  return createHash('sha256').update([...ids].sort().join('\n')).digest('hex').slice(0, 16);
}

function allCaseIds(units: BenchUnit[]): string[] {
  const ids = units.flatMap((u) => u.caseIds);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new Error(`bench suite defines case '${id}' twice`);
    seen.add(id);
  }
  return ids;
}

function rowProvenance(row: CaseRow): Partial<RowProvenance> | undefined {
  const p = row.provenance;
  return typeof p === 'object' && p !== null ? (p as Partial<RowProvenance>) : undefined;
}

function describeRun(cases: number | undefined, shard: string | undefined): string {
  return `${cases ?? '?'} cases${shard ? `, shard ${shard}` : ''}`;
}

/** The rows of a file being resumed, by case id; a row this run must not extend is a one-line error. */
function checkResumed(existing: ParsedResults, path: string, suite: string, caseSet: string, ids: ReadonlySet<string>, total: number, flags: BenchFlags): Map<string, CaseRow> {
  const done = new Map<string, CaseRow>();
  const firstLine = new Map<string, number>();
  const shard = flags.shard ? shardText(flags.shard) : undefined;
  existing.rows.forEach((row, k) => {
    const where = `${path}:${existing.lines[k]}`;
    if (row.suite !== suite) {
      throw new UserError(`${where}: a row of ${typeof row.suite === 'string' ? `bench ${row.suite}` : 'no bench suite'}, not of bench ${suite}; give another --out`);
    }
    const p = rowProvenance(row);
    if (!flags.mixVersions) {
      const diff = versionDifference(p, provenance());
      if (diff) throw new UserError(`${where}: ${diff}; --mix-versions resumes it anyway`);
    }
    if (p?.caseSet !== undefined || !flags.mixVersions) {
      if (p?.caseSet !== caseSet || p.shard !== shard) {
        throw new UserError(`${where}: written for another case set (${describeRun(p?.cases, p?.shard)}; this run: ${describeRun(total, shard)}); resume with the --seed, --solvers, --shard and --data it started with`);
      }
    }
    if (!ids.has(row.case)) throw new UserError(`${where}: case '${row.case}' is not one of this run's cases`);
    const before = firstLine.get(row.case);
    if (before !== undefined) throw new UserError(`${where}: case '${row.case}' is already at line ${before}`);
    firstLine.set(row.case, existing.lines[k]!);
    done.set(row.case, row);
  });
  return done;
}

/** Runs a suite (its shard, less the cases already in a resumed --out); returns the rows of this run. */
export async function runSuite(suite: BenchSuite, flags: BenchFlags, io: Io): Promise<CaseRow[]> {
  const units = suite.units(flags, io);
  const ids = allCaseIds(units);
  const caseSet = caseSetHash(ids);
  const mine = shardUnits(units, flags.shard);
  const myIds = new Set(mine.flatMap((u) => u.caseIds));
  const run = { caseSet, cases: ids.length, ...(flags.shard ? { shard: shardText(flags.shard) } : {}) };
  let writer: ResultsWriter | undefined;
  let done = new Map<string, CaseRow>();
  if (flags.out) {
    if (flags.resume && flags.overwrite) throw new UserError('--resume and --overwrite exclude each other');
    writer = ResultsWriter.open(flags.out, flags.resume ? 'resume' : flags.overwrite ? 'overwrite' : 'new', (existing) => {
      done = checkResumed(existing, flags.out!, suite.name, caseSet, myIds, ids.length, flags);
    });
  }
  const rows: CaseRow[] = [];
  try {
    const total = myIds.size;
    let finished = [...myIds].filter((id) => done.has(id)).length;
    const todo = mine.filter((u) => !u.caseIds.every((id) => done.has(id)));
    if (!flags.json && todo.length > 0) suite.header?.(flags, io);
    const bar = progressBar(io, total, `bench ${suite.name}`);
    bar.update(finished);
    const reported = new Set<string>();
    const record = (row: CaseRow, params?: Record<string, unknown>) => {
      if (!myIds.has(row.case) || done.has(row.case) || reported.has(row.case)) throw new Error(`bench ${suite.name}: case '${row.case}' reported twice or not declared`);
      reported.add(row.case);
      const line: CaseRow = { ...row, suite: suite.name, provenance: { ...provenanceWith(params), ...run } };
      writer?.append(line);
      finished++;
      bar.update(finished, row.case);
      return line;
    };
    try {
      for (const unit of todo) {
        await unit.run(done, {
          emit(row, params) {
            const line = record(row, params);
            if (flags.json) io.out(JSON.stringify(line) + '\n');
            rows.push(row);
          },
          skip(caseId, reason) {
            record({ case: caseId, skipped: reason });
          },
        });
      }
    } finally {
      bar.stop();
    }
  } finally {
    writer?.close();
  }
  if (!flags.json) suite.summarise?.(rows, flags, io);
  return rows;
}

/**
 * Merges shard files of one run: every row of one suite and one case set, every case of the
 * suite (for `flags`: the --seed, --solvers and --data the shards ran with) exactly once. Missing
 * or duplicated cases are listed on stdout, one per line, and the merge fails; otherwise the rows
 * go, in the suite's case order, to --out (refused if it holds results, unless --overwrite) or to
 * stdout. Returns the merged rows.
 */
export function mergeResults(files: string[], suites: readonly BenchSuite[], flags: BenchFlags, io: Io): CaseRow[] {
  if (files.length === 0) throw new UserError('bench merge: give the results files to merge');
  const found: { row: CaseRow; where: string }[] = [];
  for (const file of files) {
    const parsed = readResultsFile(file);
    parsed.rows.forEach((row, k) => found.push({ row, where: `${file}:${parsed.lines[k]}` }));
  }
  if (found.length === 0) throw new UserError(`bench merge: no results in ${files.join(', ')}`);
  const first = found[0]!;
  const name = first.row.suite;
  const suite = suites.find((s) => s.name === name);
  if (!suite) throw new UserError(`${first.where}: ${typeof name === 'string' ? `unknown bench suite '${name}'` : 'no bench suite named in the row'}`);
  const firstProv = rowProvenance(first.row);
  for (const { row, where } of found) {
    if (row.suite !== name) throw new UserError(`${where}: a row of bench ${String(row.suite)}, while ${first.where} is of bench ${name}`);
    const p = rowProvenance(row);
    if (p?.caseSet === undefined) throw new UserError(`${where}: no case set recorded (written by an older bnnrelax); cannot check the merge`);
    if (p.caseSet !== firstProv?.caseSet) throw new UserError(`${where}: another case set (${describeRun(p.cases, undefined)}) than ${first.where} (${describeRun(firstProv?.cases, undefined)}): shards of different runs`);
    if (!flags.mixVersions && (p.version !== firstProv.version || p.commit !== firstProv.commit)) {
      throw new UserError(`${where}: written by bnnrelax ${p.version}${p.commit ? ` (commit ${p.commit.slice(0, 12)})` : ''}, ${first.where} by ${firstProv.version}${firstProv.commit ? ` (commit ${firstProv.commit.slice(0, 12)})` : ''}; --mix-versions merges them anyway`);
    }
  }
  const expected = allCaseIds(suite.units({ ...flags, shard: undefined }, io));
  if (caseSetHash(expected) !== firstProv!.caseSet) {
    throw new UserError(`bench merge: the files hold a case set of ${firstProv!.cases} cases, but bench ${name} with these options has ${expected.length} cases (another set); give merge the --seed, --solvers and --data the shards ran with`);
  }
  const at = new Map<string, { row: CaseRow; where: string }[]>();
  for (const f of found) {
    if (!at.has(f.row.case)) at.set(f.row.case, []);
    at.get(f.row.case)!.push(f);
  }
  const expectedSet = new Set(expected);
  const missing = expected.filter((id) => !at.has(id));
  const duplicated = [...at].filter(([, fs]) => fs.length > 1);
  const unexpected = [...at].filter(([id]) => !expectedSet.has(id));
  if (missing.length || duplicated.length || unexpected.length) {
    for (const id of missing) io.out(`missing     ${id}\n`);
    for (const [id, fs] of duplicated) io.out(`duplicated  ${id}  at ${fs.map((f) => f.where).join(', ')}\n`);
    for (const [id, fs] of unexpected) io.out(`unexpected  ${id}  at ${fs.map((f) => f.where).join(', ')}\n`);
    throw new UserError(`bench merge: ${missing.length} of ${expected.length} cases missing, ${duplicated.length} duplicated, ${unexpected.length} not of this suite (listed on stdout); nothing written`);
  }
  const merged = expected.map((id) => at.get(id)![0]!.row);
  if (flags.out) {
    const writer = ResultsWriter.open(flags.out, flags.overwrite ? 'overwrite' : 'new');
    try {
      writer.appendAll(merged);
    } finally {
      writer.close();
    }
    io.out(`bench merge: ${merged.length} cases of bench ${name} from ${files.length} files, each exactly once, in ${flags.out}\n`);
  } else for (const row of merged) io.out(JSON.stringify(row) + '\n');
  return merged;
}
