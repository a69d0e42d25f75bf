/**
 * `bnnrelax report results.jsonl [--out report.md] [--plots DIR]`: Markdown tables and SVG plots
 * from a results file of any bench suite: per solver (fraction solved to the proven optimum, mean
 * and worst gap, accuracy, time; gap and accuracy plots), per SDP instance and algorithm (time to
 * certified, rounding; time plot), per XNOR shape and backend (MAC/s; rate plot); per solver the
 * gap to the best proven bound of each case (exact, bb or mip as referee) and per case that
 * bound and its method. `--json` prints the same tables as JSON objects (absent cells omitted).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { Io } from '../../core/io.js';
import { reportPlots } from '../../report/plots.js';
import { vegaLiteToSvg } from '../../report/svg-plot.js';
import { reportTables, type Row, type SummaryTable } from '../../report/report-tables.js';
import { formatNumber, type Cell } from '../../report/table.js';
import { fileErrorReason, writeText } from '../../formats/text-file.js';
import { readResultsFile } from '../../formats/results-file.js';

/** The complete rows of a results file (a torn last line, a run still writing, is left out). */
export function readResults(path: string): Row[] {
  const { rows } = readResultsFile(path);
  if (rows.length === 0) throw new UserError(`${path}: no results`);
  return rows;
}

/**
 * Creates `dir` and its missing parents one by one (mkdirSync's recursive mode loops forever
 * under /proc, where mkdir fails with ENOENT although the parent exists).
 */
function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  while (!existsSync(d)) {
    missing.unshift(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  if (existsSync(d) && !statSync(d).isDirectory()) throw new UserError(`${dir}: cannot create (${d} is not a folder)`);
  for (const m of missing) {
    try {
      mkdirSync(m);
    } catch (e) {
      throw new UserError(`${dir}: cannot create (${fileErrorReason(e)})`);
    }
  }
}

function markdownTable(t: SummaryTable): string {
  const cell = (c: Cell) => (typeof c === 'number' ? formatNumber(c) : (c ?? '-'));
  return [
    `### ${t.title}`,
    '',
    `| ${t.header.join(' | ')} |`,
    // text columns (names, yes/no) left-aligned, number columns right-aligned
    `|${t.header.map((_, k) => (t.rows.every((r) => typeof r[k] !== 'number') ? '---' : '---:')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
  ].join('\n');
}

export async function buildReport(rows: Row[], plotsDir?: string, reportPath?: string): Promise<{ markdown: string; plots: string[] }> {
  const tables = reportTables(rows);
  const errors = rows.filter((r) => r.error !== undefined);
  const skipped = rows.filter((r) => r.skipped !== undefined);
  const suites = [...new Set(rows.map((r) => (typeof r.suite === 'string' ? r.suite : undefined)).filter((s) => s !== undefined))];
  const lines = [
    '# bnnrelax benchmark report',
    '',
    `${rows.length - skipped.length} cases${suites.length ? ` of bench ${suites.join(', ')}` : ''}.`,
    '',
  ];
  if (tables.some((t) => t.header.includes('solved'))) {
    lines.push(`Solver tables: "solved" is the fraction of cases with a proven optimum of the loss (from the referee: \`exact\`, \`bb\` or \`mip\`) whose loss equals it (relative 1e-9); gap = loss - optimum, rel gap = gap / |optimum|; accuracies are of the binary network (1 - error); time is the solver's wall clock.`, '');
  }
  if (tables.some((t) => t.title.startsWith('Gap to the best proven bound'))) {
    lines.push(`Bound tables: each case's best proven lower bound is the highest bound proven on it (the referee's: exact, bb or mip within its stated budget, or any solver's own), or its optimum where one is proven; it bounds the loss, or the training error where only that is bounded (mip on a sign network with one output: the mlp loss is cross-entropy, which the MILP does not model). gap = value - bound, rel gap = gap / max(|value|, |bound|) (0 when both are 0); "optimum proven" and "bound only" count the cases whose best bound is a proven optimum or only a bound; "at bound" counts gaps within a relative 1e-9; "-": no bound.`, '');
  }
  lines.push(...tables.map(markdownTable));
  if (tables.length === 0) lines.push('No row of a known suite (solver results, bench sdp or bench xnor) to tabulate.', '');
  if (errors.length) lines.push(`${errors.length} cases recorded an error instead of a result, e.g. \`${errors[0]!.case}\`: ${String(errors[0]!.error)}`, '');
  if (skipped.length) lines.push(`${skipped.length} cases could not run where they were run, e.g. \`${skipped[0]!.case}\`: ${String(skipped[0]!.skipped)}`, '');
  const plots: string[] = [];
  if (plotsDir) {
    makeDirs(plotsDir);
    for (const { name, spec } of reportPlots(rows)) {
      const path = join(plotsDir, name);
      writeText(path, await vegaLiteToSvg(spec));
      plots.push(path);
      lines.push(`![${name.replace('.svg', '')}](${reportPath ? relative(dirname(reportPath), path) : path})`, '');
    }
  }
  return { markdown: lines.join('\n'), plots };
}

/** The tables as JSON: one object per table row, keyed by the column names, absent cells left out (never null). */
export function reportJson(rows: Row[]): { cases: number; suites: string[]; tables: { title: string; rows: Record<string, string | number>[] }[] } {
  const suites = [...new Set(rows.map((r) => (typeof r.suite === 'string' ? r.suite : undefined)).filter((s) => s !== undefined))];
  return {
    cases: rows.filter((r) => r.skipped === undefined).length,
    suites,
    tables: reportTables(rows).map((t) => ({
      title: t.title,
      rows: t.rows.map((cells) => {
        const o: Record<string, string | number> = {};
        cells.forEach((c, k) => {
          if (c !== undefined && !(typeof c === 'number' && !Number.isFinite(c))) o[t.header[k]!] = c;
        });
        return o;
      }),
    })),
  };
}

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .description('tables and SVG plots from a bench results file (JSON lines)')
    .argument('<results>', 'results file written by bench --out')
    .option('--out <report.md>', 'write the Markdown report here (default: stdout)')
    .option('--plots <dir>', 'write SVG plots (gap vs n, accuracy vs epochs) into this folder')
    .option('--json', 'print the tables as JSON (one object per table row) instead of Markdown')
    .action(async (path: string, flags: { out?: string; plots?: string; json?: boolean }) => {
      if (flags.json) {
        if (flags.plots) throw new UserError('report: --json prints the tables only; give --plots without --json');
        const json = JSON.stringify(reportJson(readResults(path))) + '\n';
        if (flags.out) {
          writeText(flags.out, json);
          io.out(`report written to ${flags.out}\n`);
        } else io.out(json);
        return;
      }
      const { markdown, plots } = await buildReport(readResults(path), flags.plots, flags.out);
      if (flags.out) {
        writeText(flags.out, markdown);
        io.out(`report written to ${flags.out}${plots.length ? `; plots: ${plots.join(', ')}` : ''}\n`);
      } else io.out(markdown);
    });
}
