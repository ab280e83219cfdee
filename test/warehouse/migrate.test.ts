import { describe, expect, it } from 'vitest';
import { diffCatalogs, loadCatalog, type Catalog, type DataItem, type DataSubject } from '../../src/catalog/index.js';
import { mapHeaders } from '../../src/read/index.js';
import { FileCheck } from '../../src/validate/index.js';
import { verifyAudit } from '../../src/warehouse/audit.js';
import type { Warehouse } from '../../src/warehouse/connect.js';
import { FileLoad, keyDigest, type LoadCounts } from '../../src/warehouse/load.js';
import { applyMigration, MigrationError, planMigration } from '../../src/warehouse/migrate.js';
import { ensureSchema, schemaState } from '../../src/warehouse/schema.js';
import { T } from '../../src/warehouse/tables.js';
import { PENALTY_HEADER, penaltyRow } from '../../scripts/penalty-rows.js';
import { freshWarehouse, WAREHOUSE_KINDS } from './servers.js';

const v1 = loadCatalog('v1');
const v2 = loadCatalog('v2');

const lineage = { _key: 'k', _hash: 'h', _batch_id: 1, _file_id: 1, _source_row: 3, _unit: 'SCJG', _change: 'loaded', _valid_from: '2025-06-30T00:00:00.000Z' };

/** v2 cut down to its 行政处罚 table, with one item changed: a catalog pair that differs in that item alone. */
function penaltyPair(item: string, change: Partial<DataItem>): [Catalog, Catalog] {
  const penalty = v2.subjects.find((s) => s.code === 'XZCF')!;
  const before: Catalog = { ...v2, subjects: [penalty] };
  const after: Catalog = {
    ...v2,
    version: { ...v2.version, id: 'v3', supersedes: 'v2' },
    subjects: [{ ...penalty, items: penalty.items.map((i) => (i.code === item ? { ...i, ...change } : i)) }],
  };
  return [before, after];
}

async function migrationEvents(wh: Warehouse): Promise<{ details: string }[]> {
  return (await wh.knex(T.audit).where({ kind: 'migration' })) as { details: string }[];
}

describe.each(WAREHOUSE_KINDS)('warehouse migration on $name', (kind) => {
  const open = freshWarehouse(kind);

  // Some 560 steps, most of them DDL: MariaDB takes 20–40 s for them.
  it('moves a v1 warehouse to v2: renamed columns keep their values, removed items keep theirs, once', { timeout: 240_000 }, async () => {
    const wh = await open();
    await ensureSchema(wh, v1);
    // CF_XDR_ZDM is renamed CF_XDR_ZZJG in v2; CF_CFMC is gone from v2.
    await wh.knex('xzcf').insert({ cf_wsh: '惠市监罚〔2024〕17号', cf_xdr_mc: '惠州市某某餐饮有限公司', cf_xdr_zdm: '12345678-9', cf_cfmc: '食品安全违法案', cf_jdrq: '2024-03-05', ...lineage });

    const plan = await planMigration(wh, v1, v2);
    expect(plan.upToDate).toBe(false);
    expect(plan.steps).toContainEqual(expect.objectContaining({ action: 'rename-column', table: 'xzcf', from: 'cf_xdr_zdm', column: 'cf_xdr_zzjg' }));
    expect(plan.steps).toContainEqual(expect.objectContaining({ action: 'keep-column', table: 'xzcf', column: 'cf_cfmc', breaking: true, rows: 1 }));
    // An empty removed column is no loss: not breaking.
    expect(plan.steps).toContainEqual(expect.objectContaining({ action: 'keep-column', table: 'xzcf', column: 'dfbm', breaking: false, rows: 0 }));
    expect(plan.steps.filter((s) => s.action === 'create-table')).toHaveLength(v2.subjects.length - v1.subjects.length);
    expect(plan.steps.some((s) => s.blocked)).toBe(false);
    const widened = plan.steps.find((s) => s.action === 'alter-column' && s.column === 'cf_xdr_mc')!;
    expect(widened).toMatchObject({ before: 'varchar(128)', after: 'varchar(200)', breaking: false, ddl: kind.dialect !== 'sqlite' });
    if (kind.dialect === 'sqlite') expect(widened.says).toMatch(/SQLite enforces no length or type, so no DDL/);

    const refused = applyMigration(wh, plan, { acceptBreaking: false });
    await expect(refused).rejects.toThrow(MigrationError);
    await expect(applyMigration(wh, plan, { acceptBreaking: false })).rejects.toThrow(/refusing to migrate .* from catalog v1 to v2: \d+ breaking changes\n(.*\n)*  - keep column xzcf\.cf_cfmc: XZCF\.CF_CFMC .* \(1 row holds a value\)\n(.*\n)*.*rerun with --accept-breaking/);
    expect(await schemaState(wh.knex)).toEqual({ catalog: 'v1', schemaVersion: 3 });
    expect(await wh.knex.schema.hasColumn('xzcf', 'cf_xdr_zdm')).toBe(true);

    await applyMigration(wh, plan, { acceptBreaking: true });
    const [row] = (await wh.knex('xzcf').select('cf_xdr_zzjg', 'cf_cfmc', 'cf_wsh')) as Record<string, string>[];
    expect(row).toEqual({ cf_xdr_zzjg: '12345678-9', cf_cfmc: '食品安全违法案', cf_wsh: '惠市监罚〔2024〕17号' });
    expect(await wh.knex.schema.hasColumn('xzcf', 'cf_xdr_zdm')).toBe(false);
    const columns = await wh.knex('xzcf').columnInfo();
    for (const item of v2.subjects.find((s) => s.code === 'XZCF')!.items) expect(columns).toHaveProperty(item.code.toLowerCase());
    if (kind.dialect !== 'sqlite') expect(columns['cf_xdr_mc']?.maxLength).toBe(200);
    expect(await wh.knex.schema.hasTable('fgj_xyxf')).toBe(true);
    expect(await schemaState(wh.knex)).toEqual({ catalog: 'v2', schemaVersion: 3 });
    // What a migrated warehouse has is what a new v2 one would: nothing left to create.
    expect(await ensureSchema(wh, v2)).toEqual([]);

    const events = await migrationEvents(wh);
    expect(events).toHaveLength(1);
    const details = JSON.parse(events[0]!.details) as { from: string; to: string; acceptBreaking: boolean; steps: string[] };
    expect(details).toMatchObject({ from: 'v1', to: 'v2', acceptBreaking: true });
    expect(details.steps).toHaveLength(plan.steps.length);
    expect(details.steps).toContain('rename-column cf_xdr_zdm → xzcf.cf_xdr_zzjg');
    expect(details.steps).toContain('keep-column xzcf.cf_cfmc (breaking, 1 row)');
    expect((await verifyAudit(wh.knex)).broken).toBeUndefined();

    const again = await planMigration(wh, v1, v2);
    expect(again).toMatchObject({ upToDate: true, steps: [] });
    await applyMigration(wh, again, { acceptBreaking: false });
    expect(await migrationEvents(wh)).toHaveLength(1);
  });

  it('continues where an interrupted attempt stopped', async () => {
    const wh = await open();
    const [before, after] = penaltyPair('CF_XDR_MC', { length: 300 });
    const renamed: Catalog = {
      ...after,
      subjects: after.subjects.map((s) => ({
        ...s,
        businessKey: s.businessKey.map((k) => (k === 'CF_WSH' ? 'CF_JDSWH' : k)),
        items: s.items.map((i) => (i.code === 'CF_WSH' ? { ...i, code: 'CF_JDSWH', renamedFrom: 'CF_WSH' } : i)),
      })),
    };
    await ensureSchema(wh, before);
    await wh.knex('xzcf').insert({ cf_wsh: '惠市监罚〔2024〕17号', ...lineage });
    const plan = await planMigration(wh, before, renamed);
    expect(plan.steps.map((s) => s.action)).toEqual(['rename-column', 'alter-column', 'rekey']);
    // The first attempt got as far as the rename (MySQL would have committed it) and then died.
    await wh.knex.schema.alterTable('xzcf', (t) => { t.renameColumn('cf_wsh', 'cf_jdswh'); });

    const replanned = await planMigration(wh, before, renamed);
    await applyMigration(wh, replanned, { acceptBreaking: false });
    expect(await wh.knex('xzcf').pluck('cf_jdswh')).toEqual(['惠市监罚〔2024〕17号']);
    expect((await schemaState(wh.knex)).catalog).toBe('v3');
    expect(await migrationEvents(wh)).toHaveLength(1);
  });

  it('never narrows a column whose stored values are longer, even with breaking changes accepted', async () => {
    const wh = await open();
    const [before, after] = penaltyPair('CF_WSH', { length: 12 });
    await ensureSchema(wh, before);
    await wh.knex('xzcf').insert([
      { cf_wsh: '惠市监罚〔2024〕17号', ...lineage },
      { cf_wsh: '惠市监罚〔2024〕1234号', ...lineage, _key: 'k2' },
      { cf_wsh: 'HZ-17', ...lineage, _key: 'k3' },
    ]);
    const plan = await planMigration(wh, before, after);
    expect(plan.steps).toEqual([expect.objectContaining({ action: 'alter-column', table: 'xzcf', column: 'cf_wsh', before: 'varchar(64)', after: 'varchar(12)', breaking: true, blocked: true, rows: 2 })]);
    await expect(applyMigration(wh, plan, { acceptBreaking: true })).rejects.toThrow(
      /cannot migrate .* from catalog v2 to v3: 1 column would have to cut or drop stored values.*\n  - change xzcf\.cf_wsh varchar\(64\) → varchar\(12\) .*2 stored values are longer than 12 characters/);
    expect((await wh.knex('xzcf').pluck('cf_wsh')).sort()).toEqual(['HZ-17', '惠市监罚〔2024〕1234号', '惠市监罚〔2024〕17号']);
    expect((await schemaState(wh.knex)).catalog).toBe('v2');
    expect(await migrationEvents(wh)).toHaveLength(0);
  });

  it('narrows a column whose stored values all fit, only when breaking changes are accepted', async () => {
    const wh = await open();
    const [before, after] = penaltyPair('CF_WSH', { length: 12 });
    await ensureSchema(wh, before);
    await wh.knex('xzcf').insert({ cf_wsh: '惠市监罚〔2024〕1号', ...lineage });
    const plan = await planMigration(wh, before, after);
    expect(plan.steps).toEqual([expect.objectContaining({ action: 'alter-column', column: 'cf_wsh', breaking: true, blocked: false, rows: 0, ddl: kind.dialect !== 'sqlite' })]);
    await expect(applyMigration(wh, plan, { acceptBreaking: false })).rejects.toThrow(/1 breaking change\n  - change xzcf\.cf_wsh varchar\(64\) → varchar\(12\) \(stored values longer than 12 would be cut\)/);
    await applyMigration(wh, plan, { acceptBreaking: true });
    expect(await wh.knex('xzcf').pluck('cf_wsh')).toEqual(['惠市监罚〔2024〕1号']);
    if (kind.dialect !== 'sqlite') expect((await wh.knex('xzcf').columnInfo('cf_wsh')).maxLength).toBe(12);
    expect((await schemaState(wh.knex)).catalog).toBe('v3');
    const [event] = await migrationEvents(wh);
    expect(JSON.parse(event!.details)).toMatchObject({ acceptBreaking: true, breaking: 1, steps: [expect.stringMatching(/^alter-column xzcf\.cf_wsh varchar\(64\) → varchar\(12\)/)] });
  });

  it('turns text into dates only where every stored value is a date', async () => {
    const wh = await open();
    const [before, after] = penaltyPair('BZ', { type: 'date', length: undefined });
    await ensureSchema(wh, before);
    await wh.knex('xzcf').insert([{ bz: '2024-03-05', ...lineage }, { bz: '2024年3月5日', ...lineage, _key: 'k2' }]);
    const plan = await planMigration(wh, before, after);
    expect(plan.steps).toEqual([expect.objectContaining({ action: 'alter-column', column: 'bz', after: 'date', blocked: true, rows: 1 })]);
    expect(plan.steps[0]!.says).toMatch(/1 stored value is not in date form \(YYYY-MM-DD\)/);
    await wh.knex('xzcf').where({ _key: 'k2' }).update({ bz: null });
    const fits = await planMigration(wh, before, after);
    expect(fits.steps[0]).toMatchObject({ blocked: false, rows: 0 });
    await applyMigration(wh, fits, { acceptBreaking: true });
    expect(await wh.knex('xzcf').whereNotNull('bz').pluck('bz')).toEqual(['2024-03-05']);
  });
});

/** v2 cut down to its 行政处罚 table (罚款金额 made required, on both sides), and a v3 that changes only its business key. */
function rekeyPair(businessKey: string[]): [Catalog, Catalog] {
  const penalty = v2.subjects.find((s) => s.code === 'XZCF')!;
  const subject: DataSubject = { ...penalty, items: penalty.items.map((i) => (i.code === 'CF_NR_FK' ? { ...i, required: true } : i)) };
  return [
    { ...v2, subjects: [subject] },
    { ...v2, version: { ...v2.version, id: 'v3', supersedes: 'v2' }, subjects: [{ ...subject, businessKey }] },
  ];
}

/** The `_key` the loader would give a stored row: its key items' values as read back, numbers and days as delivered. */
function expectedKey(subject: DataSubject, row: Record<string, unknown>): string {
  return keyDigest(subject.businessKey.map((code) => {
    const v = row[code.toLowerCase()];
    const type = subject.items.find((i) => i.code === code)!.type;
    if (v === null || v === undefined) return null;
    return type === 'decimal' || type === 'integer' ? Number(v) : type === 'date' ? String(v).slice(0, 10) : String(v);
  }));
}

describe.each(WAREHOUSE_KINDS)('re-keying on a business key change, on $name', (kind) => {
  const open = freshWarehouse(kind);

  async function loadPenalties(wh: Warehouse, catalog: Catalog, name: string, cells: string[][]): Promise<LoadCounts> {
    const subject = catalog.subjects.find((s) => s.code === 'XZCF')!;
    const check = new FileCheck(catalog, name).table(mapHeaders(PENALTY_HEADER, subject));
    const l = await FileLoad.begin(wh, { batchId: 1, unit: 'SCJG', path: `/inbox/SCJG/${name}`, name, sha256: name.padEnd(64, '0'), bytes: 1000 });
    await l.add(subject, cells.map((c, i) => ({ checked: check({ row: i + 2, cells: c }), cells: c })));
    return l.commit();
  }

  it('v1 → v2 re-keys 行政处罚 from CF_WSH+CF_XZJG to CF_WSH+CF_CFJGDM and counts the records it no longer tells apart', { timeout: 240_000 }, async () => {
    const wh = await open();
    await ensureSchema(wh, v1);
    // Two decisions numbered alike by two authorities: v2's key (the authority's code, empty for v1 rows) cannot tell them apart.
    await wh.knex('xzcf').insert([
      { cf_wsh: '惠市监罚〔2024〕17号', cf_xzjg: '惠州市市场监督管理局', cf_jdrq: '2024-03-05', ...lineage, _key: 'a' },
      { cf_wsh: '惠市监罚〔2024〕17号', cf_xzjg: '惠州市生态环境局', cf_jdrq: '2024-04-01', ...lineage, _key: 'b' },
      { cf_wsh: '惠市监罚〔2024〕18号', cf_xzjg: '惠州市市场监督管理局', cf_jdrq: '2024-03-06', ...lineage, _key: 'c' },
    ]);
    const keyChange = diffCatalogs(v1, v2).changes.find((c) => c.target === 'XZCF' && c.property === 'business_key');
    expect(keyChange).toMatchObject({ kind: 'changed', before: 'CF_WSH+CF_XZJG', after: 'CF_WSH+CF_CFJGDM', compatibility: 'breaking' });

    const plan = await planMigration(wh, v1, v2);
    const step = plan.steps.find((s) => s.action === 'rekey' && s.table === 'xzcf')!;
    expect(step).toMatchObject({ target: 'XZCF', breaking: true, blocked: false, rows: 3, ddl: false });
    expect(step.says).toMatch(/CF_CFJGDM is new in v2 and empty in the stored versions: a re-delivery that fills it is keyed apart from them/);
    // After every column step: the key items are in place under their new names.
    expect(plan.steps.slice(plan.steps.indexOf(step)).every((s) => s.action === 'rekey')).toBe(true);
    await expect(applyMigration(wh, plan, { acceptBreaking: false })).rejects.toThrow(/  - re-key xzcf: recompute _key of 3 stored versions from CF_WSH\+CF_CFJGDM/);

    await applyMigration(wh, plan, { acceptBreaking: true });
    const xzcf = v2.subjects.find((s) => s.code === 'XZCF')!;
    const rows = (await wh.knex('xzcf').orderBy('_id')) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row['_key']).toBe(expectedKey(xzcf, row));
    expect(rows[0]!['_key']).toBe(keyDigest(['惠市监罚〔2024〕17号', null]));
    expect(rows[0]!['_key']).toBe(rows[1]!['_key']);
    const ids = rows.slice(0, 2).map((r) => Number(r['_id']));
    expect(step.shared).toEqual({ versions: 2, ids });
    expect(step.says).toMatch(new RegExp(`applied: 2 open versions share a key with another \\(_id ${ids.join(', ')}\\)`));
    const [event] = await migrationEvents(wh);
    const details = JSON.parse(event!.details) as { steps: string[] };
    expect(details.steps).toContain(`rekey xzcf (breaking, 3 rows, 2 open versions share a key with another (_id ${ids.join(', ')}))`);
    // Nothing merged, nothing closed.
    expect(rows.every((r) => r['_valid_to'] === null)).toBe(true);
    expect((await verifyAudit(wh.knex)).broken).toBeUndefined();
  });

  it('after a key change, the same rows delivered again are unchanged, not new records', { timeout: 60_000 }, async () => {
    const wh = await open();
    const [before, after] = rekeyPair(['CF_WSH', 'CF_JDRQ', 'CF_NR_FK']);
    await ensureSchema(wh, before);
    const cells = Array.from({ length: 12 }, (_, n) => penaltyRow(n));
    expect(await loadPenalties(wh, before, 'a.csv', cells)).toMatchObject({ loaded: 12, rejected: 0 });

    const plan = await planMigration(wh, before, after);
    expect(plan.steps).toEqual([expect.objectContaining({ action: 'rekey', table: 'xzcf', breaking: true, rows: 12 })]);
    expect(plan.steps[0]!.says).not.toMatch(/new in/);
    await expect(applyMigration(wh, plan, { acceptBreaking: false })).rejects.toThrow(MigrationError);
    await applyMigration(wh, plan, { acceptBreaking: true });
    expect(plan.steps[0]!.shared).toEqual({ versions: 0, ids: [] });
    expect(plan.steps[0]!.says).toMatch(/applied: every open version has a key of its own/);
    const subject = after.subjects[0]!;
    for (const row of (await wh.knex('xzcf')) as Record<string, unknown>[]) expect(row['_key']).toBe(expectedKey(subject, row));

    expect(await loadPenalties(wh, after, 'a-again.csv', cells)).toMatchObject({ loaded: 0, updated: 0, unchanged: 12 });
    const [{ n }] = (await wh.knex('xzcf').count({ n: '*' })) as [{ n: number | string }];
    expect(Number(n)).toBe(12);
  });

  it('after an item is renamed, the same rows delivered again are unchanged: version digests follow the new codes', { timeout: 60_000 }, async () => {
    const wh = await open();
    const [before] = rekeyPair(['CF_WSH', 'CF_CFJGDM']);
    const penalty = before.subjects[0]!;
    const after: Catalog = {
      ...before,
      version: { ...before.version, id: 'v3', supersedes: 'v2' },
      subjects: [{ ...penalty, items: penalty.items.map((i) => (i.code === 'CF_SY' ? { ...i, code: 'CF_WFSS', renamedFrom: 'CF_SY' } : i)) }],
    };
    await ensureSchema(wh, before);
    const cells = Array.from({ length: 5 }, (_, n) => penaltyRow(n));
    expect(await loadPenalties(wh, before, 'a.csv', cells)).toMatchObject({ loaded: 5 });
    const plan = await planMigration(wh, before, after);
    expect(plan.steps.map((st) => [st.action, st.breaking])).toEqual([['rename-column', false], ['rekey', false]]);
    await applyMigration(wh, plan, { acceptBreaking: false });
    expect(await loadPenalties(wh, after, 'a-again.csv', cells)).toMatchObject({ loaded: 0, updated: 0, unchanged: 5 });
  });

  it('re-keying again finds every key already right and changes nothing', async () => {
    const wh = await open();
    const [before, after] = rekeyPair(['CF_WSH', 'CF_JDRQ']);
    await ensureSchema(wh, before);
    await loadPenalties(wh, before, 'a.csv', Array.from({ length: 3 }, (_, n) => penaltyRow(n)));
    // An earlier attempt re-keyed the first row, then died before recording the new version.
    const first = (await wh.knex('xzcf').orderBy('_id').first()) as Record<string, unknown>;
    await wh.knex('xzcf').where({ _id: first['_id'] }).update({ _key: expectedKey(after.subjects[0]!, first) });
    const plan = await planMigration(wh, before, after);
    await applyMigration(wh, plan, { acceptBreaking: true });
    const rows = (await wh.knex('xzcf').orderBy('_id')) as Record<string, unknown>[];
    for (const row of rows) expect(row['_key']).toBe(expectedKey(after.subjects[0]!, row));
    expect(new Set(rows.map((r) => r['_key'])).size).toBe(3);
  });
});
