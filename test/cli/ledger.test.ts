import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { mapHeaders } from '../../src/read/index.js';
import { FileCheck } from '../../src/validate/index.js';
import { startBatch } from '../../src/warehouse/batch.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import { FileLoad, recordUnloadedFile, type DeliveryFile } from '../../src/warehouse/load.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { PENALTY_HEADER, penaltyRow } from '../../scripts/penalty-rows.js';
import { SQLITE, type TestWarehouse } from '../warehouse/servers.js';
import { cli, type Ran } from './capture.js';

const catalog = loadCatalog('v2');
const penalty = catalog.subjects.find((s) => s.code === 'XZCF')!;
const column = (name: string) => PENALTY_HEADER.indexOf(name);
const LEGAL_REP_ID = column('法定代表人证件号码');
const FINE = column('罚款金额（万元）');

const fullWidth = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

/**
 * a.csv, 30 rows: row 6 carries its legal representative's resident ID in full-width digits (a
 * repair), row 7 an ID with a wrong check digit (rejected), row 9 an impossible date (rejected),
 * row 14 repeats row 5's business key (duplicate).
 */
function firstDelivery(): string[][] {
  const cells = Array.from({ length: 30 }, (_, n) => penaltyRow(n));
  cells[4]![LEGAL_REP_ID] = fullWidth(cells[4]![LEGAL_REP_ID]!);
  const id = cells[5]![LEGAL_REP_ID]!;
  cells[5]![LEGAL_REP_ID] = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
  cells[7]![column('处罚决定日期')] = '2019-02-30';
  cells[12] = [...cells[3]!];
  return cells;
}

/** The same file delivered again the next night with row 4 corrected: a new fine and a new legal representative's ID. */
function correction(cells: string[][]): string[][] {
  const fixed = cells.map((c) => [...c]);
  fixed[2]![FINE] = '0.3';
  fixed[2]![LEGAL_REP_ID] = penaltyRow(1002)[LEGAL_REP_ID]!;
  return fixed;
}

const first = firstDelivery();
const second = correction(first);
/** Every resident ID the deliveries hold, as delivered: none may ever be printed. */
const RESIDENT_IDS = [...new Set([...first, ...second].flatMap((c) => [c[LEGAL_REP_ID]!, c[column('证件号码')]!]).filter((v) => v !== '').map((v) => v.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))))];

/** Loads 行政处罚 rows as one file: one table, or one per sheet. */
async function load(wh: Warehouse, batchId: number, path: string, sheets: string[][] | Record<string, string[][]>, sha: string): Promise<number> {
  const name = path.split('/').at(-1)!;
  const file: DeliveryFile = { batchId, unit: 'SCJG', path, name, sha256: sha.padEnd(64, '0'), bytes: 1000 };
  const check = new FileCheck(catalog, name).table(mapHeaders(PENALTY_HEADER, penalty));
  const l = await FileLoad.begin(wh, file);
  for (const [sheet, cells] of Array.isArray(sheets) ? [[undefined, sheets] as const] : Object.entries(sheets)) {
    await l.add(penalty, cells.map((c, i) => ({ checked: check({ row: i + 2, cells: c }), cells: c })), sheet);
  }
  await l.commit();
  return l.fileId;
}

describe('credit-etl ledger and trace (CLI)', () => {
  let place: TestWarehouse;
  let spec: string;

  beforeAll(async () => {
    place = await SQLITE.create();
    spec = place.spec;
    const wh = await openWarehouse(spec);
    try {
      await ensureSchema(wh, catalog);
      const night1 = await startBatch(wh, { catalog: 'v2' });
      await load(wh, night1, '/inbox/2026-11-27/SCJG/a.csv', first, 'a');
      await load(wh, night1, '/inbox/2026-11-27/SCJG/=1+2.csv', [penaltyRow(300), penaltyRow(301)], 'f');
      await recordUnloadedFile(wh, { batchId: night1, unit: 'SCJG', path: '/inbox/2026-11-27/SCJG/bad.xlsx', name: 'bad.xlsx', sha256: 'd'.repeat(64), bytes: 10 },
        'quarantined', 'file/corrupt: the zip is truncated');
      const night2 = await startBatch(wh, { catalog: 'v2' });
      await load(wh, night2, '/inbox/2026-11-28/SCJG/a.csv', second, 'b');
      const night3 = await startBatch(wh, { catalog: 'v2' });
      await load(wh, night3, '/inbox/2026-11-29/SCJG/book.xlsx', { 一月: [penaltyRow(400), penaltyRow(401)], 二月: [penaltyRow(500)] }, 'c');
      await load(wh, night3, '/inbox/2026-11-29/SCJG/victim.csv', [penaltyRow(600), penaltyRow(601)], 'e');
      await recordUnloadedFile(wh, { batchId: night3, unit: 'SCJG', path: '/inbox/2026-11-29/SCJG/book, "copy".xlsx', name: 'book, "copy".xlsx', sha256: 'c'.padEnd(64, '0'), bytes: 1000 },
        'duplicate', 'the same bytes as book.xlsx, loaded in run 3', 5);
    } finally {
      await wh.close();
    }
  });
  afterAll(() => place.drop());

  /** Runs a command line against the warehouse and checks no resident ID leaked into what it printed. */
  async function run(...argv: string[]): Promise<Ran> {
    const r = await cli(...argv, '--warehouse', spec);
    for (const id of RESIDENT_IDS) expect(r.stdout + r.stderr, `resident ID ${id} printed`).not.toContain(id);
    return r;
  }

  it('ledger prints each file\'s rows, outcomes and reasons, then its identity; a quarantined file as one line', async () => {
    const r = await run('ledger', '--run', '1');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run 1: 3 file\(s\)/);
    expect(r.stdout).toMatch(/a\.csv {2}\(file 1, unit SCJG, \/inbox\/2026-11-27\/SCJG\/a\.csv\): loaded into XZCF/);
    expect(r.stdout).toMatch(/\n {2}row +outcome +subject +record +entity +reasons\n {2}2 +loaded +XZCF +1\n/);
    expect(r.stdout).toMatch(/\n {2}9 +rejected +XZCF +cell\/date: 处罚决定日期: 2019-02-30 is not a real date/);
    expect(r.stdout).toMatch(/\n {2}7 +rejected +XZCF +identity\/resident-id-check: 法定代表人证件号码 441302\*{8}\d{4} fails its check character/);
    expect(r.stdout).toMatch(/\n {2}14 +duplicate +XZCF +row\/duplicate-in-file: /);
    expect(r.stdout).toContain('  rows read 30 = loaded 27 + updated 0 + unchanged 0 + duplicate 1 + rejected 2\n');
    expect(r.stdout).toContain('  rows read 2 = loaded 2 + updated 0 + unchanged 0 + duplicate 0 + rejected 0\n');
    expect(r.stdout).toMatch(/bad\.xlsx {2}\(file 3, unit SCJG, .*\): quarantined — file\/corrupt: the zip is truncated; none of its rows were loaded/);
    expect(r.stdout.match(/^ {2}\d+ +(loaded|updated|unchanged|duplicate|rejected) /gm)).toHaveLength(32);
  });

  it('ledger --file narrows the run to one file, by name or path', async () => {
    const byName = await run('ledger', '--run', '2', '--file', 'a.csv');
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain('  rows read 30 = loaded 0 + updated 1 + unchanged 26 + duplicate 1 + rejected 2\n');
    expect(byName.stdout).toMatch(/\n {2}4 +updated +XZCF +\d+/);
    const byPath = await run('ledger', '--run', '1', '--file', '/inbox/2026-11-27/SCJG/bad.xlsx');
    expect(byPath.stdout).toMatch(/^run 1: 1 file\(s\)\n\nbad\.xlsx /);
  });

  it('ledger --format csv writes one record per row, RFC 4180 quoted, formulas neutralised', async () => {
    const r = await run('ledger', '--run', '1', '--format', 'csv');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('\ufeffrun,file_id,file,sheet,row,subject,outcome,reason_codes,reasons,entity_id,record_id\n')).toBe(true);
    const records = parse(r.stdout, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(30 + 2 + 1);
    expect(records.filter((x) => x['file'] === 'a.csv').map((x) => Number(x['row']))).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    expect(records.find((x) => x['file'] === 'a.csv' && x['row'] === '9')).toMatchObject({
      run: '1', file_id: '1', outcome: 'rejected', reason_codes: 'cell/date', reasons: expect.stringMatching(/^row 9 of a\.csv: 处罚决定日期: 2019-02-30/), record_id: '',
    });
    expect(records.find((x) => x['row'] === '2')).toMatchObject({ outcome: 'loaded', record_id: '1', reasons: '' });
    // A file name a spreadsheet would evaluate is written as text.
    expect(records.filter((x) => x['file_id'] === '2').map((x) => x['file'])).toEqual(["'=1+2.csv", "'=1+2.csv"]);
    expect(records.at(-1)).toMatchObject({ file: 'bad.xlsx', row: '', outcome: 'quarantined', reasons: 'file/corrupt: the zip is truncated' });
  });

  it('ledger --format json nests each file\'s identity and rows', async () => {
    const r = await run('ledger', '--run', '2', '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { run: number; files: { name: string; identity: { holds: boolean; counts: Record<string, number> }; rows: { row: number; outcome: string; reasons: { code: string }[] }[] }[] };
    expect(doc.run).toBe(2);
    expect(doc.files).toHaveLength(1);
    expect(doc.files[0]).toMatchObject({ name: 'a.csv', outcome: 'loaded', rowsRead: 30, identity: { holds: true, counts: { updated: 1, unchanged: 26 } } });
    expect(doc.files[0]!.rows).toHaveLength(30);
    expect(doc.files[0]!.rows.find((x) => x.row === 4)).toMatchObject({ outcome: 'updated', reasons: [] });
    expect(doc.files[0]!.rows.find((x) => x.row === 7)!.reasons.map((x) => x.code)).toEqual(['identity/resident-id-check']);
  });

  it('trace FILE tells the latest load of that name: run, unit, sha256, identity, reasons by code, rejected rows, the other loads', async () => {
    const r = await run('trace', 'a.csv');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^a\.csv — file 4 of run 2 \(started \S+, catalog v2\)\n/);
    expect(r.stdout).toMatch(/\n {2}path +\/inbox\/2026-11-28\/SCJG\/a\.csv\n/);
    expect(r.stdout).toMatch(/\n {2}unit +SCJG\n {2}sha256 +b0{63}\n/);
    expect(r.stdout).toMatch(/\n {2}outcome +loaded into XZCF\n/);
    expect(r.stdout).toContain('  rows read 30 = loaded 0 + updated 1 + unchanged 26 + duplicate 1 + rejected 2\n');
    expect(r.stdout).toMatch(/\n {4}cell\/date +×1 +e\.g\. row 9 of a\.csv: 处罚决定日期/);
    expect(r.stdout).toMatch(/\n {4}identity\/resident-id-check +×1 +e\.g\. row 7 of a\.csv: 法定代表人证件号码 441302\*+\d{4} fails/);
    expect(r.stdout).toMatch(/\n {4}row\/duplicate-in-file +×1 /);
    expect(r.stdout).toContain('  rejected rows (2):\n    7, 9\n');
    expect(r.stdout).toMatch(/1 other load\(s\) of a\.csv, not shown: file 1 in run 1 \(unit SCJG, loaded\)/);
    const older = await run('trace', '/inbox/2026-11-27/SCJG/a.csv');
    expect(older.stdout).toMatch(/^a\.csv — file 1 of run 1 /);
    expect(older.stdout).toContain('  rows read 30 = loaded 27 + updated 0 + unchanged 0 + duplicate 1 + rejected 2\n');
    expect(older.stdout).not.toMatch(/other load/);
    const bad = await run('trace', 'bad.xlsx');
    expect(bad.stdout).toMatch(/\n {2}outcome +quarantined — file\/corrupt: the zip is truncated; none of its rows were loaded/);
  });

  it('trace FILE --row N tells an updated row: the version it became, the one it superseded, what changed (personal values masked)', async () => {
    const r = await run('trace', 'a.csv', '--row', '4');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^row 4 of a\.csv \(file 4, run 2\) → XZCF 行政处罚信息: updated\n/);
    expect(r.stdout).toMatch(/\n {2}became record version \d+ of XZCF\n {4}from a\.csv row 4, file 4, run 2\n {4}valid from \S+; in force\n {4}entity not identified yet\n/);
    expect(r.stdout).toContain(`business key: 行政处罚决定书文号 (CF_WSH) ${penaltyRow(2)[column('行政处罚决定书文号')]} · 处罚机关统一社会信用代码 (CF_CFJGDM) ${penaltyRow(2)[column('处罚机关统一社会信用代码')]}`);
    expect(r.stdout).toMatch(/\n {2}it superseded version 3:\n {4}from a\.csv row 4, file 1, run 1\n {4}valid from \S+; closed \S+ by a\.csv \(file 4, run 2\)\n/);
    expect(r.stdout).toMatch(/\n {2}changed:\n {4}法定代表人证件号码 \(CF_FR_ZJHM\) +441302\*{8}\d{4} → 441302\*{8}\d{4}\n {4}罚款金额（万元） \(CF_NR_FK\) +0\.2 → 0\.3\n/);
  });

  it('trace FILE --row N tells a rejected row its reasons, and shows repairs to personal items masked', async () => {
    const rejected = await run('trace', 'a.csv', '--row', '9');
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toMatch(/^row 9 of a\.csv \(file 4, run 2\) → XZCF 行政处罚信息: rejected\n {2}reasons:\n {4}cell\/date {2}row 9 of a\.csv: 处罚决定日期: 2019-02-30/);
    expect(rejected.stdout).toContain('  no record version: the row was not loaded (the row as delivered is kept in the warehouse, not shown here)\n');
    const badId = await run('trace', 'a.csv', '--row', '7');
    expect(badId.stdout).toMatch(/identity\/resident-id-check {2}row 7 of a\.csv: 法定代表人证件号码 441302\*{8}\d{4} fails its check character/);
    const repaired = await run('trace', 'a.csv', '--row', '6');
    expect(repaired.stdout).toMatch(/: unchanged\n {2}matched \(same values, nothing written\) record version 5 of XZCF\n {4}from a\.csv row 6, file 1, run 1\n/);
    expect(repaired.stdout).toMatch(/\n {4}法定代表人证件号码 \(CF_FR_ZJHM\) +４４１３０２\*{8}[０-９]{4} → 441302\*{8}\d{4}\n/);
  });

  it('refuses an unknown run, file or row with a precise message and exit 1', async () => {
    const cases: [string[], RegExp][] = [
      [['ledger', '--run', '9'], /has no run 9: its runs are numbered 1 to 3/],
      [['ledger', '--run', 'x'], /"x" is not a number of 1 or more/],
      [['ledger', '--run', '1', '--file', 'nope.csv'], /run 1 has no file "nope\.csv" \(by path or name\); its files: a\.csv, =1\+2\.csv, bad\.xlsx/],
      [['trace', 'nope.csv'], /has no delivered file with the path or name "nope\.csv"/],
      [['trace', 'a.csv', '--row', '99'], /a\.csv \(file 4, run 2\) has no row 99: its rows run from 2 to 31/],
      [['trace', 'bad.xlsx', '--row', '2'], /bad\.xlsx \(file 3, run 1\) was quarantined — file\/corrupt: the zip is truncated; none of its rows were loaded, so it has no row 2/],
      [['trace', 'a.csv', '--sheet', 'x'], /--sheet picks the sheet of --row/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    const missing = await cli('ledger', '--run', '1', '--warehouse', `${spec}.typo`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no warehouse at .*credit\.db\.typo: check --warehouse/);
  });

  it('lists a workbook sheet by sheet, and asks which sheet when a row number is on several', async () => {
    const r = await run('ledger', '--run', '3');
    expect(r.stdout).toMatch(/\n {2}sheet 一月\n {2}2 +loaded .*\n {2}3 +loaded .*\n {2}sheet 二月\n {2}2 +loaded .*\n {2}rows read 3 = loaded 3 /);
    expect(r.stdout).toContain('\nbook, "copy".xlsx  (file 7, unit SCJG, /inbox/2026-11-29/SCJG/book, "copy".xlsx): duplicate — the same bytes as book.xlsx, loaded in run 3; none of its rows were loaded\n');
    const text = (await run('ledger', '--run', '3', '--format', 'csv')).stdout;
    expect(text).toContain('\n3,7,"book, ""copy"".xlsx",,,,duplicate,,"the same bytes as book.xlsx, loaded in run 3",,\n');
    const csv = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(csv.map((x) => `${x['file']}|${x['sheet']}|${x['row']}|${x['outcome']}`)).toEqual([
      'book.xlsx|一月|2|loaded', 'book.xlsx|一月|3|loaded', 'book.xlsx|二月|2|loaded', 'victim.csv||2|loaded', 'victim.csv||3|loaded', 'book, "copy".xlsx|||duplicate',
    ]);
    expect((await run('trace', 'book, "copy".xlsx')).stdout).toMatch(/\n {2}outcome +duplicate — the same bytes as book\.xlsx, loaded in run 3; none of its rows were loaded\n/);
    expect((await run('trace', 'book.xlsx')).stdout).toContain("  every row: credit-etl ledger --run 3 --file /inbox/2026-11-29/SCJG/book.xlsx\n");
    const both = await run('trace', 'book.xlsx', '--row', '2');
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/book\.xlsx \(file 5, run 3\) has a row 2 on several sheets \(一月, 二月\): pick one with --sheet/);
    const one = await run('trace', 'book.xlsx', '--row', '2', '--sheet', '二月');
    expect(one.stdout).toMatch(/^row 2 of sheet 二月 of book\.xlsx \(file 5, run 3\) → XZCF 行政处罚信息: loaded\n {2}became record version \d+ of XZCF\n {4}from book\.xlsx row 2 of sheet 二月, /);
    expect((await run('trace', 'book.xlsx', '--row', '3', '--sheet', '二月')).stderr).toMatch(/has no row 3 on sheet 二月: its rows run from 2 to 3/);
    // A duplicate delivery's row is the row of the load it repeats.
    const copy = await run('trace', 'book, "copy".xlsx', '--row', '2', '--sheet', '二月');
    expect(copy.code).toBe(0);
    expect(copy.stdout).toMatch(/^book, "copy"\.xlsx \(file 7, run 3\) was a duplicate delivery of file 5 \(run 3\), whose row 2 this is:\nrow 2 of sheet 二月 of book\.xlsx \(file 5, run 3\) → XZCF 行政处罚信息: loaded\n/);
  });

  it('shows the identity broken when a record is deleted behind the ledger\'s back', async () => {
    const wh = await openWarehouse(spec);
    try {
      await wh.knex('xzcf').where({ _file_id: 6, _source_row: 3 }).delete();
    } finally {
      await wh.close();
    }
    const r = await run('ledger', '--run', '3', '--file', 'victim.csv');
    expect(r.stdout).toContain('  rows read 2 ≠ loaded 1 + updated 0 + unchanged 0 + duplicate 0 + rejected 0 = 1: 1 row(s) read have no outcome in the warehouse');
    expect((await run('trace', 'victim.csv')).stdout).toContain('  rows read 2 ≠ loaded 1 ');
  });

  it('--help teaches each command with its options and examples', async () => {
    for (const [command, example] of [['ledger', 'credit-etl ledger --run 12 --format csv'], ['trace', 'credit-etl trace 行政处罚.xlsx']] as const) {
      const r = await cli(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/--warehouse <url\|path>/);
      expect(r.stdout).toContain('Examples:');
      expect(r.stdout).toContain(example);
    }
  });
});
