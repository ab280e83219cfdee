// How large an xlsx the spreadsheet reader takes within 1 GB of resident memory. SheetJS parses a
// workbook whole, so the limit is rows, not bytes: this writes 行政处罚 workbooks (the 30 data
// items of catalog v2's XZCF, strings shared as Excel saves them, dates and amounts as numeric
// cells) of growing size, reads each with openWorkbookGrids in a fresh child process that pulls
// every row, and reports the child's peak RSS. Doubles until a read passes the limit, then bisects.
// Rows come from scripts/penalty-rows.ts, as in the CSV measurement; --every-cell instead fills
// all 30 cells of every row with distinct text, the worst case for memory.
// Run: npx tsx scripts/measure-xlsx-memory.ts [--every-cell] [--limit-mb 1024] [--start 50000] [--step 25000]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { resourceUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import * as XLSX from 'xlsx';
import type { DataItem } from '../src/catalog/index.js';
import { openWorkbookGrids } from '../src/read/sheet/workbook.js';

const SCRIPT = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};

interface Reading { rows: number; peakRssMb: number; seconds: number }

/** Child: read one workbook and pull every row of every grid. */
async function readOne(path: string): Promise<Reading> {
  const t0 = performance.now();
  const { grids } = openWorkbookGrids(path, readFileSync(path), 'xlsx');
  let rows = 0;
  for (const grid of grids) for await (const _ of grid.rows) rows++;
  return { rows, peakRssMb: Math.round(resourceUsage().maxRSS / 1024), seconds: (performance.now() - t0) / 1000 };
}

const EPOCH_1900 = Date.UTC(1899, 11, 30);
const DAY = 86_400_000;
const FACTS = ['销售的电线电缆经抽检不合格', '未取得营业执照从事经营活动', '在店招上作引人误解的宣传', '超范围经营且拒不改正', '使用未经检验的特种设备'];
const dateCell = (iso: string): XLSX.CellObject => ({ t: 'n', v: (Date.parse(`${iso}T00:00:00Z`) - EPOCH_1900) / DAY, z: 'yyyy-mm-dd' });

/** A realistic row: blanks stay empty cells, dates and amounts are typed as Excel types them. */
function realisticRow(texts: readonly string[], items: readonly DataItem[]): XLSX.CellObject[] {
  const row: XLSX.CellObject[] = [];
  texts.forEach((text, c) => {
    if (text === '') return;
    const type = items[c]?.type;
    row[c] = type === 'date' ? dateCell(text) : type === 'decimal' ? { t: 'n', v: Number(text) } : { t: 's', v: text };
  });
  return row;
}

/** The worst case: all 30 cells filled, nearly every string distinct. */
function everyCellRow(items: readonly DataItem[], i: number, labels: Map<string, string[]>): XLSX.CellObject[] {
  const pick = (values: readonly string[]): string => values[i % values.length]!;
  return items.map((item): XLSX.CellObject => {
    switch (item.type) {
      case 'date': return { t: 'n', v: (Date.UTC(2019, 0, 1) - EPOCH_1900) / DAY + (i % 1500), z: 'yyyy-mm-dd' };
      case 'decimal': return { t: 'n', v: ((i % 997) + 1) / 100 };
      case 'enum': return { t: 's', v: pick(labels.get(item.codeTable ?? '') ?? ['其他']) };
      default:
        if ((item.length ?? 0) >= 2000) return { t: 's', v: `${pick(FACTS)}，经查第${i}号案件当事人${item.name}情况属实，依法予以处理。` };
        return { t: 's', v: `${item.name}${i}` };
    }
  });
}

/** Child: write a 行政处罚 workbook of `rows` data rows under its header row. */
async function writeOne(path: string, rows: number, everyCell: boolean): Promise<void> {
  // Imported here so the reading child, whose memory is measured, loads neither.
  const { loadCatalog } = await import('../src/catalog/index.js');
  const { penaltyRow } = await import('./penalty-rows.js');
  const catalog = loadCatalog('v2');
  const items = catalog.subjects.find((s) => s.code === 'XZCF')?.items;
  if (!items) throw new Error('catalog v2 has no XZCF data subject');
  const labels = new Map(catalog.codeTables.map((t) => [t.code, t.entries.map((e) => e.label)]));
  const data: XLSX.CellObject[][] = [items.map((it) => ({ t: 's', v: it.name }))];
  for (let i = 0; i < rows; i++) data.push(everyCell ? everyCellRow(items, i, labels) : realisticRow(penaltyRow(i), items));
  const sheet: XLSX.WorkSheet = { '!data': data, '!ref': XLSX.utils.encode_range({ s: { r: 0, c: 0 }, e: { r: rows, c: items.length - 1 } }) };
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, '行政处罚');
  writeFileSync(path, XLSX.write(book, { type: 'buffer', bookType: 'xlsx', bookSST: true, compression: true }) as Buffer);
}

function child(mode: '--read' | '--write', ...rest: string[]): string {
  // Writing a large workbook takes far more memory than reading it; only the read is measured.
  const heap = mode === '--write' ? ['--max-old-space-size=16384'] : [];
  const run = spawnSync(process.execPath, [...heap, '--import', 'tsx', SCRIPT, mode, ...rest], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`${mode} ${rest.join(' ')} failed (${run.status ?? run.signal}): ${run.stderr.slice(-2000)}`);
  return run.stdout;
}

async function main(): Promise<void> {
  if (args[0] === '--read') return void console.log(JSON.stringify(await readOne(args[1]!)));
  if (args[0] === '--write') return writeOne(args[1]!, Number(args[2]), args[3] === '--every-cell');

  const limitMb = option('--limit-mb', 1024);
  const step = option('--step', 25_000);
  const everyCell = args.includes('--every-cell');
  const dir = mkdtempSync(join(tmpdir(), 'xlsx-memory-'));
  const measured = new Map<number, Reading & { fileMb: number }>();
  const measure = (rows: number): boolean => {
    const path = join(dir, `xzcf-${rows}.xlsx`);
    child('--write', path, String(rows), ...(everyCell ? ['--every-cell'] : []));
    const fileMb = statSync(path).size / 2 ** 20;
    const reading = JSON.parse(child('--read', path)) as Reading;
    rmSync(path);
    if (reading.rows !== rows + 1) throw new Error(`wrote ${rows} rows under a header, read ${reading.rows}`);
    measured.set(rows, { ...reading, fileMb });
    console.log(`${String(rows).padStart(8)} rows  ${fileMb.toFixed(1).padStart(6)} MB file  peak RSS ${String(reading.peakRssMb).padStart(5)} MB  ${reading.seconds.toFixed(1).padStart(5)} s`);
    return reading.peakRssMb <= limitMb;
  };
  try {
    const rowsKind = everyCell ? 'every cell filled, distinct text' : 'realistic rows from scripts/penalty-rows.ts';
    console.log(`xlsx read memory — node ${process.version}, 30 columns (XZCF v2), ${rowsKind}, limit ${limitMb} MB RSS`);
    const baseline = JSON.parse(child('--read', 'fixtures/sheet/xlsx-two-subjects-two-sheets.xlsx')) as Reading;
    console.log(`baseline: a 3-row fixture peaks at ${baseline.peakRssMb} MB RSS (node, tsx, SheetJS loaded)`);
    let ok = 0;
    let over = option('--start', 50_000);
    while (measure(over)) [ok, over] = [over, over * 2];
    while (over - ok > step) {
      const mid = Math.round((ok + over) / 2 / step) * step;
      if (mid <= ok || mid >= over) break;
      if (measure(mid)) ok = mid;
      else over = mid;
    }
    const best = measured.get(ok);
    console.log(best
      ? `largest read within ${limitMb} MB: ${ok} rows (${best.fileMb.toFixed(1)} MB file, peak ${best.peakRssMb} MB); ${over} rows exceed it`
      : `even ${over} rows exceed ${limitMb} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
