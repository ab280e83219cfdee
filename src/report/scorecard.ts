// The unit scorecard: how well each unit of the catalog reported over a range of nights, in four
// measures the credit centre assesses units on, combined into a score and a ranking. Built from
// the warehouse alone: a handful of queries, and one per data subject loaded in the range, however
// many units and nights.
//
// Definitions (`credit-etl report units --help` says the same to analysts):
// - Range: inbox nights (etl_files.night) from..to inclusive. Default to: the latest night with a
//   delivery (loaded, quarantined or duplicate; the day before today when there is none, and never
//   before an explicit from); default from: the 30 nights ending on to, or from the first night
//   delivered when that is later. Only deadlines before today count (as in the run's check).
// - Timeliness: every period a unit owed with its deadline in the range — per subject it delivers
//   and night, the pipeline's deadline for the subject's frequency, else the subject's own (the
//   run's missing-delivery rule, src/run/missing.ts). On time: a loaded file of that subject from
//   that unit with its night from the period's first day to the deadline; late: the first came
//   after the deadline, by `to`; missing: none by `to`. Share: on time / owed.
// - Completeness: required-item fill — rows read less rows rejected for an empty required item
//   (`cell/required`; a file without a required column is quarantined, file/missing-columns, and
//   has no rows), over rows read, in the range's loaded files — and subjects delivered: of the
//   subjects with a period due in the range, those with at least one period delivered (on time
//   or late). Share: the mean of the two that exist.
// - Accuracy: 1 − rows rejected / rows read, over the range's loaded files. A quarantined
//   delivery's rows are unknown: it counts against timeliness and subjects (it delivered
//   nothing), not here.
// - Identifiability: of the record versions the range's loaded files brought that the registry
//   linked to an entity, the share linked by a code (USCC, organisation code, old tax number,
//   registration number, resident ID). A version that created its entity (`new`) counts by what
//   the entity was made from: a name-only entity → by name; one holding a code → by code; one with
//   neither (no code, no name and type to match on) → neither.
// - Score: 0–100, the weighted mean of the measures that exist (30/30/25/15), weights
//   re-normalised over them, rounded to 0.1; a unit with no measure at all (only quarantined
//   files) scores 0, as does one that owed deliveries and delivered none. Rank: score descending,
//   equal scores share a rank (1, 2, 2, 4), listed by unit code.
// - A unit that owed nothing and delivered nothing in the range is listed last, unranked (rank
//   and score null).
import type { Knex } from 'knex';
import type { Catalog, Frequency } from '../catalog/index.js';
import { IDENTIFIER_ORDER } from '../identity/evidence.js';
import type { ReasonCode } from '../reasons.js';
import { addDays } from '../run/deadlines.js';
import { isNight } from '../run/inbox.js';
import { judgeDeliveries, owedDeliveries, type JudgedDelivery } from '../run/missing.js';
import { formatTable } from '../text-table.js';
import type { Warehouse } from '../warehouse/connect.js';
import { L, subjectTable, T } from '../warehouse/tables.js';
import { mdCell } from './markdown.js';
import { csvLine } from '../csv.js';

export const MEASURES = ['timeliness', 'completeness', 'accuracy', 'identifiability'] as const;
export type Measure = (typeof MEASURES)[number];

/** Each measure's weight in the score, in per cent. */
export const WEIGHTS: Readonly<Record<Measure, number>> = { timeliness: 30, completeness: 30, accuracy: 25, identifiability: 15 };

/** Nights in a range whose start is not given. */
export const DEFAULT_NIGHTS = 30;

export interface Timeliness {
  onTime: number;
  late: number;
  missing: number;
  owed: number;
  share: number | null;
}

export interface Completeness {
  rowsRead: number;
  rowsMissingRequired: number;
  fillShare: number | null;
  subjectsExpected: number;
  subjectsDelivered: number;
  subjectsShare: number | null;
  share: number | null;
}

export interface Accuracy {
  rowsRead: number;
  rejected: number;
  share: number | null;
}

export interface Identifiability {
  /** Record versions linked to an entity: byCode + byName + neither. */
  linked: number;
  byCode: number;
  byName: number;
  /** Versions of an entity of their own, with neither a code nor a name and type to match on. */
  neither: number;
  share: number | null;
}

/** The unit's deliveries with a night in the range, by what became of them. */
export interface Deliveries {
  loaded: number;
  quarantined: number;
  duplicate: number;
}

export interface UnitScore {
  /** null: the unit owed nothing and delivered nothing in the range. */
  rank: number | null;
  unit: string;
  unitName: string;
  deliveries: Deliveries;
  timeliness: Timeliness;
  completeness: Completeness;
  accuracy: Accuracy;
  identifiability: Identifiability;
  /** 0–100, one decimal; null when unranked. */
  score: number | null;
}

export interface Scorecard {
  from: string;
  to: string;
  /** Deadlines before this day count. */
  today: string;
  weights: Record<Measure, number>;
  /** Ranked units first, by rank then code; the unranked after them, by code. */
  units: UnitScore[];
}

export interface ScorecardOptions {
  from?: string;
  to?: string;
  /** The pipeline's deadlines per frequency, where the centre sets its own. */
  deadlines?: Partial<Record<Frequency, string>>;
  /** YYYY-MM-DD where the centre is. */
  today: string;
}

/** A range that cannot be scored: a date that is not one, or a start after its end. */
export class ScorecardError extends Error {
  override name = 'ScorecardError';
}

const RECORDED = ['loaded', 'quarantined', 'duplicate'] as const;
const REQUIRED: ReasonCode = 'cell/required';
type Stored = Record<string, unknown>;
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

function mean(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
}

async function nightRange(wh: Warehouse, o: ScorecardOptions): Promise<{ from: string; to: string }> {
  for (const [what, day] of [['the range\'s start', o.from], ['the range\'s end', o.to], ['today', o.today]] as const) {
    if (day !== undefined && !isNight(day)) throw new ScorecardError(`${what}, "${day}", is not a real date written YYYY-MM-DD`);
  }
  const seen = (await wh.knex(T.files).whereIn('outcome', RECORDED).whereNotNull('night').min({ first: 'night' }).max({ last: 'night' }).first()) as Stored | undefined;
  const first = (seen?.['first'] as string | null | undefined) ?? undefined;
  const last = (seen?.['last'] as string | null | undefined) ?? addDays(o.today, -1);
  const to = o.to ?? (o.from !== undefined && o.from > last ? o.from : last);
  const earliest = addDays(to, 1 - DEFAULT_NIGHTS);
  const from = o.from ?? (first !== undefined && first > earliest && first <= to ? first : earliest);
  if (from > to) throw new ScorecardError(`the range's start, ${from}, is after its end, ${to}`);
  return { from, to };
}

/** The range's nights whose deadlines have passed. */
function passedNights(from: string, to: string, today: string): string[] {
  const nights: string[] = [];
  for (let night = from; night <= to && night < today; night = addDays(night, 1)) nights.push(night);
  return nights;
}

interface FileFigures extends Deliveries {
  rowsRead: number;
  rejected: number;
}

async function fileFigures(wh: Warehouse, from: string, to: string): Promise<Map<string, FileFigures>> {
  const rows = (await wh.knex(T.files).whereIn('outcome', RECORDED).whereBetween('night', [from, to]).groupBy('unit', 'outcome')
    .select('unit', 'outcome').count({ n: '*' }).sum({ rowsRead: 'rows_read', rejected: 'rejected' })) as Stored[];
  const byUnit = new Map<string, FileFigures>();
  for (const r of rows) {
    const unit = String(r['unit']);
    let f = byUnit.get(unit);
    if (!f) byUnit.set(unit, (f = { loaded: 0, quarantined: 0, duplicate: 0, rowsRead: 0, rejected: 0 }));
    f[r['outcome'] as (typeof RECORDED)[number]] += num(r['n']);
    f.rowsRead += num(r['rowsRead']);
    f.rejected += num(r['rejected']);
  }
  return byUnit;
}

/** Narrows a query joined to etl_files as `f` to the files loaded with a night in the range. */
const loadedIn = (from: string, to: string) => (q: Knex.QueryBuilder): void => {
  q.where('f.outcome', 'loaded').whereBetween('f.night', [from, to]);
};

/** Rejected rows with an empty required item, per unit. */
async function requiredRejections(wh: Warehouse, from: string, to: string): Promise<Map<string, number>> {
  // The ledger keeps reasons as JSON.stringify wrote them (load.ts): no spaces, code first.
  const rows = (await wh.knex({ l: T.ledger }).join({ f: T.files }, 'f.id', 'l.file_id').where(loadedIn(from, to))
    .where('l.outcome', 'rejected').where('l.reasons', 'like', `%"code":"${REQUIRED}"%`)
    .groupBy('f.unit').select('f.unit').count({ n: '*' })) as Stored[];
  return new Map(rows.map((r) => [String(r['unit']), num(r['n'])]));
}

type LinkKind = 'code' | 'name' | 'neither';

/** Linked record versions of the range's loaded files, per unit and how they were linked. */
async function linkCounts(wh: Warehouse, from: string, to: string): Promise<Map<string, Record<LinkKind, number>>> {
  const { knex } = wh;
  const lists = (await knex({ f: T.files }).where(loadedIn(from, to)).distinct('f.subjects')) as Stored[];
  const subjects = new Set(lists.flatMap((r) => JSON.parse(String(r['subjects'] ?? '[]')) as string[]));
  // A version that created its entity carries rule `new`: the entity tells what it was made of.
  // Only codes merge entities, so a merged-away one held a code.
  const kind = knex.raw(
    `case when r.?? in (${IDENTIFIER_ORDER.map(() => '?').join(', ')}) then 'code' when r.?? = 'name' or e.name_only = 1 then 'name' ` +
    'when e.merged_into is not null or exists (select 1 from ?? i where i.entity_id = r.??) then \'code\' else \'neither\' end as kind',
    [L.linkRule, ...IDENTIFIER_ORDER, L.linkRule, T.identifiers, L.entity],
  );
  const byUnit = new Map<string, Record<LinkKind, number>>();
  for (const code of [...subjects].sort()) {
    const table = subjectTable(code);
    // A subject a later catalog renamed or dropped has no table of that name any more.
    if (!(await knex.schema.hasTable(table))) continue;
    const rows = (await knex({ r: table }).join({ f: T.files }, 'f.id', `r.${L.file}`).leftJoin({ e: T.entities }, 'e.id', `r.${L.entity}`)
      .where(loadedIn(from, to)).whereNotNull(`r.${L.entity}`)
      .select({ unit: `r.${L.unit}` }, kind).count({ n: '*' }).groupByRaw('1, 2')) as Stored[];
    for (const r of rows) {
      const unit = String(r['unit']);
      let c = byUnit.get(unit);
      if (!c) byUnit.set(unit, (c = { code: 0, name: 0, neither: 0 }));
      c[r['kind'] as LinkKind] += num(r['n']);
    }
  }
  return byUnit;
}

function timeliness(judged: readonly JudgedDelivery[]): Timeliness {
  const count = (a: JudgedDelivery['arrival']) => judged.filter((j) => j.arrival === a).length;
  const onTime = count('on-time');
  return { onTime, late: count('late'), missing: count('missing'), owed: judged.length, share: ratio(onTime, judged.length) };
}

function completeness(judged: readonly JudgedDelivery[], files: FileFigures | undefined, missingRequired: number): Completeness {
  const expected = new Set(judged.map((j) => j.owed.subject));
  const delivered = new Set(judged.filter((j) => j.arrival !== 'missing').map((j) => j.owed.subject));
  const rowsRead = files?.rowsRead ?? 0;
  const fillShare = ratio(rowsRead - missingRequired, rowsRead);
  const subjectsShare = ratio(delivered.size, expected.size);
  return {
    rowsRead, rowsMissingRequired: missingRequired, fillShare,
    subjectsExpected: expected.size, subjectsDelivered: delivered.size, subjectsShare, share: mean([fillShare, subjectsShare]),
  };
}

function score(u: Omit<UnitScore, 'rank' | 'score'>): number {
  let [sum, weight] = [0, 0];
  for (const m of MEASURES) {
    const share = u[m].share;
    if (share === null) continue;
    sum += WEIGHTS[m] * share;
    weight += WEIGHTS[m];
  }
  return weight === 0 ? 0 : Math.round((1000 * sum) / weight) / 10;
}

/** Each unit of `catalog` scored over a range of nights and ranked. */
export async function unitScorecard(wh: Warehouse, catalog: Catalog, o: ScorecardOptions): Promise<Scorecard> {
  const { from, to } = await nightRange(wh, o);
  const units = catalog.units.map((u) => u.code);
  const judged = await judgeDeliveries(wh, owedDeliveries(catalog, units, passedNights(from, to, o.today), o.deadlines), to);
  const owedBy = new Map<string, JudgedDelivery[]>();
  for (const j of judged) {
    const list = owedBy.get(j.owed.unit);
    if (list) list.push(j);
    else owedBy.set(j.owed.unit, [j]);
  }
  const files = await fileFigures(wh, from, to);
  const required = await requiredRejections(wh, from, to);
  const links = await linkCounts(wh, from, to);

  const scored = catalog.units.map((unit): UnitScore => {
    const mine = owedBy.get(unit.code) ?? [];
    const f = files.get(unit.code);
    const l = links.get(unit.code) ?? { code: 0, name: 0, neither: 0 };
    const linked = l.code + l.name + l.neither;
    const measures = {
      unit: unit.code, unitName: unit.name,
      deliveries: { loaded: f?.loaded ?? 0, quarantined: f?.quarantined ?? 0, duplicate: f?.duplicate ?? 0 },
      timeliness: timeliness(mine),
      completeness: completeness(mine, f, required.get(unit.code) ?? 0),
      accuracy: { rowsRead: f?.rowsRead ?? 0, rejected: f?.rejected ?? 0, share: f && f.rowsRead > 0 ? 1 - f.rejected / f.rowsRead : null },
      identifiability: { linked, byCode: l.code, byName: l.name, neither: l.neither, share: ratio(l.code, linked) },
    };
    const ranked = mine.length > 0 || f !== undefined;
    return { rank: null, ...measures, score: ranked ? score(measures) : null };
  });

  const byCode = (a: UnitScore, b: UnitScore) => (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0);
  const ranked = scored.filter((u) => u.score !== null).sort((a, b) => b.score! - a.score! || byCode(a, b));
  ranked.forEach((u, i) => { u.rank = i > 0 && ranked[i - 1]!.score === u.score ? ranked[i - 1]!.rank : i + 1; });
  return { from, to, today: o.today, weights: { ...WEIGHTS }, units: [...ranked, ...scored.filter((u) => u.score === null).sort(byCode)] };
}

// --- rendering -----------------------------------------------------------------------------------

const pct = (share: number | null): string => (share === null ? '—' : `${(100 * share).toFixed(1)}%`);

/** Each measure's share and the counts behind it, as a person reads them. */
function explained(u: UnitScore): Record<Measure, string> {
  const t = u.timeliness;
  const c = u.completeness;
  return {
    timeliness: t.owed === 0 ? '— nothing owed' : `${pct(t.share)} ${t.onTime}/${t.owed} on time, ${t.late} late, ${t.missing} missing`,
    completeness: c.share === null ? '—' : `${pct(c.share)} items ${pct(c.fillShare)}, subjects ${c.subjectsDelivered}/${c.subjectsExpected}`,
    accuracy: u.accuracy.share === null ? '— no rows loaded' : `${pct(u.accuracy.share)} ${u.accuracy.rejected}/${u.accuracy.rowsRead} rejected`,
    identifiability: u.identifiability.share === null ? '—' : `${pct(u.identifiability.share)} ${u.identifiability.byCode}/${u.identifiability.linked} by code`,
  };
}

const rankText = (u: UnitScore): string => (u.rank === null ? '—' : String(u.rank));
const scoreText = (u: UnitScore): string => (u.score === null ? '—' : u.score.toFixed(1));
const weighting = (card: Scorecard): string => MEASURES.map((m) => `${m} ${card.weights[m]}%`).join(' + ');

function unranked(card: Scorecard): string[] {
  const n = card.units.filter((u) => u.rank === null).length;
  return n === 0 ? [] : [`${n} unit(s) owed nothing and delivered nothing in the range: unranked, listed last`];
}

function text(card: Scorecard): string {
  const head = ['rank', 'unit', 'name', 'score', ...MEASURES];
  const rows = card.units.map((u) => {
    const e = explained(u);
    return [rankText(u), u.unit, u.unitName, scoreText(u), ...MEASURES.map((m) => e[m])];
  });
  return [
    `unit scorecard, nights ${card.from} to ${card.to} (deadlines before ${card.today}); score = ${weighting(card)}`,
    ...formatTable([head, ...rows]),
    ...unranked(card),
  ].join('\n');
}

function markdown(card: Scorecard): string {
  const head = ['Rank', 'Unit', 'Name', 'Score', ...MEASURES.map((m) => m[0]!.toUpperCase() + m.slice(1))];
  const rows = card.units.map((u) => {
    const e = explained(u);
    return [rankText(u), u.unit, u.unitName, scoreText(u), ...MEASURES.map((m) => e[m])];
  });
  const line = (cells: readonly string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  return [
    `## Unit scorecard, ${card.from} to ${card.to}`,
    '',
    `Deadlines before ${card.today} count. Score = ${weighting(card)}.`,
    '',
    line(head),
    `|${['---:', '---', '---', '---:', ...MEASURES.map(() => '---')].join('|')}|`,
    ...rows.map(line),
    ...(unranked(card).length > 0 ? ['', ...unranked(card)] : []),
  ].join('\n');
}

const CSV_COLUMNS: readonly [string, (u: UnitScore) => string | number | null][] = [
  ['rank', (u) => u.rank], ['unit', (u) => u.unit], ['unit_name', (u) => u.unitName], ['score', (u) => u.score],
  ['files_loaded', (u) => u.deliveries.loaded], ['files_quarantined', (u) => u.deliveries.quarantined], ['files_duplicate', (u) => u.deliveries.duplicate],
  ['timeliness', (u) => u.timeliness.share], ['owed', (u) => u.timeliness.owed], ['on_time', (u) => u.timeliness.onTime],
  ['late', (u) => u.timeliness.late], ['missing', (u) => u.timeliness.missing],
  ['completeness', (u) => u.completeness.share], ['fill', (u) => u.completeness.fillShare], ['rows_read', (u) => u.completeness.rowsRead],
  ['rows_missing_required', (u) => u.completeness.rowsMissingRequired], ['subjects_expected', (u) => u.completeness.subjectsExpected],
  ['subjects_delivered', (u) => u.completeness.subjectsDelivered], ['subjects', (u) => u.completeness.subjectsShare],
  ['accuracy', (u) => u.accuracy.share], ['rejected', (u) => u.accuracy.rejected],
  ['identifiability', (u) => u.identifiability.share], ['linked', (u) => u.identifiability.linked], ['by_code', (u) => u.identifiability.byCode],
  ['by_name', (u) => u.identifiability.byName], ['neither', (u) => u.identifiability.neither],
];

function csv(card: Scorecard): string {
  // UTF-8 with a byte-order mark, so Excel shows the units' Chinese names.
  return `\ufeff${[['from', 'to', ...CSV_COLUMNS.map(([name]) => name)].join(','),
    ...card.units.map((u) => csvLine([card.from, card.to, ...CSV_COLUMNS.map(([, value]) => value(u))]))].join('\r\n')}\r\n`;
}

/** The scorecard as terminal text, a Markdown table, or CSV with every count; JSON is JSON.stringify of it. */
export function renderScorecard(card: Scorecard, format: 'text' | 'md' | 'csv'): string {
  return format === 'text' ? text(card) : format === 'md' ? markdown(card) : csv(card);
}
