import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { IdKeyError } from '../../src/identity/id-key.js';
import { mapHeaders } from '../../src/read/index.js';
import { FileCheck } from '../../src/validate/index.js';
import { residentIdCheckChar } from '../../src/validate/identifiers/checksums.js';
import { auditLog, verifyAudit } from '../../src/warehouse/audit.js';
import type { Warehouse } from '../../src/warehouse/connect.js';
import { FileLoad, type DeliveryFile, type LoadRow } from '../../src/warehouse/load.js';
import { EntityRegistry } from '../../src/warehouse/registry.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { PENALTY_HEADER, penaltyRow } from '../../scripts/penalty-rows.js';
import { FILE_1, FILE_2, ID15, ID18, KEY, ORG, REG, row, SHOP, USCC } from './entity-rows.js';
import { freshWarehouse, WAREHOUSE_KINDS } from './servers.js';

const catalog = loadCatalog('v2');
const penalty = catalog.subjects.find((s) => s.code === 'XZCF')!;
function checked(name: string, cells: string[][]): LoadRow[] {
  const check = new FileCheck(catalog, name).table(mapHeaders(PENALTY_HEADER, penalty));
  return cells.map((c, i) => ({ checked: check({ row: i + 2, cells: c }), cells: c }));
}

const delivery = (name: string): DeliveryFile => ({ batchId: 1, unit: 'SCJG', path: `/inbox/2026-11-27/SCJG/${name}`, name, sha256: name.padEnd(64, '0'), bytes: 1000 });

async function load(wh: Warehouse, registry: EntityRegistry, name: string, cells: string[][]) {
  const l = await FileLoad.begin(wh, delivery(name), { registry });
  await l.add(penalty, checked(name, cells));
  expect(l.tally.rejected).toBe(0);
  return { fileId: l.fileId, counts: await l.commit() };
}

type Linked = { wsh: string; entity: number; rule: string; evidence: string | null };
async function records(wh: Warehouse): Promise<Linked[]> {
  const rows = (await wh.knex('xzcf').orderBy('_id').select('cf_wsh', '_entity_id', '_link_rule', '_link_evidence')) as Record<string, unknown>[];
  return rows.map((r) => ({ wsh: String(r['cf_wsh']), entity: Number(r['_entity_id']), rule: String(r['_link_rule']), evidence: (r['_link_evidence'] as string | null) ?? null }));
}

const wsh = (n: number) => penaltyRow(n)[PENALTY_HEADER.indexOf('行政处罚决定书文号')]!;

describe.each(WAREHOUSE_KINDS)('the entity registry in $name', (kind) => {
  const open = freshWarehouse(kind);

  async function fresh(): Promise<Warehouse> {
    const wh = await open();
    await ensureSchema(wh, catalog);
    return wh;
  }

  it('links every record with its rule and evidence, merges on late evidence, and moves the merged records to the survivor', async () => {
    const wh = await fresh();
    const registry = await EntityRegistry.open(wh, catalog, KEY);
    const first = await load(wh, registry, 'a.csv', FILE_1);
    expect(first.counts.entities).toEqual({ entities: 3, merges: 0, conflicts: 0 });
    const second = await load(wh, registry, 'b.csv', FILE_2);
    expect(second.counts.entities).toMatchObject({ merges: 1, conflicts: 0 });

    const masked = `441302********${ID18.slice(-4)}`;
    expect(await records(wh)).toEqual([
      { wsh: wsh(1), entity: 1, rule: 'new', evidence: null },
      // Its own entity at first (2), it follows the merge into 1: a reg-no and its org code met in b.csv.
      { wsh: wsh(2), entity: 1, rule: 'new', evidence: null },
      { wsh: wsh(3), entity: 3, rule: 'new', evidence: null },
      { wsh: wsh(4), entity: 1, rule: 'org-code', evidence: ORG },
      { wsh: wsh(5), entity: 3, rule: 'resident-id', evidence: masked },
    ]);
    const entities = (await wh.knex('etl_entities').orderBy('id').select('id', 'type', 'name', 'uscc', 'merged_into')) as Record<string, unknown>[];
    expect(entities.map((e) => [Number(e['id']), e['type'], e['name'], e['uscc'], e['merged_into'] === null ? null : Number(e['merged_into'])])).toEqual([
      [1, 'individual-business', SHOP, USCC, null],
      [2, null, null, null, 1],
      [3, 'person', '陈伟', null, null],
    ]);
    const merges = (await wh.knex('etl_entity_merges').select('from_id', 'into_id', 'kind', 'value', 'file_id')) as Record<string, unknown>[];
    expect(merges.map((m) => [Number(m['from_id']), Number(m['into_id']), m['kind'], m['value'], Number(m['file_id'])])).toEqual([[2, 1, 'reg-no', REG, second.fileId]]);
    const events = await auditLog(wh.knex);
    expect(events.filter((e) => e.kind === 'entity-merge').map((e) => JSON.parse(String(e.details)) as unknown)).toEqual([{ merges: [{ from: 2, into: 1, on: 'reg-no', value: REG }] }]);
    expect((await verifyAudit(wh.knex)).broken).toBeUndefined();

    // The person: one identifier, the keyed hash with the masked form; the ID itself nowhere.
    const ids = (await wh.knex('etl_identifiers').where({ entity_id: 3 }).select('kind', 'value', 'masked', 'first_file', 'last_file')) as Record<string, unknown>[];
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatchObject({ kind: 'resident-id', masked });
    expect(String(ids[0]!['value'])).toMatch(/^[0-9a-f]{64}$/);
    expect([Number(ids[0]!['first_file']), Number(ids[0]!['last_file'])]).toEqual([first.fileId, second.fileId]);
    for (const table of ['etl_identifiers', 'etl_entities', 'etl_entity_names', 'etl_entity_merges', 'etl_entity_conflicts', 'etl_audit']) {
      const dump = JSON.stringify(await wh.knex(table).select());
      expect(dump).not.toContain(ID18);
      expect(dump).not.toContain(ID15);
    }
  });

  it('is rebuilt from the warehouse as it was: old keys link, and new entities get ids never issued before', async () => {
    const wh = await fresh();
    await load(wh, await EntityRegistry.open(wh, catalog, KEY), 'a.csv', FILE_1);
    await load(wh, await EntityRegistry.open(wh, catalog, KEY), 'b.csv', FILE_2);
    const later = await EntityRegistry.open(wh, catalog, KEY);
    await load(wh, later, 'c.csv', [row(6, { lb: '个体工商户', name: SHOP, reg: REG }), row(7, { lb: '自然人', name: '李娜', id: `44130219900101002${residentIdCheckChar('44130219900101002')}` })]);
    expect((await records(wh)).slice(-2)).toEqual([
      { wsh: wsh(6), entity: 1, rule: 'reg-no', evidence: REG },
      { wsh: wsh(7), entity: 4, rule: 'new', evidence: null },
    ]);
  });

  it('rebuilds a registry another process has saved past before linking: no duplicate entity, no id issued twice', async () => {
    const wh = await fresh();
    const mine = await EntityRegistry.open(wh, catalog, KEY);
    const theirs = await EntityRegistry.open(wh, catalog, KEY);
    await load(wh, mine, 'x.csv', [row(8, { lb: '自然人', name: '李娜', id: `44130219900101002${residentIdCheckChar('44130219900101002')}` })]);
    await load(wh, theirs, 'a.csv', FILE_1);
    await load(wh, mine, 'b.csv', FILE_2);
    expect((await records(wh)).map((r) => [r.wsh, r.entity, r.rule])).toEqual([
      [wsh(8), 1, 'new'], [wsh(1), 2, 'new'], [wsh(2), 2, 'new'], [wsh(3), 4, 'new'], [wsh(4), 2, 'org-code'], [wsh(5), 4, 'resident-id'],
    ]);
    const [{ n }] = (await wh.knex('etl_entities').count({ n: '*' })) as [{ n: number | string }];
    expect(Number(n)).toBe(4);
  });

  it('forgets the links of a rolled-back file: its entities never were', async () => {
    const wh = await fresh();
    const registry = await EntityRegistry.open(wh, catalog, KEY);
    const l = await FileLoad.begin(wh, delivery('a.csv'), { registry });
    await l.add(penalty, checked('a.csv', FILE_1));
    await l.rollback();
    expect(await wh.knex('etl_entities').select()).toEqual([]);
    await load(wh, registry, 'b.csv', FILE_2);
    expect((await records(wh)).map((r) => [r.entity, r.rule])).toEqual([[1, 'new'], [2, 'new']]);
  });

  it('lets the first resident IDs stored fix the key: a process that opened with another before then fails its file', async () => {
    const wh = await fresh();
    const right = await EntityRegistry.open(wh, catalog, KEY);
    const wrong = await EntityRegistry.open(wh, catalog, Buffer.alloc(32, 1));
    await load(wh, right, 'a.csv', FILE_1);
    const l = await FileLoad.begin(wh, delivery('b.csv'), { registry: wrong });
    await l.add(penalty, checked('b.csv', FILE_2));
    await expect(l.commit()).rejects.toThrow(IdKeyError);
    await l.rollback();
    expect((await records(wh)).map((r) => r.wsh)).toEqual([wsh(1), wsh(2), wsh(3)]);
    await load(wh, right, 'b.csv', FILE_2);
    expect((await records(wh)).at(-1)).toMatchObject({ wsh: wsh(5), entity: 3, rule: 'resident-id' });
  });

  it('links records loaded before the registry when they come again unchanged', async () => {
    const wh = await fresh();
    const plain = await FileLoad.begin(wh, delivery('a.csv'));
    await plain.add(penalty, checked('a.csv', FILE_1));
    await plain.commit();
    expect((await records(wh)).map((r) => r.rule)).toEqual(['null', 'null', 'null']);
    const again = await load(wh, await EntityRegistry.open(wh, catalog, KEY), 'a-again.csv', FILE_1);
    expect(again.counts).toMatchObject({ unchanged: 3, loaded: 0 });
    expect((await records(wh)).map((r) => [r.entity, r.rule])).toEqual([[1, 'new'], [2, 'new'], [3, 'new']]);
  });

  it('writes a conflict once, however many runs see it again', async () => {
    const wh = await fresh();
    const twoNames = [row(11, { lb: '个体工商户', name: SHOP, uscc: USCC }), row(12, { lb: '个体工商户', name: '惠州市惠城区另一家五金店', uscc: USCC })];
    await load(wh, await EntityRegistry.open(wh, catalog, KEY), 'x.csv', twoNames);
    await load(wh, await EntityRegistry.open(wh, catalog, KEY), 'y.csv', twoNames);
    const conflicts = (await wh.knex('etl_entity_conflicts').select('kind', 'value')) as { kind: string; value: string }[];
    expect(conflicts).toEqual([{ kind: 'uscc-names', value: USCC }]);
  });

  it('refuses a key other than the one its resident IDs were hashed with', async () => {
    const wh = await fresh();
    await load(wh, await EntityRegistry.open(wh, catalog, KEY), 'a.csv', FILE_1);
    await expect(EntityRegistry.open(wh, catalog, Buffer.alloc(32, 1))).rejects.toThrow(IdKeyError);
    await expect(EntityRegistry.open(wh, catalog, Buffer.alloc(32, 1))).rejects.toThrow(/hashed with another key/);
  });

  it('gives the same entities whichever file comes first', async () => {
    const partition = async (order: string[][][]): Promise<string[]> => {
      const wh = await fresh();
      const registry = await EntityRegistry.open(wh, catalog, KEY);
      for (const [i, cells] of order.entries()) await load(wh, registry, `${i}.csv`, cells);
      const byEntity = new Map<number, string[]>();
      for (const r of await records(wh)) byEntity.set(r.entity, [...(byEntity.get(r.entity) ?? []), r.wsh]);
      return [...byEntity.values()].map((w) => w.sort().join('|')).sort();
    };
    const forward = await partition([FILE_1, FILE_2]);
    expect(forward).toHaveLength(2);
    expect(await partition([FILE_2, FILE_1])).toEqual(forward);
  });
});
