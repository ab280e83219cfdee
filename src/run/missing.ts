// Late and missing deliveries: for each night a run covers, every data subject a unit must deliver
// whose deadline falls that night, and whether the unit delivered it (a file of that subject
// loaded from its folder between the period's first day and the deadline). What did not come is
// recorded once per unit, subject and period in etl_missing, for the unit scorecard.
import type { Catalog, Frequency } from '../catalog/index.js';
import type { Warehouse } from '../warehouse/connect.js';
import { T } from '../warehouse/tables.js';
import { periodDueOn } from './deadlines.js';

export interface MissingDelivery {
  unit: string;
  subject: string;
  frequency: string;
  deadline: string;
  periodStart: string;
  periodEnd: string;
  due: string;
}

/** Deliveries that fell due on `nights` and never came, for `units`. */
export async function missingDeliveries(
  wh: Warehouse, catalog: Catalog, units: readonly string[], nights: readonly string[], deadlines: Partial<Record<Frequency, string>> = {},
): Promise<MissingDelivery[]> {
  const subjects = new Map(catalog.subjects.map((s) => [s.code, s]));
  const owed: MissingDelivery[] = [];
  for (const due of [...nights].sort()) {
    for (const unit of catalog.units.filter((u) => units.includes(u.code))) {
      for (const code of unit.delivers) {
        const s = subjects.get(code);
        const deadline = s && (deadlines[s.frequency] ?? s.deadline);
        const period = deadline === undefined ? undefined : periodDueOn(due, deadline);
        if (s && deadline && period) owed.push({ unit: unit.code, subject: code, frequency: s.frequency, deadline, periodStart: period.start, periodEnd: period.end, due });
      }
    }
  }
  if (owed.length === 0) return [];
  // One query for every file that could count, then judged here: a query per unit, subject and
  // night would be thousands a night.
  const earliest = owed.reduce((m, o) => (o.periodStart < m ? o.periodStart : m), owed[0]!.periodStart);
  const files = (await wh.knex(T.files).where({ outcome: 'loaded' }).where('night', '>=', earliest).whereIn('unit', [...new Set(owed.map((o) => o.unit))])
    .select('unit', 'night', 'subjects')) as { unit: string; night: string; subjects: string | null }[];
  const delivered = files.map((f) => ({ unit: f.unit, night: f.night, subjects: new Set(JSON.parse(f.subjects ?? '[]') as string[]) }));
  return owed.filter((o) => !delivered.some((f) => f.unit === o.unit && f.night >= o.periodStart && f.night <= o.due && f.subjects.has(o.subject)));
}

/** Records missing deliveries; one already recorded for its unit, subject and period is left as it was. */
export async function recordMissing(wh: Warehouse, batchId: number, missing: readonly MissingDelivery[]): Promise<void> {
  const at = new Date().toISOString();
  for (let i = 0; i < missing.length; i += 200) {
    await wh.knex(T.missing).insert(missing.slice(i, i + 200).map((m) => ({
      batch_id: batchId, unit: m.unit, subject: m.subject, frequency: m.frequency, deadline: m.deadline,
      period_start: m.periodStart, period_end: m.periodEnd, due: m.due, at,
    }))).onConflict(['unit', 'subject', 'period_start']).ignore();
  }
}
