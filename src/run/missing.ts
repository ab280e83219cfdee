// Owed deliveries: for each night, every data subject a unit must deliver whose deadline falls
// that night, and whether the unit delivered it — on time (a file of that subject loaded from its
// folder between the period's first day and the deadline), late (only after the deadline), or
// not at all. The run records what did not come by the deadline once per unit, subject and period
// in etl_missing; the unit scorecard (src/report/scorecard.ts) counts all three.
import type { Catalog, Frequency } from '../catalog/index.js';
import type { Warehouse } from '../warehouse/connect.js';
import { T } from '../warehouse/tables.js';
import { periodDueOn } from './deadlines.js';

/** One data subject's period a unit owed, and the night it fell due. */
export interface OwedDelivery {
  unit: string;
  subject: string;
  frequency: string;
  deadline: string;
  periodStart: string;
  periodEnd: string;
  due: string;
}

/** An owed delivery that did not come by its deadline. */
export type MissingDelivery = OwedDelivery;

export type Arrival = 'on-time' | 'late' | 'missing';

export interface JudgedDelivery {
  owed: OwedDelivery;
  /** By the first loaded file of it from the period's first day on. */
  arrival: Arrival;
}

/** Deliveries falling due on `nights` for `units`: per frequency the pipeline's deadline, else the subject's own. */
export function owedDeliveries(
  catalog: Catalog, units: readonly string[], nights: readonly string[], deadlines: Partial<Record<Frequency, string>> = {},
): OwedDelivery[] {
  const subjects = new Map(catalog.subjects.map((s) => [s.code, s]));
  const scope = catalog.units.filter((u) => units.includes(u.code));
  const owed: OwedDelivery[] = [];
  for (const due of [...nights].sort()) {
    for (const unit of scope) {
      for (const code of unit.delivers) {
        const s = subjects.get(code);
        const deadline = s && (deadlines[s.frequency] ?? s.deadline);
        const period = deadline === undefined ? undefined : periodDueOn(due, deadline);
        if (s && deadline && period) owed.push({ unit: unit.code, subject: code, frequency: s.frequency, deadline, periodStart: period.start, periodEnd: period.end, due });
      }
    }
  }
  return owed;
}

/** The first of ascending `nights` on or after `day`. */
function firstFrom(nights: readonly string[], day: string): string | undefined {
  let [lo, hi] = [0, nights.length];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nights[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return nights[lo];
}

/**
 * Judges owed deliveries against the files loaded: a file delivered after `until` (a night)
 * counts for nothing, so a report up to a night sees what had come by then.
 */
export async function judgeDeliveries(wh: Warehouse, owed: readonly OwedDelivery[], until?: string): Promise<JudgedDelivery[]> {
  if (owed.length === 0) return [];
  // One query for every file that could count, then judged here: a query per unit, subject and
  // night would be thousands a night.
  const earliest = owed.reduce((m, o) => (o.periodStart < m ? o.periodStart : m), owed[0]!.periodStart);
  const q = wh.knex(T.files).where({ outcome: 'loaded' }).where('night', '>=', earliest).whereIn('unit', [...new Set(owed.map((o) => o.unit))]);
  if (until !== undefined) q.where('night', '<=', until);
  const files = (await q.select('unit', 'night', 'subjects')) as { unit: string; night: string; subjects: string | null }[];
  const nights = new Map<string, string[]>();
  for (const f of files) {
    for (const subject of JSON.parse(f.subjects ?? '[]') as string[]) {
      const key = `${f.unit}\t${subject}`;
      const list = nights.get(key);
      if (list) list.push(f.night);
      else nights.set(key, [f.night]);
    }
  }
  for (const list of nights.values()) list.sort();
  return owed.map((o) => {
    const first = firstFrom(nights.get(`${o.unit}\t${o.subject}`) ?? [], o.periodStart);
    return { owed: o, arrival: first === undefined ? 'missing' : first <= o.due ? 'on-time' : 'late' };
  });
}

/** Deliveries that fell due on `nights` and did not come by their deadline, for `units`. */
export async function missingDeliveries(
  wh: Warehouse, catalog: Catalog, units: readonly string[], nights: readonly string[], deadlines: Partial<Record<Frequency, string>> = {},
): Promise<MissingDelivery[]> {
  const judged = await judgeDeliveries(wh, owedDeliveries(catalog, units, nights, deadlines));
  return judged.filter((j) => j.arrival !== 'on-time').map((j) => j.owed);
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
