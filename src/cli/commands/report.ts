/**
 * `bnnrelax report results.jsonl [--out report.md] [--plots DIR]`: Markdown tables per solver
 * (fraction solved to the proven optimum, mean and worst gap, accuracy, time) and SVG plots
 * (gap against n, accuracy against epochs) from a bench results file.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { Io } from '../../core/io.js';
import { accuracyVsEpochsSpec, gapVsNSpec } from '../../report/plots.js';
import { vegaLiteToSvg } from '../../report/svg-plot.js';
import { summariseRows, type Row, type SummaryTable } from '../../report/report-tables.js';
import { formatNumber, type Cell } from '../../report/table.js';
import { fileErrorReason, readText, writeText } from '../../formats/text-file.js';
import { parseCaseLines } from '../../formats/results-file.js';

export function readResults(path: string): Row[] {
  const text = readText(path);
  const rows = parseCaseLines(path, text) as Row[];
  if (rows.length === 0) throw new UserError(`${path}: no results`);
  return rows;
}

function markdownTable(t: SummaryTable): string {
  const cell = (c: Cell) => (typeof c === 'number' ? formatNumber(c) : (c ?? '-'));
  return [
    `### ${t.title}`,
    '',
    `| ${t.header.join(' | ')} |`,
    `|${t.header.map((_, k) => (k === 0 || (k === 1 && t.header[1] === 'solver') ? '---' : '---:')).join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    '',
  ].join('\n');
}

export async function buildReport(rows: Row[], plotsDir?: string, reportPath?: string): Promise<{ markdown: string; plots: string[] }> {
  const tables = summariseRows(rows);
  const errors = rows.filter((r) => r.error);
  const lines = [
    '# bnnrelax benchmark report',
    '',
    `${rows.length} cases. "solved": fraction of cases with a proven optimum (from \`exact\`) whose loss equals it (relative 1e-9); gap = loss - optimum, rel gap = gap / |optimum|; accuracies are of the binary network (1 - error); time is the solver's wall clock.`,
    '',
    ...tables.map(markdownTable),
  ];
  if (errors.length) lines.push(`${errors.length} cases recorded an error instead of a result, e.g. \`${errors[0]!.case}\`: ${errors[0]!.error}`, '');
  const plots: string[] = [];
  if (plotsDir) {
    try {
      mkdirSync(plotsDir, { recursive: true });
    } catch (e) {
      throw new UserError(`${plotsDir}: cannot create (${fileErrorReason(e)})`);
    }
    for (const [name, spec] of [['gap-vs-n.svg', gapVsNSpec(rows)], ['accuracy-vs-epochs.svg', accuracyVsEpochsSpec(rows)]] as const) {
      if (!spec) continue;
      const path = join(plotsDir, name);
      writeText(path, await vegaLiteToSvg(spec));
      plots.push(path);
      lines.push(`![${name.replace('.svg', '')}](${reportPath ? relative(dirname(reportPath), path) : path})`, '');
    }
  }
  return { markdown: lines.join('\n'), plots };
}

export function registerReport(program: Command, io: Io): void {
  program
    .command('report')
    .description('tables and SVG plots from a bench results file (JSON lines)')
    .argument('<results>', 'results file written by bench --out')
    .option('--out <report.md>', 'write the Markdown report here (default: stdout)')
    .option('--plots <dir>', 'write SVG plots (gap vs n, accuracy vs epochs) into this folder')
    .action(async (path: string, flags: { out?: string; plots?: string }) => {
      const { markdown, plots } = await buildReport(readResults(path), flags.plots, flags.out);
      if (flags.out) {
        writeText(flags.out, markdown);
        io.out(`report written to ${flags.out}${plots.length ? `; plots: ${plots.join(', ')}` : ''}\n`);
      } else io.out(markdown);
    });
}
