// The run's missing-delivery check on a real warehouse: which periods fell due on the nights run,
// and which of them no loaded file of that unit and subject answered by the deadline.
import { describe, expect, it } from 'vitest';
import { loadCatalog, type Catalog, type DataSubject } from '../../src/catalog/index.js';
import { mapHeaders } from '../../src/read/index.js';
import { missingDeliveries, recordMissing } from '../../src/run/missing.js';
import { FileCheck } from '../../src/validate/index.js';
import type { Warehouse } from '../../src/warehouse/connect.js';
import { FileLoad, recordUnloadedFile, type DeliveryFile } from '../../src/warehouse/load.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { T } from '../../src/warehouse/tables.js';
import { LICENSING_HEADER, licensingRow, PENALTY_HEADER, penaltyRow } from '../../scripts/penalty-rows.js';
import { freshWarehouse, WAREHOUSE_KINDS } from '../warehouse/servers.js';

const v2 = loadCatalog('v2');
const subject = (code: string): DataSubject => v2.subjects.find((s) => s.code === code)!;
const penalty = subject('XZCF');
const licensing = subject('XZXK');
// Two units of catalog v2 and the two daily (T+1) subjects they share.
const catalog: Catalog = {
  ...v2,
  units: v2.units.filter((u) => u.code === 'SCJG' || u.code === 'CGJ').map((u) => ({ ...u, delivers: u.code === 'SCJG' ? ['XZCF', 'XZXK'] : ['XZCF'] })),
  subjects: [penalty, licensing],
};

let files = 0;
async function deliver(wh: Warehouse, unit: string, night: string, s: DataSubject, cells: string[][]): Promise<void> {
  const name = `${s.code}_${++files}.csv`;
  const file: DeliveryFile = { batchId: 1, unit, path: `/inbox/${night}/${unit}/${name}`, name, sha256: String(files).padEnd(64, '0'), bytes: 100, night };
  const check = new FileCheck(catalog, name).table(mapHeaders(s === penalty ? PENALTY_HEADER : LICENSING_HEADER, s));
  const load = await FileLoad.begin(wh, file);
  await load.add(s, cells.map((c, i) => ({ checked: check({ row: i + 2, cells: c }), cells: c })));
  await load.commit();
}

const owed = (unit: string, subject: string, due: string, deadline = 'T+1', start = due === '2026-11-25' ? '2026-11-24' : '2026-11-25') =>
  ({ unit, subject, frequency: 'daily', deadline, periodStart: start, periodEnd: start, due });

describe.each(WAREHOUSE_KINDS)('missing deliveries in $name', (kind) => {
  const open = freshWarehouse(kind);

  it('owes each unit every subject it delivers once a night; only a loaded file from the period\'s start to the deadline answers it', async () => {
    const wh = await open();
    await ensureSchema(wh, catalog);
    await deliver(wh, 'SCJG', '2026-11-25', penalty, [penaltyRow(1)]);
    // Too early for the period due on the 26th (its day is the 25th), in time for the 25th's.
    await deliver(wh, 'CGJ', '2026-11-24', penalty, [penaltyRow(2)]);
    // After both deadlines: late is missing as far as the run is concerned.
    await deliver(wh, 'SCJG', '2026-11-27', licensing, [licensingRow(3, '惠州市鸿达五金制品有限公司')]);
    // A quarantined delivery delivers nothing.
    await recordUnloadedFile(wh, { batchId: 1, unit: 'CGJ', path: '/inbox/2026-11-26/CGJ/x.csv', name: 'x.csv', sha256: 'f'.repeat(64), bytes: 1, night: '2026-11-26' }, 'quarantined', 'file/no-header: no header');

    expect(await missingDeliveries(wh, catalog, ['SCJG', 'CGJ'], ['2026-11-26', '2026-11-25'])).toEqual([
      owed('SCJG', 'XZXK', '2026-11-25'),
      owed('CGJ', 'XZCF', '2026-11-26'),
      owed('SCJG', 'XZXK', '2026-11-26'),
    ]);
    expect(await missingDeliveries(wh, catalog, ['CGJ'], ['2026-11-26'])).toEqual([owed('CGJ', 'XZCF', '2026-11-26')]);
    // The pipeline's own deadline per frequency: T+2 gives CGJ's file of the 24th the 24th to the 26th.
    expect(await missingDeliveries(wh, catalog, ['SCJG', 'CGJ'], ['2026-11-26'], { daily: 'T+2' })).toEqual([
      owed('SCJG', 'XZXK', '2026-11-26', 'T+2', '2026-11-24'),
    ]);
    expect(await missingDeliveries(wh, catalog, ['SCJG', 'CGJ'], [])).toEqual([]);
  });

  it('records each unit, subject and period once, however many runs find it missing', async () => {
    const wh = await open();
    await ensureSchema(wh, catalog);
    const missing = await missingDeliveries(wh, catalog, ['SCJG', 'CGJ'], ['2026-11-26']);
    expect(missing).toHaveLength(3);
    await recordMissing(wh, 7, missing);
    await recordMissing(wh, 8, missing);
    const rows = (await wh.knex(T.missing).orderBy('id').select('batch_id', 'unit', 'subject', 'frequency', 'deadline', 'period_start', 'period_end', 'due')) as Record<string, unknown>[];
    expect(rows.map((r) => ({ ...r, batch_id: Number(r['batch_id']) }))).toEqual(missing.map((m) => ({
      batch_id: 7, unit: m.unit, subject: m.subject, frequency: 'daily', deadline: 'T+1', period_start: '2026-11-25', period_end: '2026-11-25', due: '2026-11-26',
    })));
  });
});
