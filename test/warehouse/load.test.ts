import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { mapHeaders } from '../../src/read/index.js';
import { FileCheck } from '../../src/validate/index.js';
import { verifyAudit } from '../../src/warehouse/audit.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import { FileLoad, keyDigest, loadedFileWithHash, recordUnloadedFile, versionDigest, type DeliveryFile, type LoadRow } from '../../src/warehouse/load.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { LICENSING_HEADER, licensingRow, PENALTY_HEADER, penaltyRow } from '../../scripts/penalty-rows.js';
import { freshWarehouse, WAREHOUSE_KINDS } from './servers.js';

const catalog = loadCatalog('v2');
const penalty = catalog.subjects.find((s) => s.code === 'XZCF')!;
const column = (name: string) => PENALTY_HEADER.indexOf(name);

/** Rows of a 行政处罚 delivery as the check stage hands them to the load stage. */
function checked(name: string, cells: string[][]): LoadRow[] {
  const check = new FileCheck(catalog, name).table(mapHeaders(PENALTY_HEADER, penalty));
  return cells.map((c, i) => ({ checked: check({ row: i + 2, cells: c }), cells: c }));
}

const delivery = (name: string, sha: string): DeliveryFile => ({ batchId: 1, unit: 'SCJG', path: `/inbox/2026-11-27/SCJG/${name}`, name, sha256: sha.padEnd(64, '0'), bytes: 1000 });

async function load(wh: Warehouse, file: DeliveryFile, rows: LoadRow[]) {
  const l = await FileLoad.begin(wh, file);
  await l.add(penalty, rows);
  return { fileId: l.fileId, counts: await l.commit() };
}

/** Rows of one file answered by the warehouse: record versions it brought plus its ledger rows. */
async function answered(wh: Warehouse, fileId: number): Promise<number> {
  const [{ n: records }] = (await wh.knex('xzcf').where('_file_id', fileId).count({ n: '*' })) as [{ n: number | string }];
  const [{ n: ledger }] = (await wh.knex('etl_ledger').where('file_id', fileId).count({ n: '*' })) as [{ n: number | string }];
  return Number(records) + Number(ledger);
}

describe('the digests that decide unchanged and updated', () => {
  it('a version digest ignores empty items and catalog order: a later catalog\'s new item changes no stored hash', () => {
    const record = { CF_WSH: '惠市监罚〔2019〕1号', CF_NR_FK: 0.2 };
    expect(versionDigest({ ...record, CF_BZ: undefined }, ['CF_BZ', 'CF_NR_FK', 'CF_WSH'])).toBe(versionDigest(record, ['CF_NR_FK', 'CF_WSH']));
    expect(versionDigest({ ...record, CF_BZ: '补充' }, ['CF_BZ', 'CF_NR_FK', 'CF_WSH'])).not.toBe(versionDigest(record, ['CF_NR_FK', 'CF_WSH']));
    expect(versionDigest({ ...record, CF_NR_FK: 0.3 }, ['CF_NR_FK', 'CF_WSH'])).not.toBe(versionDigest(record, ['CF_NR_FK', 'CF_WSH']));
  });

  it('a key digest tells every split of the key\'s characters apart', () => {
    expect(keyDigest(['a,b', 'c'])).not.toBe(keyDigest(['a', 'b,c']));
    expect(keyDigest(['a', null])).not.toBe(keyDigest(['a', 'null']));
    expect(keyDigest(['a', undefined])).toBe(keyDigest(['a', null]));
  });
});

describe.each(WAREHOUSE_KINDS)('loading a file into $name', (kind) => {
  const open = freshWarehouse(kind);

  async function fresh(): Promise<Warehouse> {
    const wh = await open();
    await ensureSchema(wh, catalog);
    return wh;
  }

  it('loads new keys, rejects bad rows, names duplicates; every row is answerable; a rerun changes nothing', async () => {
    const w = await fresh();
    const cells = Array.from({ length: 30 }, (_, n) => penaltyRow(n));
    cells[7]![column('处罚决定日期')] = '2019-02-30';
    cells[12] = [...cells[3]!];
    const first = await load(w, delivery('a.csv', 'a'), checked('a.csv', cells));
    expect(first.counts).toEqual({
      rowsRead: 30, loaded: 28, updated: 0, unchanged: 0, duplicate: 1, rejected: 1, repairs: first.counts.repairs,
      entities: { entities: 0, merges: 0, conflicts: 0 }, identityWarnings: 0,
    });
    expect(await answered(w, first.fileId)).toBe(30);
    const rejected = await w.knex('etl_ledger').where({ file_id: first.fileId, outcome: 'rejected' }).first();
    expect(rejected.row).toBe(9);
    expect(JSON.parse(rejected.reasons as string)).toEqual([expect.objectContaining({ code: 'cell/date', item: 'CF_JDRQ' })]);
    expect(JSON.parse(rejected.raw as string)).toEqual(cells[7]);
    const rejects = await w.knex('etl_rejects').select('file', 'unit', 'row', 'subject', 'reasons');
    expect(rejects).toEqual([{ file: 'a.csv', unit: 'SCJG', row: 9, subject: 'XZCF', reasons: rejected.reasons }]);

    const again = await load(w, delivery('a-again.csv', 'b'), checked('a-again.csv', cells));
    expect(again.counts).toMatchObject({ rowsRead: 30, loaded: 0, updated: 0, unchanged: 28, duplicate: 1, rejected: 1 });
    expect(await answered(w, again.fileId)).toBe(30);
    const [{ n }] = (await w.knex('xzcf').count({ n: '*' })) as [{ n: number | string }];
    expect(Number(n)).toBe(28);
    const audit = await verifyAudit(w.knex);
    expect(audit.events).toBe(2);
    expect(audit.broken).toBeUndefined();
  });

  it('keeps history: a correction closes the old version and opens a new one, from the correcting file', async () => {
    const w = await fresh();
    const cells = Array.from({ length: 5 }, (_, n) => penaltyRow(n));
    const first = await load(w, delivery('a.csv', 'a'), checked('a.csv', cells));
    const fixed = cells.map((c) => [...c]);
    fixed[2]![column('罚款金额（万元）')] = '0.3';
    const second = await load(w, delivery('fix.csv', 'c'), checked('fix.csv', fixed));
    expect(second.counts).toMatchObject({ loaded: 0, updated: 1, unchanged: 4 });
    const versions = await w.knex('xzcf').where('cf_wsh', cells[2]![column('行政处罚决定书文号')]!).orderBy('_id');
    expect(versions).toHaveLength(2);
    expect(versions[0]).toMatchObject({ _file_id: first.fileId, _change: 'loaded', _closed_by_file: second.fileId });
    expect(versions[0]._valid_to).toEqual(expect.any(String));
    expect(versions[1]).toMatchObject({ _file_id: second.fileId, _change: 'updated', _valid_to: null });
    expect(Number(versions[0].cf_nr_fk)).toBe(0.2);
    expect(Number(versions[1].cf_nr_fk)).toBe(0.3);
    // The correction again is compared with the newest version, not the first: all unchanged.
    expect((await load(w, delivery('fix-again.csv', 'd'), checked('fix-again.csv', fixed))).counts).toMatchObject({ updated: 0, unchanged: 5 });
  });

  it('leaves nothing of a file rolled back mid-load, and loads it whole the next time', async () => {
    const w = await fresh();
    const rows = checked('a.csv', Array.from({ length: 10 }, (_, n) => penaltyRow(n)));
    const broken = await FileLoad.begin(w, delivery('a.csv', 'a'));
    await broken.add(penalty, rows.slice(0, 6));
    await broken.rollback();
    for (const table of ['xzcf', 'etl_files', 'etl_ledger', 'etl_repairs', 'etl_audit']) {
      const [{ n }] = (await w.knex(table).count({ n: '*' })) as [{ n: number | string }];
      expect(Number(n), table).toBe(0);
    }
    expect(await loadedFileWithHash(w.knex, 'a'.padEnd(64, '0'))).toBeUndefined();
    const whole = await load(w, delivery('a.csv', 'a'), rows);
    expect(whole.counts.loaded).toBe(10);
    expect(await loadedFileWithHash(w.knex, 'a'.padEnd(64, '0'))).toMatchObject({ id: whole.fileId, name: 'a.csv' });
  });

  it('closes a record its unit withdraws, keeping every version, and takes the same withdrawal again as unchanged', async () => {
    const w = await fresh();
    const licensing = catalog.subjects.find((s) => s.code === 'XZXK')!;
    expect(licensing.withdrawnWhen).toEqual({ when: 'XK_ZT', in: ['无效'] });
    const state = LICENSING_HEADER.indexOf('当前状态');
    const rowsOf = (name: string, cells: string[][]) => {
      const check = new FileCheck(catalog, name).table(mapHeaders(LICENSING_HEADER, licensing));
      return cells.map((c, i) => ({ checked: check({ row: i + 2, cells: c }), cells: c }));
    };
    const loadLicences = async (file: DeliveryFile, cells: string[][]) => {
      const l = await FileLoad.begin(w, file);
      await l.add(licensing, rowsOf(file.name, cells));
      return l.commit();
    };
    const granted = [licensingRow(0, '惠州市鸿达五金制品有限公司'), licensingRow(1, '惠州市粤惠电子科技有限公司')];
    for (const c of granted) {
      c[LICENSING_HEADER.indexOf('法定代表人证件类型')] = '身份证';
      c[LICENSING_HEADER.indexOf('法定代表人证件号码')] = '440524188001010014';
    }
    expect(await loadLicences(delivery('xk.csv', 'x1'), granted)).toMatchObject({ loaded: 2 });
    const revoked = granted.map((c) => [...c]);
    revoked[1]![state] = '撤销';
    expect(await loadLicences(delivery('xk-revoked.csv', 'x2'), revoked)).toMatchObject({ updated: 1, unchanged: 1 });
    const versions = await w.knex('xzxk').where('xk_wsh', granted[1]![LICENSING_HEADER.indexOf('行政许可决定文书号')]!).orderBy('_id');
    expect(versions.map((v: Record<string, unknown>) => [v['xk_zt'], v['_change'], Number(v['_withdrawn']), v['_valid_to'] === null])).toEqual([
      ['有效', 'loaded', 0, false],
      ['无效', 'updated', 1, false],
    ]);
    expect(versions[1]._valid_to).toBe(versions[1]._valid_from);
    const revokedFile = (await w.knex('etl_files').where({ name: 'xk-revoked.csv' }).first('id')) as { id: number };
    expect(versions[1]._closed_by_file).toBe(revokedFile.id);
    const open = await w.knex('xzxk').whereNull('_valid_to').count({ n: '*' });
    expect(Number((open[0] as { n: number | string }).n)).toBe(1);
    expect(await loadLicences(delivery('xk-revoked-again.csv', 'x3'), revoked)).toMatchObject({ loaded: 0, updated: 0, unchanged: 2 });
  });

  it('two loads of one subject at once (two units, same record) open one version, not two', async () => {
    const w = await fresh();
    // Another pool on the same warehouse, as another worker process would have (test servers have no password).
    const other = await openWarehouse(w.shown);
    try {
      const rows = () => checked('x.csv', [penaltyRow(0)]);
      const a = await FileLoad.begin(w, { ...delivery('scjg.csv', 'a'), unit: 'SCJG' });
      await a.add(penalty, rows());
      // On a server the second load waits at the subject's lock; on SQLite at the write lock.
      const b = w.dialect === 'sqlite' ? undefined : await FileLoad.begin(other, { ...delivery('swj.csv', 'b'), unit: 'SWJ' });
      const waiting = b?.add(penalty, rows());
      await a.commit();
      await waiting;
      const second = b ? await b.commit() : await load(w, { ...delivery('swj.csv', 'b'), unit: 'SWJ' }, rows()).then((r) => r.counts);
      expect(second).toMatchObject({ loaded: 0, unchanged: 1 });
      const open = (await w.knex('xzcf').whereNull('_valid_to').count({ n: '*' })) as [{ n: number | string }];
      expect(Number(open[0].n)).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('loads a row with a NUL byte in its text: the value is cleansed, the repair keeps it visible', async () => {
    const w = await fresh();
    const cells = penaltyRow(0);
    cells[column('违法事实')] = '当事人\u0000销售不合格产品';
    const { counts, fileId } = await load(w, delivery('nul.csv', 'n'), checked('nul.csv', [cells]));
    expect(counts).toMatchObject({ loaded: 1, rejected: 0 });
    expect((await w.knex('xzcf').first('cf_sy')).cf_sy).toBe('当事人销售不合格产品');
    const repair = await w.knex('etl_repairs').where({ file_id: fileId, item: 'CF_SY' }).first('raw', 'clean');
    expect(repair).toEqual({ raw: w.dialect === 'postgres' ? '当事人\ufffd销售不合格产品' : '当事人\u0000销售不合格产品', clean: '当事人销售不合格产品' });
  });

  it('refuses to commit a file one of whose batches failed, and leaves nothing of it after the rollback', async () => {
    const w = await fresh();
    const l = await FileLoad.begin(w, delivery('half.csv', 'h'));
    await l.add(penalty, checked('half.csv', [penaltyRow(0)]));
    const unknown = { ...penalty, code: 'NOPE', items: [], businessKey: [] };
    await expect(l.add(unknown, [])).rejects.toThrow();
    await expect(l.commit()).rejects.toThrow(/the load of half\.csv failed \(.*\): roll it back; it cannot be committed/);
    await l.rollback();
    const [{ n }] = (await w.knex('etl_files').count({ n: '*' })) as [{ n: number | string }];
    expect(Number(n)).toBe(0);
  });

  it('records a duplicate delivery and a quarantined file with their reasons and audit events', async () => {
    const w = await fresh();
    const first = await load(w, delivery('a.csv', 'a'), checked('a.csv', [penaltyRow(0)]));
    const dup = await recordUnloadedFile(w, delivery('a-copy.csv', 'a'), 'duplicate', 'the same bytes as a.csv, loaded in run 1', first.fileId);
    const bad = await recordUnloadedFile(w, delivery('bad.xlsx', 'd'), 'quarantined', 'file/corrupt: the zip is truncated');
    const files = await w.knex('etl_files').orderBy('id');
    expect(files.map((f: { outcome: string }) => f.outcome)).toEqual(['loaded', 'duplicate', 'quarantined']);
    expect(files[1]).toMatchObject({ id: dup, duplicate_of: first.fileId, rows_read: 0 });
    expect(files[2]).toMatchObject({ id: bad, reason: 'file/corrupt: the zip is truncated' });
    const kinds = (await w.knex('etl_audit').orderBy('id').pluck('kind')) as string[];
    expect(kinds).toEqual(['file-accepted', 'file-duplicate', 'file-quarantined']);
    expect((await verifyAudit(w.knex)).broken).toBeUndefined();
  });
});
