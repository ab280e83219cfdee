import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { ensureSchema, schemaState, SchemaMismatch, setMeta } from '../../src/warehouse/schema.js';
import { T } from '../../src/warehouse/tables.js';
import { freshWarehouse, WAREHOUSE_KINDS } from './servers.js';

const v2 = loadCatalog('v2');
const v1 = loadCatalog('v1');

describe.each(WAREHOUSE_KINDS)('warehouse schema on $name', (kind) => {
  const open = freshWarehouse(kind);

  it('builds every toolkit table and one table per data subject, typed from the catalog, once', async () => {
    const wh = await open();
    const created = await ensureSchema(wh, v2);
    expect(created).toHaveLength(Object.keys(T).length + v2.subjects.length);
    expect(await ensureSchema(wh, v2)).toEqual([]);
    expect(await schemaState(wh.knex)).toEqual({ catalog: 'v2', schemaVersion: 3 });
    const columns = await wh.knex('xzcf').columnInfo();
    const penalty = v2.subjects.find((s) => s.code === 'XZCF')!;
    for (const item of penalty.items) expect(columns).toHaveProperty(item.code.toLowerCase());
    for (const c of ['_id', '_key', '_hash', '_entity_id', '_link_rule', '_link_evidence', '_batch_id', '_file_id', '_source_row', '_valid_from', '_valid_to']) expect(columns).toHaveProperty(c);
    // A Chinese value beyond the BMP and a 万元 amount with six decimals come back as stored.
    await wh.knex('xzcf').insert({ cf_xdr_mc: '𠮷野家餐饮', cf_nr_fk: 0.123456, cf_jdrq: '2019-03-05', _key: 'k', _hash: 'h', _batch_id: 1, _file_id: 1, _source_row: 3, _unit: 'SCJG', _change: 'loaded', _valid_from: '2026-11-28T00:00:00.000Z' });
    const [row] = (await wh.knex('xzcf').select('cf_xdr_mc', 'cf_nr_fk', 'cf_jdrq')) as { cf_xdr_mc: string; cf_nr_fk: number | string; cf_jdrq: string }[];
    expect(row).toEqual({ cf_xdr_mc: '𠮷野家餐饮', cf_nr_fk: kind.dialect === 'mysql' ? '0.123456' : 0.123456, cf_jdrq: '2019-03-05' });
  });

  it('refuses to run a warehouse of catalog v1 as v2: that is a migration', async () => {
    const wh = await open();
    await ensureSchema(wh, v1);
    await expect(ensureSchema(wh, v2)).rejects.toThrow(SchemaMismatch);
    await expect(ensureSchema(wh, v2)).rejects.toThrow(/holds catalog v1 data, not v2: move it with `credit-etl warehouse migrate --catalog v2`/);
  });

  it('upgrades a schema-1 warehouse: records gain their link columns, the registry tables their new shape, rows stay', async () => {
    const wh = await open();
    await ensureSchema(wh, v1);
    // Schema 1 as it was: no link columns, the first registry tables, version 1.
    await wh.knex.schema.alterTable('xzcf', (t) => t.dropColumns('_link_rule', '_link_evidence'));
    for (const name of [T.entities, T.entityNames, T.identifiers, T.merges, T.conflicts, T.missing]) await wh.knex.schema.dropTable(name);
    // SQLite drops a column by rebuilding the table, which the view over it would block.
    await wh.knex.raw('drop view etl_rejects');
    await wh.knex.schema.alterTable(T.files, (t) => t.dropColumn('night'));
    await wh.knex.schema.createTable(T.entities, (t) => { t.bigIncrements('id').primary(); t.string('type', 30).notNullable(); });
    await wh.knex.schema.createTable(T.identifiers, (t) => { t.bigIncrements('id').primary(); t.bigInteger('entity_id').notNullable(); });
    await setMeta(wh.knex, 'schema_version', '1');
    await wh.knex('xzcf').insert({ cf_wsh: '惠市监罚〔2019〕1号', _key: 'k', _hash: 'h', _batch_id: 1, _file_id: 1, _source_row: 3, _unit: 'SCJG', _change: 'loaded', _valid_from: '2026-11-28T00:00:00.000Z' });

    const created = await ensureSchema(wh, v1);
    expect(created.sort()).toEqual([T.conflicts, T.merges, T.entityNames, T.missing].sort());
    expect(await schemaState(wh.knex)).toEqual({ catalog: 'v1', schemaVersion: 3 });
    expect(await wh.knex('xzcf').select('cf_wsh', '_link_rule')).toEqual([{ cf_wsh: '惠市监罚〔2019〕1号', _link_rule: null }]);
    expect(await wh.knex(T.entities).columnInfo()).toHaveProperty('merged_into');
    expect(await wh.knex(T.identifiers).columnInfo()).toHaveProperty('holds');
    expect(await wh.knex(T.files).columnInfo()).toHaveProperty('night');
  });

  it('refuses to upgrade registry tables someone wrote into by hand', async () => {
    const wh = await open();
    await ensureSchema(wh, v2);
    await setMeta(wh.knex, 'schema_version', '1');
    await wh.knex(T.entities).insert({ id: 1, stated_types: '' });
    await expect(ensureSchema(wh, v2)).rejects.toThrow(/has rows in etl_entities, which schema 1 never writes/);
  });
});
