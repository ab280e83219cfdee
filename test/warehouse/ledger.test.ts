import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog, type DataSubject } from '../../src/catalog/index.js';
import { mapHeaders } from '../../src/read/index.js';
import { FileCheck } from '../../src/validate/index.js';
import { startBatch } from '../../src/warehouse/batch.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import {
  fileLedger, fileReasons, ledgerFile, ledgerIdentity, rowStory, runLedger, sourceRow, type LedgerEntry, type LedgerLine,
} from '../../src/warehouse/ledger.js';
import { FileLoad, recordUnloadedFile, type DeliveryFile, type LoadRow } from '../../src/warehouse/load.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { LICENSING_HEADER, PENALTY_HEADER, licensingRow, penaltyRow } from '../../scripts/penalty-rows.js';
import { WAREHOUSE_KINDS, type TestWarehouse } from './servers.js';

const catalog = loadCatalog('v2');
const penalty = catalog.subjects.find((s) => s.code === 'XZCF')!;
const licensing = catalog.subjects.find((s) => s.code === 'XZXK')!;
const column = (name: string) => PENALTY_HEADER.indexOf(name);

function checked(file: string, subject: DataSubject, header: string[], cells: string[][]): LoadRow[] {
  const check = new FileCheck(catalog, file).table(mapHeaders(header, subject));
  return cells.map((c, i) => ({ checked: check({ row: i + 2, cells: c }), cells: c }));
}

async function collect<T>(lines: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const l of lines) all.push(l);
  return all;
}

const rowsOf = (entries: LedgerEntry[], fileId: number) => entries.filter((e): e is LedgerLine => e.level === 'row' && e.fileId === fileId);

/** A 行政处罚 delivery of 30 rows: row 9 has an impossible date, row 14 repeats row 5's business key. */
function penaltyCells(): string[][] {
  const cells = Array.from({ length: 30 }, (_, n) => penaltyRow(n));
  cells[7]![column('处罚决定日期')] = '2019-02-30';
  cells[12] = [...cells[3]!];
  return cells;
}

interface Night {
  w: Warehouse;
  batchId: number;
  a: number;
  fix: number;
  book: number;
  bad: number;
  /** A file of a run of its own, for the test that damages the warehouse. */
  victim: number;
}

/** A run of four files — a mixed one, its correction, a two-sheet workbook, a quarantined one — and a run of one. */
async function night(w: Warehouse): Promise<Night> {
  await ensureSchema(w, catalog);
  const batchId = await startBatch(w, { catalog: 'v2' });
  const delivery = (name: string, sha: string, batch = batchId): DeliveryFile =>
    ({ batchId: batch, unit: 'SCJG', path: `/inbox/2026-11-27/SCJG/${name}`, name, sha256: sha.padEnd(64, '0'), bytes: 1000 });
  const load = async (file: DeliveryFile, sheets: [DataSubject, string[], string[][], string?][]) => {
    const l = await FileLoad.begin(w, file);
    for (const [subject, header, cells, sheet] of sheets) await l.add(subject, checked(file.name, subject, header, cells), sheet);
    await l.commit();
    return l.fileId;
  };

  const cells = penaltyCells();
  const a = await load(delivery('a.csv', 'a'), [[penalty, PENALTY_HEADER, cells]]);
  const fixed = cells.map((c) => [...c]);
  fixed[2]![column('罚款金额（万元）')] = '0.3';
  const fix = await load(delivery('a-fix.csv', 'b'), [[penalty, PENALTY_HEADER, fixed]]);
  // The second sheet is loaded first, and v2 rejects these 行政许可 rows (no legal representative's ID):
  // the ledger still lists sheets in order, records and ledger rows merged.
  const book = await load(delivery('book.xlsx', 'c'), [
    [licensing, LICENSING_HEADER, Array.from({ length: 4 }, (_, n) => licensingRow(n, `惠州市许可${n}有限公司`)), '许可'],
    [penalty, PENALTY_HEADER, Array.from({ length: 5 }, (_, n) => penaltyRow(100 + n)), '处罚'],
  ]);
  const bad = await recordUnloadedFile(w, delivery('bad.xlsx', 'd'), 'quarantined', 'file/corrupt: the zip is truncated');
  const other = await startBatch(w, { catalog: 'v2' });
  const victim = await load(delivery('victim.csv', 'e', other), [[penalty, PENALTY_HEADER, Array.from({ length: 6 }, (_, n) => penaltyRow(200 + n))]]);
  return { w, batchId, a, fix, book, bad, victim };
}

// One warehouse per dialect, built once: building 147 subject tables is most of the time.
describe.each(WAREHOUSE_KINDS)('the row ledger on $name', (kind) => {
  let place: TestWarehouse | undefined;
  let wh: Warehouse | undefined;
  let n: Night;
  beforeAll(async () => {
    place = await kind.create();
    wh = await openWarehouse(place.spec);
    n = await night(wh);
  });
  afterAll(async () => {
    await wh?.close();
    await place?.drop();
  });

  it('gives every source row of a run exactly one line, with the right outcome, in file, sheet and row order', async () => {
    const { w, batchId, a, fix, book, bad } = n;
    const entries = await collect(runLedger(w, batchId, catalog));
    expect(entries).toHaveLength(30 + 30 + 9 + 1);
    expect([...new Set(entries.map((e) => e.fileId))]).toEqual([a, fix, book, bad]);

    const first = rowsOf(entries, a);
    expect(first.map((l) => l.row)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    const outcomeAt = (lines: LedgerLine[], row: number) => lines.find((l) => l.row === row)!;
    expect(outcomeAt(first, 9)).toMatchObject({ outcome: 'rejected', recordId: null, file: 'a.csv', subject: 'XZCF', sheet: null });
    expect(outcomeAt(first, 9).reasons).toEqual([expect.objectContaining({ code: 'cell/date', item: 'CF_JDRQ', message: expect.stringMatching(/^row 9 of a\.csv: /) })]);
    expect(outcomeAt(first, 14)).toMatchObject({ outcome: 'duplicate', reasons: [expect.objectContaining({ code: 'row/duplicate-in-file' })] });
    expect(first.filter((l) => l.outcome === 'loaded')).toHaveLength(28);
    expect(first.filter((l) => l.outcome === 'loaded').every((l) => l.recordId !== null && l.reasons.length === 0)).toBe(true);

    const second = rowsOf(entries, fix);
    expect(second.map((l) => l.row)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    expect(second.filter((l) => l.outcome === 'updated').map((l) => l.row)).toEqual([4]);
    expect(second.filter((l) => l.outcome === 'unchanged')).toHaveLength(27);
    // An unchanged row points to the version it matched: the one the first file loaded.
    expect(outcomeAt(second, 5).recordId).toBe(outcomeAt(first, 5).recordId);
    expect(outcomeAt(second, 4).recordId).not.toBe(outcomeAt(first, 4).recordId);
    expect(second.map((l) => l.outcome).filter((o) => o === 'rejected' || o === 'duplicate')).toEqual(['rejected', 'duplicate']);

    const sheets = rowsOf(entries, book).map((l) => `${l.sheet}:${l.row}:${l.subject}:${l.outcome}`);
    expect(sheets).toEqual([2, 3, 4, 5, 6].map((r) => `处罚:${r}:XZCF:loaded`).concat([2, 3, 4, 5].map((r) => `许可:${r}:XZXK:rejected`)));

    expect(entries.at(-1)).toEqual({ level: 'file', fileId: bad, file: 'bad.xlsx', outcome: 'quarantined', reason: 'file/corrupt: the zip is truncated', duplicateOf: null });
    expect(await collect(runLedger(w, batchId, catalog, { fileIds: [fix] }))).toEqual(second);
  });

  it('reads a file in pages without losing or repeating a row', async () => {
    const { w, a, book } = n;
    for (const id of [a, book]) {
      const whole = await collect(fileLedger(w, id, catalog));
      expect(await collect(fileLedger(w, id, catalog, 4))).toEqual(whole);
      expect(await collect(fileLedger(w, id, catalog, 1))).toEqual(whole);
    }
  });

  it('holds the identity rows read = sum of outcomes, counted from the stored rows', async () => {
    const { w, a, fix, book, bad } = n;
    expect(await ledgerIdentity(w, a)).toEqual({ rowsRead: 30, counts: { loaded: 28, updated: 0, unchanged: 0, duplicate: 1, rejected: 1 }, holds: true });
    expect(await ledgerIdentity(w, fix)).toEqual({ rowsRead: 30, counts: { loaded: 0, updated: 1, unchanged: 27, duplicate: 1, rejected: 1 }, holds: true });
    expect(await ledgerIdentity(w, book)).toEqual({ rowsRead: 9, counts: { loaded: 5, updated: 0, unchanged: 0, duplicate: 0, rejected: 4 }, holds: true });
    expect(await ledgerIdentity(w, bad)).toMatchObject({ rowsRead: 0, holds: true });
  });

  it('fails the identity when a record row is deleted behind the ledger\'s back', async () => {
    const { w, victim } = n;
    expect(await ledgerIdentity(w, victim)).toMatchObject({ rowsRead: 6, holds: true });
    const loaded = (await collect(fileLedger(w, victim, catalog))).find((l) => l.outcome === 'loaded')!;
    await w.knex('xzcf').where('_id', loaded.recordId!).delete();
    const identity = await ledgerIdentity(w, victim);
    expect(identity).toMatchObject({ rowsRead: 6, holds: false });
    expect(identity.counts.loaded).toBe(5);
    // The file's own counters still say 6: the check did not read them.
    expect(Number((await w.knex('etl_files').where('id', victim).first('loaded')).loaded)).toBe(6);
    expect(await collect(fileLedger(w, victim, catalog))).toHaveLength(5);
  });

  it('counts the reasons of a file and names its rejected rows', async () => {
    const { w, fix } = n;
    const r = await fileReasons(w, fix);
    expect(r.rejected).toEqual([{ sheet: null, row: 9 }]);
    expect(r.reasons.map((c) => [c.code, c.count])).toEqual([['cell/date', 1], ['row/duplicate-in-file', 1]]);
    expect(r.reasons[0]!.example).toMatch(/^row 9 of a-fix\.csv: 处罚决定日期/);
  });

  it('tells one row\'s story: the version it became, the one it replaced and what changed', async () => {
    const { w, a, fix } = n;
    const file = (await ledgerFile(w, fix))!;
    const [updated] = await sourceRow(w, file, 4);
    const story = await rowStory(w, updated!, catalog);
    expect(story.version).toMatchObject({ subject: 'XZCF', id: updated!.recordId, validTo: null, closedBy: null, from: { fileId: fix, file: 'a-fix.csv', row: 4 } });
    expect(story.version!.key).toEqual([
      { item: 'CF_WSH', name: '行政处罚决定书文号', value: penaltyRow(2)[column('行政处罚决定书文号')] },
      { item: 'CF_CFJGDM', name: '处罚机关统一社会信用代码', value: penaltyRow(2)[column('处罚机关统一社会信用代码')] },
    ]);
    expect(story.replaced).toMatchObject({ from: { fileId: a, row: 4 }, closedBy: { fileId: fix, file: 'a-fix.csv' }, validTo: expect.any(String) });
    expect(story.changes).toEqual([{ item: 'CF_NR_FK', name: '罚款金额（万元）', before: '0.2', after: '0.3' }]);
    expect(story.repairs).toEqual([expect.objectContaining({ item: 'CF_CFLB', raw: '罚款;没收违法所得', clean: '罚款；没收违法所得' })]);

    const [rejected] = await sourceRow(w, file, 9);
    expect(await rowStory(w, rejected!, catalog)).toMatchObject({ version: null, replaced: null, changes: [], line: { outcome: 'rejected' } });
    expect(await sourceRow(w, file, 99)).toEqual([]);
  });
});
