// The report model of one run, built from the warehouse alone: the run writes it when it ends, and
// `credit-etl report --run ID` builds the same model any time later. A bounded number of queries
// per run (a few per file at most), never one per row.
import type { Knex } from 'knex';
import type { Catalog } from '../catalog/index.js';
import { maskCodes, maskText } from '../mask.js';
import { addDays } from '../run/deadlines.js';
import { reasonLabel } from '../reasons-zh.js';
import type { Warehouse } from '../warehouse/connect.js';
import { T } from '../warehouse/tables.js';
import {
  REPORT_FORMAT, type ConflictLine, type DeliveryOutcome, type MergeLine, type MissingLine, type ReasonSummary,
  type ReportFile, type RunReport, type Tally, type TrendPoint, type UnitSection,
} from './model.js';

const OUTCOMES: readonly DeliveryOutcome[] = ['loaded', 'duplicate', 'quarantined', 'failed', 'unavailable'];
const EXAMPLES = 3;
/** Rejected ledger rows read at a time. */
const PAGE = 5000;
const TREND_RUNS = 30;
/** Bound on one `IN (…)` list: far under every dialect's parameter limit. */
const IN_CHUNK = 500;

type Stored = Record<string, unknown>;
const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export const emptyTally = (): Tally => ({ rowsRead: 0, loaded: 0, updated: 0, unchanged: 0, duplicate: 0, rejected: 0, repairs: 0 });

export function addTally(into: Tally, t: Tally): Tally {
  for (const k of Object.keys(into) as (keyof Tally)[]) into[k] += t[k];
  return into;
}

/** loaded + updated + unchanged + duplicate + rejected: what the rows read came to. */
export const outcomeSum = (t: Tally): number => t.loaded + t.updated + t.unchanged + t.duplicate + t.rejected;

/** The ledger identity: rows read = the sum of the outcomes. */
export const identityHolds = (t: Tally): boolean => t.rowsRead === outcomeSum(t);

const seconds = (from: string | null, to: string | null): number =>
  from && to ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : 0;
const perSecond = (rows: number, s: number): number => (s > 0 ? Math.round(rows / s) : 0);

/** `file/error-limit: 10 of 12 rows …` → code and the rest. */
function splitReason(reason: string | null): { code: string | null; text: string | null } {
  if (reason === null) return { code: null, text: null };
  const m = /^([a-z]+\/[a-z-]+): (.*)$/s.exec(reason);
  return m ? { code: m[1]!, text: m[2]! } : { code: null, text: reason };
}

async function chunked<R>(ids: readonly number[], query: (ids: number[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < ids.length; i += IN_CHUNK) out.push(...(await query(ids.slice(i, i + IN_CHUNK))));
  return out;
}

/** The section of a unit's report a file's rows belong to: its subjects, in code order. */
const sectionOf = (f: Pick<ReportFile, 'subjects'>): string => [...f.subjects].sort().join('+');

export class ReportError extends Error {}

/** The last run's id, or undefined when the warehouse has none. */
export async function lastRunId(knex: Knex): Promise<number | undefined> {
  const r = (await knex(T.batches).max({ id: 'id' }).first()) as Stored | undefined;
  return r?.['id'] == null ? undefined : Number(r['id']);
}

export async function buildRunReport(wh: Warehouse, catalog: Catalog, runId: number, generatedAt = new Date()): Promise<RunReport> {
  const { knex } = wh;
  const batch = (await knex(T.batches).where({ id: runId }).first()) as Stored | undefined;
  if (!batch) throw new ReportError(`there is no run ${runId} in the warehouse (\`credit-etl report --last\` takes the latest)`);
  const unitNames = new Map(catalog.units.map((u) => [u.code, u.name]));
  const subjectNames = new Map(catalog.subjects.map((s) => [s.code, s.name]));
  const itemNames = new Map(catalog.subjects.flatMap((s) => s.items.map((i) => [i.code, i.name] as const)));

  const fileRows = (await knex(T.files).where({ batch_id: runId }).whereIn('outcome', OUTCOMES).orderBy('id')) as Stored[];
  const loadedIds = fileRows.filter((f) => f['outcome'] === 'loaded').map((f) => Number(f['id']));
  const allIds = fileRows.map((f) => Number(f['id']));
  const late = await lateFiles(knex, fileRows);

  const files: ReportFile[] = fileRows.map((f) => {
    const s = seconds(str(f['started_at']), str(f['finished_at']));
    const tally: Tally = {
      rowsRead: n(f['rows_read']), loaded: n(f['loaded']), updated: n(f['updated']), unchanged: n(f['unchanged']),
      duplicate: n(f['duplicate']), rejected: n(f['rejected']), repairs: n(f['repairs']),
    };
    const { code, text } = splitReason(str(f['reason']));
    return {
      fileId: Number(f['id']), unit: maskText(String(f['unit'])), night: str(f['night']), name: maskText(String(f['name'])),
      subjects: f['subjects'] ? (JSON.parse(String(f['subjects'])) as string[]) : [],
      outcome: f['outcome'] as DeliveryOutcome, reason: text === null ? null : maskCodes(text), reasonCode: code,
      format: str(f['format']), encoding: str(f['encoding']), bytes: n(f['bytes']), tally, seconds: s,
      rowsPerSecond: perSecond(tally.rowsRead, s), late: late.has(Number(f['id'])),
    };
  });
  const byId = new Map(files.map((f) => [f.fileId, f]));

  // Rejected rows, counted by reason per unit and section, a few kept as examples: read a page
  // at a time, a row's cells parsed only when it becomes an example.
  const reasons = new Map<string, Map<string, ReasonSummary>>();
  for (const fileId of loadedIds) {
    const file = byId.get(fileId)!;
    const key = `${file.unit}\t${sectionOf(file)}`;
    let codes = reasons.get(key);
    if (!codes) reasons.set(key, (codes = new Map()));
    for (let after = 0; ;) {
      const page = (await knex(T.ledger).where({ file_id: fileId, outcome: 'rejected' }).where('id', '>', after).orderBy('id').limit(PAGE)
        .select('id', 'row', 'sheet', 'reasons', 'raw')) as Stored[];
      for (const r of page) {
        const seen = new Set<string>();
        for (const reason of JSON.parse(String(r['reasons'] ?? '[]')) as { code: string; message: string }[]) {
          // Counted once a row: a row with two empty required items is one row rejected for it.
          if (seen.has(reason.code)) continue;
          seen.add(reason.code);
          let sum = codes.get(reason.code);
          if (!sum) codes.set(reason.code, (sum = { code: reason.code, label: reasonLabel(reason.code), count: 0, examples: [] }));
          sum.count++;
          if (sum.examples.length < EXAMPLES) {
            const cells = r['raw'] ? (JSON.parse(String(r['raw'])) as unknown[]).map((c) => maskCodes(String(c ?? ''))) : [];
            sum.examples.push({ fileId, file: file.name, sheet: r['sheet'] == null ? null : maskText(String(r['sheet'])), row: Number(r['row']), message: maskCodes(reason.message), cells });
          }
        }
      }
      if (page.length < PAGE) break;
      after = Number(page.at(-1)!['id']);
    }
  }
  const repairs = await chunked(loadedIds, async (ids) => (await knex(T.repairs).whereIn('file_id', ids).groupBy('file_id', 'item')
    .select('file_id', 'item').count({ n: '*' })) as Stored[]);

  const units = new Map<string, UnitSection>();
  for (const f of files) {
    let u = units.get(f.unit);
    if (!u) units.set(f.unit, (u = { unit: f.unit, unitName: unitNames.get(f.unit) ?? f.unit, tally: emptyTally(), files: [], subjects: [] }));
    u.files.push(f);
    addTally(u.tally, f.tally);
    if (f.outcome !== 'loaded') continue;
    // A workbook of several subjects is one section: its counts are the file's, not split by sheet.
    const code = sectionOf(f);
    let s = u.subjects.find((x) => x.subject === code);
    if (!s) {
      s = { subject: code, subjectName: code.split('+').map((c) => subjectNames.get(c) ?? c).join(' + '), files: 0, tally: emptyTally(), reasons: [], repairs: [] };
      u.subjects.push(s);
    }
    s.files++;
    addTally(s.tally, f.tally);
  }
  for (const u of units.values()) {
    for (const s of u.subjects) {
      s.reasons = [...(reasons.get(`${u.unit}\t${s.subject}`)?.values() ?? [])].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
      const items = new Map<string, number>();
      for (const r of repairs) {
        const f = byId.get(Number(r['file_id']));
        if (f?.unit === u.unit && sectionOf(f) === s.subject) items.set(String(r['item']), (items.get(String(r['item'])) ?? 0) + n(r['n']));
      }
      s.repairs = [...items].map(([item, count]) => ({ item, itemName: itemNames.get(item) ?? item, count })).sort((a, b) => b.count - a.count || (a.item < b.item ? -1 : 1));
    }
    u.subjects.sort((a, b) => (a.subject < b.subject ? -1 : 1));
  }

  const created: Record<string, number> = {};
  for (const r of await chunked(allIds, async (ids) => (await knex(T.entities).whereIn('first_file_id', ids).groupBy('type').select('type').count({ n: '*' })) as Stored[])) {
    const type = String(r['type'] ?? 'unknown');
    created[type] = (created[type] ?? 0) + n(r['n']);
  }
  const merges: MergeLine[] = ((await knex(T.merges).where({ batch_id: runId }).orderBy('id')) as Stored[]).map((m) => ({
    from: Number(m['from_id']), into: Number(m['into_id']), kind: String(m['kind']), value: maskText(String(m['value'])),
  }));
  const conflicts: ConflictLine[] = ((await knex(T.conflicts).where({ batch_id: runId }).orderBy('id')) as Stored[]).map((c) => ({
    kind: String(c['kind']), value: maskText(String(c['value'])), entities: (JSON.parse(String(c['entities'])) as unknown[]).map(Number), detail: maskText(String(c['detail'])),
  }));
  // What the run judged missing: at the deadlines it judged, whichever run recorded each first.
  const judged = (batch['options'] ? (JSON.parse(String(batch['options'])) as { judged?: { nights: string[]; units?: string[] } }) : {}).judged;
  const owed = judged ? knex(T.missing).whereIn('due', judged.nights) : knex(T.missing).where({ batch_id: runId });
  if (judged?.units) owed.whereIn('unit', judged.units);
  const missing: MissingLine[] = ((await owed.orderBy(['unit', 'subject', 'period_start'])) as Stored[]).map((m) => ({
    unit: String(m['unit']), unitName: unitNames.get(String(m['unit'])) ?? String(m['unit']),
    subject: String(m['subject']), subjectName: subjectNames.get(String(m['subject'])) ?? String(m['subject']),
    periodStart: String(m['period_start']), periodEnd: String(m['period_end']), due: String(m['due']),
  }));

  const totals = emptyTally();
  for (const f of files) addTally(totals, f.tally);
  const count = (o: DeliveryOutcome) => files.filter((f) => f.outcome === o).length;
  const runSeconds = seconds(str(batch['started_at']), str(batch['finished_at']));
  return {
    format: REPORT_FORMAT,
    generatedAt: generatedAt.toISOString(),
    run: {
      id: runId, catalog: String(batch['catalog']), pipeline: str(batch['pipeline']), status: String(batch['status']),
      startedAt: String(batch['started_at']), finishedAt: str(batch['finished_at']), seconds: runSeconds, rowsPerSecond: perSecond(totals.rowsRead, runSeconds),
    },
    totals: {
      ...totals,
      files: { loaded: count('loaded'), duplicate: count('duplicate'), quarantined: count('quarantined'), failed: count('failed'), unavailable: count('unavailable') },
      newEntities: Object.values(created).reduce((a, b) => a + b, 0), merges: merges.length, conflicts: conflicts.length,
      missing: missing.length, late: files.filter((f) => f.late).length,
    },
    units: [...units.values()].sort((a, b) => (a.unit < b.unit ? -1 : 1)),
    quarantined: files.filter((f) => f.outcome === 'quarantined'),
    missing,
    entities: { created, merges, conflicts },
    trend: await trend(knex, runId),
  };
}

/**
 * Loaded files that came after a deadline their unit had missed: the first delivery of a subject
 * after the last period of it recorded missing (the delivery that should have come by then).
 */
async function lateFiles(knex: Knex, fileRows: readonly Stored[]): Promise<Set<number>> {
  const loaded = fileRows.filter((f) => f['outcome'] === 'loaded' && f['night'] != null).map((f) => ({
    id: Number(f['id']), unit: String(f['unit']), night: String(f['night']), subjects: JSON.parse(String(f['subjects'] ?? '[]')) as string[],
  }));
  const late = new Set<number>();
  const units = [...new Set(loaded.map((f) => f.unit))];
  for (const night of new Set(loaded.map((f) => f.night))) {
    // Per unit and subject, only the last deadline missed before this night can make a file late;
    // a year back is far enough to look for it.
    const missed = new Map<string, { start: string; due: string }>();
    for (const m of (await knex(T.missing).whereIn('unit', units).where('due', '<', night).where('due', '>=', addDays(night, -366))
      .select('unit', 'subject', 'period_start', 'due')) as Stored[]) {
      const key = `${String(m['unit'])}\t${String(m['subject'])}`;
      if (String(m['due']) > (missed.get(key)?.due ?? '')) missed.set(key, { start: String(m['period_start']), due: String(m['due']) });
    }
    if (missed.size === 0) continue;
    const since = [...missed.values()].reduce((a, b) => (a.start < b.start ? a : b)).start;
    const delivered = ((await knex(T.files).where({ outcome: 'loaded' }).whereIn('unit', units).where('night', '>=', since).where('night', '<=', night)
      .select('id', 'unit', 'night', 'subjects')) as Stored[]).map((f) => ({
      id: Number(f['id']), unit: String(f['unit']), night: String(f['night']), subjects: JSON.parse(String(f['subjects'] ?? '[]')) as string[],
    }));
    for (const f of loaded.filter((x) => x.night === night)) {
      const isLate = f.subjects.some((s) => {
        const m = missed.get(`${f.unit}\t${s}`);
        // Another file of the subject since the period began either came in time after all (the
        // missing record is stale) or was itself the late one.
        return m !== undefined && !delivered.some((d) => d.unit === f.unit && d.subjects.includes(s) && d.night >= m.start && (d.night < night || d.id < f.id));
      });
      if (isLate) late.add(f.id);
    }
  }
  return late;
}

async function trend(knex: Knex, runId: number): Promise<TrendPoint[]> {
  // The 30 runs first, then their files: not every file of every earlier run.
  const runs = (await knex(T.batches).where('id', '<=', runId).orderBy('id', 'desc').limit(TREND_RUNS).select('id', 'started_at')) as Stored[];
  const totals = new Map(((await knex(T.files).whereIn('batch_id', runs.map((r) => Number(r['id']))).groupBy('batch_id')
    .select('batch_id').count({ files: 'id' }).sum({ rows: 'rows_read', loaded: 'loaded', rejected: 'rejected' })) as Stored[]).map((t) => [Number(t['batch_id']), t]));
  return runs.reverse().map((r) => {
    const t = totals.get(Number(r['id']));
    return { runId: Number(r['id']), startedAt: String(r['started_at']), files: n(t?.['files']), rowsRead: n(t?.['rows']), loaded: n(t?.['loaded']), rejected: n(t?.['rejected']) };
  });
}
