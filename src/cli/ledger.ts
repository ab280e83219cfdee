// `credit-etl ledger` and `credit-etl trace`: what became of every row of a run, and the story of
// one delivered file or one of its rows, read back from the warehouse. Both print the identity
// "rows read = sum of outcomes" as counted from the stored rows.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Catalog } from '../catalog/index.js';
import { csvLine } from '../csv.js';
import { rowPrefix } from '../reasons.js';
import { displayWidth, formatTable } from '../text-table.js';
import type { Warehouse } from '../warehouse/connect.js';
import {
  fileLedger, fileReasons, filesDelivered, LEDGER_PAGE, LedgerError, ledgerFile, ledgerIdentity, rowRange, rowStory, runFiles, runLedger, sourceRow,
  type LedgerEntry, type LedgerFile, type LedgerIdentity, type LedgerLine, type RecordVersion, type RowStory,
} from '../warehouse/ledger.js';
import { ROW_OUTCOMES } from '../warehouse/load.js';
import { T } from '../warehouse/tables.js';
import { out, UsageError } from './output.js';
import { warehouseOption, withCatalogWarehouse } from './warehouse-option.js';

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1) throw new InvalidArgumentError(`"${value}" is not a number of 1 or more`);
  return n;
}

async function withLedger<R>(spec: string | undefined, work: (wh: Warehouse, catalog: Catalog) => Promise<R>): Promise<R> {
  return withCatalogWarehouse(spec, async (wh, catalog) => {
    try {
      return await work(wh, catalog);
    } catch (e) {
      if (e instanceof LedgerError) throw new UsageError(e.message);
      throw e;
    }
  });
}

function identityLine(i: LedgerIdentity): string {
  const sum = ROW_OUTCOMES.reduce((n, o) => n + i.counts[o], 0);
  const terms = ROW_OUTCOMES.map((o) => `${o} ${i.counts[o]}`).join(' + ');
  if (i.holds) return `rows read ${i.rowsRead} = ${terms}`;
  const gap = i.rowsRead - sum;
  return `rows read ${i.rowsRead} ≠ ${terms} = ${sum}: ${gap > 0 ? `${gap} row(s) read have no outcome in the warehouse` : `${-gap} outcome(s) more than rows read`}` +
    ' — rows were removed or added behind the ledger\'s back';
}

const reasonsText = (l: LedgerLine): string => {
  // Every row message starts with "row N of FILE: ", which the line already says.
  const prefix = `${rowPrefix(l.file, l.row)}: `;
  return l.reasons.map((r) => `${r.code}: ${r.message.startsWith(prefix) ? r.message.slice(prefix.length) : r.message}`).join('; ');
};

const id = (n: number | null): string => (n === null ? '' : String(n));

/** Why a file loaded no rows: its recorded reason, else the file it repeats. */
const unloadedWhy = (f: { reason: string | null; duplicateOf: number | null }): string =>
  f.reason ?? (f.duplicateOf !== null ? `the same bytes as file ${f.duplicateOf}` : '');

const unloaded = (f: LedgerFile): string => `${f.outcome}${unloadedWhy(f) ? ` — ${unloadedWhy(f)}` : ''}; none of its rows were loaded`;

/** Buffers output lines and writes them a page at a time: a million-row ledger never sits in memory. */
class Pager {
  private lines: string[] = [];
  push(...lines: string[]): void {
    this.lines.push(...lines);
    if (this.lines.length >= LEDGER_PAGE) this.flush();
  }
  flush(): void {
    if (this.lines.length > 0) out(this.lines);
    this.lines = [];
  }
}

// --- CSV -----------------------------------------------------------------------------------------

const CSV_HEADER = ['run', 'file_id', 'file', 'sheet', 'row', 'subject', 'outcome', 'reason_codes', 'reasons', 'entity_id', 'record_id'];

function csvRow(run: number, e: LedgerEntry): string {
  if (e.level === 'file') return csvLine([run, e.fileId, e.file, null, null, null, e.outcome, null, unloadedWhy(e), null, null]);
  return csvLine([run, e.fileId, e.file, e.sheet, e.row, e.subject, e.outcome, e.reasons.map((r) => r.code).join(' '),
    e.reasons.map((r) => r.message).join('; '), e.entityId, e.recordId]);
}

// --- text ----------------------------------------------------------------------------------------

// Fixed widths: a page of a big file is printed before the next is read, so the widest cell is unknown.
const WIDTHS = [7, 9, 8, 9, 9];
const pad = (cells: string[]): string =>
  '  ' + cells.map((c, i) => (i < cells.length - 1 ? c + ' '.repeat(Math.max(1, (WIDTHS[i] ?? 0) - displayWidth(c) + 1)) : c)).join('').trimEnd();

const loadedInto = (f: LedgerFile): string => `loaded into ${f.subjects.join(', ') || 'no data subject'}`;

function fileHeading(f: LedgerFile): string {
  return `${f.name}  (file ${f.id}, unit ${f.unit}, ${f.path}): ${f.outcome === 'loaded' ? loadedInto(f) : unloaded(f)}`;
}

async function writeText(wh: Warehouse, run: number, files: LedgerFile[], catalog: Catalog): Promise<void> {
  const page = new Pager();
  page.push(`run ${run}: ${files.length} file(s)`);
  for (const f of files) {
    page.push('', fileHeading(f));
    if (f.outcome !== 'loaded') continue;
    page.push(pad(['row', 'outcome', 'subject', 'record', 'entity', 'reasons']));
    let sheet: string | null = null;
    for await (const l of fileLedger(wh, f.id, catalog)) {
      if (l.sheet !== sheet) page.push(`  sheet ${(sheet = l.sheet)}`);
      page.push(pad([String(l.row), l.outcome, l.subject, id(l.recordId), id(l.entityId), reasonsText(l)]));
    }
    page.push(`  ${identityLine(await ledgerIdentity(wh, f.id))}`);
  }
  page.flush();
}

// --- JSON ----------------------------------------------------------------------------------------

// Written as it is read: the rows of each file stream into its "rows" array.
async function writeJson(wh: Warehouse, run: number, files: LedgerFile[], catalog: Catalog): Promise<void> {
  const page = new Pager();
  page.push(`{"run":${run},"files":[`);
  for (const [n, f] of files.entries()) {
    const head = JSON.stringify({ ...f, identity: await ledgerIdentity(wh, f.id) });
    page.push(`${n > 0 ? ',' : ''}${head.slice(0, -1)},"rows":[`);
    let first = true;
    if (f.outcome === 'loaded') {
      for await (const { level: _, ...line } of fileLedger(wh, f.id, catalog)) {
        page.push(`${first ? '' : ','}${JSON.stringify(line)}`);
        first = false;
      }
    }
    page.push(']}');
  }
  page.push(']}');
  page.flush();
}

async function noRun(wh: Warehouse, run: number): Promise<string> {
  const last = (await wh.knex(T.batches).max({ id: 'id' }).first()) as { id: number | string | null } | undefined;
  const hint = last?.id == null ? 'it holds no runs yet' : `its runs are numbered 1 to ${Number(last.id)}`;
  return `the warehouse ${wh.shown} has no run ${run}: ${hint}`;
}

export function ledgerCommand(): Command {
  return new Command('ledger')
    .description('every source row of a run and its fate: file, sheet, row, outcome (loaded, updated, unchanged, duplicate, rejected), reasons, entity id, record id')
    .requiredOption('--run <id>', 'the run (batch) id', positive)
    .option('--file <path|name>', 'only this delivered file of the run: its inbox path, or its name (every file of that name)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'csv', 'json']).default('text'))
    .addOption(warehouseOption())
    .addHelpText('after', `
Every row a file delivered ends in exactly one outcome. Loaded and updated rows are answered by the
record version they became; unchanged, duplicate and rejected rows by the row ledger. A quarantined
or duplicate file stands as one line: none of its rows were loaded. Rows are numbered as a person
counts them in the delivered file (the header is usually row 1).

text  a table per file, then its identity counted from the stored rows:
        rows read 30 = loaded 28 + updated 0 + unchanged 0 + duplicate 1 + rejected 1
      "≠" there means rows were removed from or added to the warehouse behind the ledger's back.
csv   one line per row (quarantined and duplicate files: one line each), UTF-8 with a byte-order
      mark so Excel shows Chinese; a cell starting with = + - @ is prefixed with ' so no
      spreadsheet runs it as a formula.
json  {"run", "files": [{…the file, "identity", "rows": […]}]}, written as it is read.
Reasons are codes and messages (\`credit-etl reasons\` lists the codes); personal values in them
are masked. The row as delivered is never printed.

Examples:
  credit-etl ledger --run 12
  credit-etl ledger --run 12 --file 行政处罚.xlsx
  credit-etl ledger --run 12 --format csv > run-12-ledger.csv
  credit-etl ledger --run 12 --format json --warehouse postgres://etl@db:5432/credit | jq '.files[].identity'`)
    .action(async (opts: { run: number; file?: string; format: 'text' | 'csv' | 'json'; warehouse?: string }) => {
      await withLedger(opts.warehouse, async (wh, catalog) => {
        const all = await runFiles(wh, opts.run);
        if (!all) throw new UsageError(await noRun(wh, opts.run));
        const files = opts.file === undefined ? all : (await filesDelivered(wh, opts.file, opts.run)).reverse();
        if (files.length === 0) {
          throw new UsageError(`run ${opts.run} has no file ${JSON.stringify(opts.file)} (by path or name); its files: ${all.map((f) => f.name).join(', ') || 'none'}`);
        }
        if (opts.format === 'text') return writeText(wh, opts.run, files, catalog);
        if (opts.format === 'json') return writeJson(wh, opts.run, files, catalog);
        const page = new Pager();
        page.push(`\ufeff${csvLine(CSV_HEADER)}`);
        for await (const e of runLedger(wh, opts.run, catalog, { fileIds: files.map((f) => f.id) })) page.push(csvRow(opts.run, e));
        page.flush();
      });
    });
}

// --- trace ---------------------------------------------------------------------------------------

/** 2, 3, 4, 7 → ["2–4", "7"]. */
function ranges(rows: readonly number[]): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j]! + 1) j++;
    pieces.push(j > i ? `${rows[i]}–${rows[j]}` : String(rows[i]));
    i = j;
  }
  return pieces;
}

const RANGES_SHOWN = 40;
// A unit's daily 行政处罚.xlsx is loaded under the same name every night.
const OTHERS_SHOWN = 5;

// The commands suggested are pasted into a shell: an inbox path may hold spaces or brackets.
const shellWord = (s: string): string => (/^[\p{L}\p{N}_./@%+,:=-]+$/u.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

async function fileAccount(wh: Warehouse, f: LedgerFile, others: LedgerFile[]): Promise<string[]> {
  const run = (await wh.knex(T.batches).where('id', f.batchId).first('started_at', 'catalog')) as { started_at: string; catalog: string } | undefined;
  const lines = [`${f.name} — file ${f.id} of run ${f.batchId}${run ? ` (started ${run.started_at}, catalog ${run.catalog})` : ''}`];
  const facts: string[][] = [
    ['path', f.path],
    ['unit', f.unit],
    ['sha256', f.sha256],
    ['read', `${f.startedAt} → ${f.finishedAt ?? 'not finished'}`],
    ['outcome', f.outcome === 'loaded' ? loadedInto(f) : unloaded(f)],
  ];
  lines.push(...formatTable(facts));
  if (f.outcome === 'loaded') {
    lines.push(`  ${identityLine(await ledgerIdentity(wh, f.id))}`);
    const { reasons, rejected } = await fileReasons(wh, f.id);
    if (reasons.length > 0) {
      lines.push('  reasons:', ...formatTable(reasons.map((r) => [r.code, `×${r.count}`, `e.g. ${r.example}`]), '    '));
    }
    if (rejected.length > 0) {
      const bySheet = new Map<string | null, number[]>();
      for (const r of rejected) {
        const rows = bySheet.get(r.sheet);
        if (rows) rows.push(r.row);
        else bySheet.set(r.sheet, [r.row]);
      }
      lines.push(`  rejected rows (${rejected.length}):`);
      for (const [sheet, rows] of bySheet) {
        const pieces = ranges(rows);
        const more = pieces.length > RANGES_SHOWN ? `, … (${pieces.length - RANGES_SHOWN} more ranges)` : '';
        lines.push(`    ${sheet === null ? '' : `sheet ${sheet}: `}${pieces.slice(0, RANGES_SHOWN).join(', ')}${more}`);
      }
    }
    lines.push(`  every row: credit-etl ledger --run ${f.batchId} --file ${shellWord(f.path)}`, `  one row:   credit-etl trace ${shellWord(f.path)} --row N`);
  }
  if (others.length > 0) {
    const listed = others.slice(0, OTHERS_SHOWN).map((o) => `file ${o.id} in run ${o.batchId} (unit ${o.unit}, ${o.outcome})`).join(', ');
    lines.push(`  ${others.length} other load(s) of ${f.name}, not shown: ${listed}${others.length > OTHERS_SHOWN ? ', … (the latest shown)' : ''}` +
      ' — trace one by its path, or see credit-etl ledger --run ID --file NAME');
  }
  return lines;
}

function versionLines(v: RecordVersion, indent: string): string[] {
  const from = `${v.from.file} row ${v.from.row}${v.from.sheet === null ? '' : ` of sheet ${v.from.sheet}`}, file ${v.from.fileId}, run ${v.from.batchId}`;
  const until = v.validTo === null ? 'in force'
    : `closed ${v.validTo}${v.closedBy ? ` by ${v.closedBy.file} (file ${v.closedBy.fileId}, run ${v.closedBy.batchId})` : ''}`;
  return [
    `${indent}from ${from}`,
    `${indent}valid from ${v.validFrom}; ${until}`,
    `${indent}entity ${v.entityId ?? 'not identified yet'}`,
    `${indent}business key: ${v.key.map((k) => `${k.name} (${k.item}) ${k.value ?? '(empty)'}`).join(' · ')}`,
  ];
}

function storyLines(s: RowStory, f: LedgerFile, catalog: Catalog): string[] {
  const l = s.line;
  const subject = catalog.subjects.find((x) => x.code === l.subject);
  const lines = [`row ${l.row}${l.sheet === null ? '' : ` of sheet ${l.sheet}`} of ${f.name} (file ${f.id}, run ${f.batchId}) → ${l.subject}${subject ? ` ${subject.name}` : ''}: ${l.outcome}`];
  if (l.reasons.length > 0) lines.push('  reasons:', ...formatTable(l.reasons.map((r) => [r.code, r.message]), '    '));
  if (s.version) {
    const how = l.outcome === 'unchanged' ? 'matched (same values, nothing written)' : 'became';
    lines.push(`  ${how} record version ${s.version.id} of ${s.version.subject}`, ...versionLines(s.version, '    '));
  } else if (l.recordId !== null) {
    lines.push(`  its record version ${l.recordId} is no longer in ${l.subject}: removed behind the ledger's back`);
  } else {
    lines.push(`  no record version: the row was not loaded${l.outcome === 'rejected' ? ' (the row as delivered is kept in the warehouse, not shown here)' : ''}`);
  }
  if (s.replaced) {
    lines.push(`  it superseded version ${s.replaced.id}:`, ...versionLines(s.replaced, '    '));
    if (s.changes.length > 0) lines.push('  changed:', ...formatTable(s.changes.map((c) => [`${c.name} (${c.item})`, `${c.before ?? '(empty)'} → ${c.after ?? '(empty)'}`]), '    '));
  }
  lines.push(...(s.repairs.length === 0 ? ['  repairs: none']
    : ['  repairs:', ...formatTable(s.repairs.map((r) => [`${r.name ?? r.item} (${r.item})`, `${r.raw} → ${r.clean === '' ? '(empty)' : r.clean}`]), '    ')]));
  return lines;
}

async function rowAccount(wh: Warehouse, delivered: LedgerFile, row: number, sheet: string | undefined, catalog: Catalog): Promise<string[]> {
  // A duplicate delivery's rows are the rows of the load it repeats: tell that load's story.
  const original = delivered.outcome === 'duplicate' && delivered.duplicateOf !== null ? await ledgerFile(wh, delivered.duplicateOf) : undefined;
  const f = original ?? delivered;
  const which = `${f.name} (file ${f.id}, run ${f.batchId})`;
  if (f.outcome !== 'loaded') throw new UsageError(`${which} was ${unloaded(f)}, so it has no row ${row}`);
  const preface = original
    ? [`${delivered.name} (file ${delivered.id}, run ${delivered.batchId}) was a duplicate delivery of file ${f.id} (run ${f.batchId}), whose row ${row} this is:`]
    : [];
  const lines = await sourceRow(wh, f, row, sheet);
  if (lines.length > 1) {
    throw new UsageError(`${which} has a row ${row} on several sheets (${lines.map((l) => l.sheet ?? '(none)').join(', ')}): pick one with --sheet`);
  }
  const [line] = lines;
  if (!line) {
    const range = await rowRange(wh, f);
    throw new UsageError(`${which} has no row ${row}${sheet === undefined ? '' : ` on sheet ${sheet}`}: ` +
      (range ? `its rows run from ${range.first} to ${range.last} (numbered as a person counts them, the header is usually row 1)` : 'no rows of it are in the warehouse'));
  }
  return [...preface, ...storyLines(await rowStory(wh, line, catalog), f, catalog)];
}

export function traceCommand(): Command {
  return new Command('trace')
    .description('the story of one delivered file, or of one of its rows: when and how it loaded, why rows were turned away, what each row became')
    .argument('<file>', 'the delivered file: its inbox path as the run read it, or its name')
    .option('--row <n>', 'one row, numbered as a person counts it in the file', positive)
    .option('--sheet <name>', 'with --row: the sheet (table) of a workbook the row is on')
    .addOption(warehouseOption())
    .addHelpText('after', `
FILE is matched against the path each file was read from, then against file names. When a name
was loaded several times (a re-delivery, or two units sending 行政处罚.xlsx), the latest load is
shown and the others are listed with their runs; trace one of them by its path.

Without --row: when it was read, in which run, unit, sha256, outcome and reason, the identity
(rows read = loaded + updated + unchanged + duplicate + rejected, counted from the stored rows),
the reasons by code with counts, and the numbers of the rejected rows.
With --row N: the row's outcome and reasons; the record version it became or matched (its id,
valid from/to, its business key, and the file that closed it, if one did); for an update, the
version it superseded and the values that changed; the repairs cleansing made to it. Personal
values (resident IDs, phone numbers) are masked; the row as delivered is never printed.

Examples:
  credit-etl trace 行政处罚.xlsx
  credit-etl trace /srv/inbox/2026-11-27/SCJG/行政处罚.xlsx --row 57
  credit-etl trace 许可与处罚.xlsx --row 12 --sheet 行政许可`)
    .action(async (wanted: string, opts: { row?: number; sheet?: string; warehouse?: string }) => {
      if (opts.sheet !== undefined && opts.row === undefined) throw new UsageError('--sheet picks the sheet of --row: give --row N too');
      await withLedger(opts.warehouse, async (wh, catalog) => {
        const [latest, ...others] = await filesDelivered(wh, wanted);
        if (!latest) throw new UsageError(`the warehouse ${wh.shown} has no delivered file with the path or name ${JSON.stringify(wanted)}`);
        out(opts.row === undefined ? await fileAccount(wh, latest, others) : await rowAccount(wh, latest, opts.row, opts.sheet, catalog));
      });
    });
}
