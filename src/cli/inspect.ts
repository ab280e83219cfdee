// `credit-etl inspect FILE…` and `credit-etl reasons`: look at deliveries without loading them.
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { loadCatalog } from '../catalog/index.js';
import { REASONS } from '../reasons.js';
import { inspectDelivery, type Inspection, type ReasonTally } from '../run/inspect.js';
import { formatTable } from '../text-table.js';
import { json, out, UsageError, type Format } from './output.js';

function limit(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a number of 0 or more`);
  return n;
}

function tallies(title: string, list: ReasonTally[]): string[] {
  if (list.length === 0) return [];
  return [`  ${title}:`, ...list.flatMap((t) => [`    ${t.code} ×${t.count}`, ...t.examples.map((m) => `      ${m}`)])];
}

export function renderInspection(i: Inspection): string[] {
  const lines: string[] = [];
  const how = [i.format, i.encoding, i.delimiter && `delimiter ${JSON.stringify(i.delimiter)}`].filter(Boolean).join(' · ');
  lines.push(`${i.file}${how ? `  (${how})` : ''}`);
  for (const t of i.tables) {
    lines.push(`  table "${t.name}" → ${t.subject.code} ${t.subject.name} (chosen by ${t.subject.chosenBy})${t.headerRow !== undefined ? `, header at row ${t.headerRow}` : ''}`);
    lines.push(`  rows read ${t.rows} = accepted ${t.accepted} + rejected ${t.rejected}; ${t.warned} with warnings; ${t.repairs} repairs`);
    if (t.skipped.length > 0) lines.push(`  set aside: ${t.skipped.map((s) => `row ${s.row} ${s.why}`).join(', ')}`);
    if (t.unmapped.length > 0) lines.push(`  columns no data item claims: ${t.unmapped.map((u) => `${u.label} (column ${u.column + 1}${u.why === 'duplicate' ? ', a second column for the same item' : ''})`).join(', ')}`);
    lines.push(...tallies('rejected', t.rejections), ...tallies('warnings', t.warnings));
  }
  if (i.quarantined) lines.push(`  QUARANTINED ${i.quarantined.code}: ${i.quarantined.message}`);
  return lines;
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('read and validate deliveries without loading them: format, encoding, data subject, columns, every row\'s verdict')
    .argument('<file...>', 'delivery files (CSV/TSV, xlsx, xls, HTML-table .xls, mysqldump, pg_dump, SQLite)')
    .option('--catalog <version|path>', 'catalog version or folder', 'v2')
    .option('--unit <code>', 'the delivering unit: only its data subjects are candidates')
    .option('--subject <code>', 'the data subject the files hold (skips detection by headers)')
    .option('--max-rejected-rows <n>', 'error limit: quarantine a file with more rejected rows', limit)
    .option('--max-rejected-percent <p>', 'error limit: quarantine a file with a higher share of rejected rows (0–100)', limit)
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
The format is recognised by content, not extension (an HTML table saved as .xls, a CSV named .xls).
The header is found below title rows; a two-row merged header is joined; the data subject is the
one whose items explain the columns best (ties and weak matches are refused, with the candidates).
Each row is cleansed (dates, amounts, codes, full-width characters) and validated against the
catalog; personal values are masked in every message. \`credit-etl reasons\` lists the reason codes.

Exit status: 0 every file readable and every row accepted; 2 some rows rejected or a file would be
quarantined; 1 the command could not run.

Examples:
  credit-etl inspect inbox/2026-11-27/SCJG/行政处罚.xls --unit SCJG
  credit-etl inspect dump.sql --subject XZCF --format json | jq '.[0].tables[0].rejections'`)
    .action(async (files: string[], opts: { catalog: string; unit?: string; subject?: string; maxRejectedRows?: number; maxRejectedPercent?: number; format: Format }) => {
      const catalog = loadCatalog(opts.catalog);
      let subjects;
      if (opts.unit !== undefined) {
        const unit = catalog.units.find((u) => u.code === opts.unit);
        if (!unit) throw new UsageError(`catalog ${catalog.version.id} has no unit ${opts.unit} (units: ${catalog.units.map((u) => u.code).join(' ')})`);
        subjects = catalog.subjects.filter((s) => unit.delivers.includes(s.code));
      }
      if (opts.subject !== undefined && !catalog.subjects.some((s) => s.code === opts.subject)) {
        throw new UsageError(`catalog ${catalog.version.id} has no data subject ${opts.subject}`);
      }
      const limits = {
        ...(opts.maxRejectedRows !== undefined && { maxRejectedRows: opts.maxRejectedRows }),
        ...(opts.maxRejectedPercent !== undefined && { maxRejectedPercent: opts.maxRejectedPercent }),
      };
      const results: Inspection[] = [];
      for (const f of files) {
        results.push(await inspectDelivery(resolve(f), catalog, { ...(subjects && { subjects }), ...(opts.subject !== undefined && { subject: opts.subject }), limits }));
      }
      if (opts.format === 'json') json(results);
      else out(results.flatMap((r) => [...renderInspection(r), '']));
      const clean = results.every((r) => !r.quarantined && r.tables.every((t) => t.rejected === 0));
      process.exitCode = clean ? 0 : 2;
    });
}

export function reasonsCommand(): Command {
  return new Command('reasons')
    .description('list every reason code a file, row or cell can be quarantined, rejected or warned with')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText('after', `
Codes are stable: reports, receipts, the ledger and tests all use them. file/… quarantines a whole
file, row/… and cell/… reject a row, identity/… concern identifiers (some are warnings).

Example:
  credit-etl reasons`)
    .action((opts: { format: Format }) => {
      if (opts.format === 'json') json(REASONS);
      else out(formatTable(Object.entries(REASONS).map(([code, text]) => [code, text]), ''));
    });
}
