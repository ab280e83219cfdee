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
  const missing: MissingDelivery[] = [];
  const subjects = new Map(catalog.subjects.map((s) => [s.code, s]));
  for (const due of [...nights].sort()) {
    for (const unit of catalog.units.filter((u) => units.includes(u.code))) {
      for (const code of unit.delivers) {
        const s = subjects.get(code);
        if (!s) continue;
        const deadline = deadlines[s.frequency] ?? s.deadline;
        const period = periodDueOn(due, deadline);
        if (!period) continue;
        // `subjects` is a JSON list of codes: a code is matched with its quotes, its _ not a wildcard.
        const delivered = await wh.knex(T.files)
          .where({ unit: unit.code, outcome: 'loaded' })
          .whereBetween('night', [period.start, due])
          .whereRaw('?? like ? escape ?', ['subjects', `%"${code.replace(/[!%_]/g, '!$&')}"%`, '!'])
          .first('id');
        if (!delivered) {
          missing.push({ unit: unit.code, subject: code, frequency: s.frequency, deadline, periodStart: period.start, periodEnd: period.end, due });
        }
      }
    }
  }
  return missing;
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
