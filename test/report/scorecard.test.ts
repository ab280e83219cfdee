// The unit scorecard on real warehouses, loaded the way the nightly run loads them: five nights of
// an inbox, run night by night. SCJG delivers both its subjects every night, clean and coded; SWJ
// sends a file it cannot read, then one late file with rejected rows and name-only records, and
// never its licences; CGJ and STHJ stay silent; CZJ owes only a yearly subject, not due in the range.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCatalog, type Catalog } from '../../src/catalog/index.js';
import { reportUnitsCommand } from '../../src/cli/report-units.js';
import { UsageError } from '../../src/cli/output.js';
import { renderScorecard, ScorecardError, unitScorecard, type Scorecard, type UnitScore } from '../../src/report/scorecard.js';
import { runNight } from '../../src/run/night.js';
import type { Pipeline } from '../../src/run/pipeline.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { delimited, LICENSING_HEADER, licensingRow, PENALTY_HEADER, penaltyRow } from '../../scripts/penalty-rows.js';
import { SQLITE, WAREHOUSE_KINDS, type TestWarehouse, type WarehouseKind } from '../warehouse/servers.js';

const v2 = loadCatalog('v2');
const DELIVERS: Record<string, string[]> = { SCJG: ['XZCF', 'XZXK'], SWJ: ['XZCF', 'XZXK'], CGJ: ['XZCF'], STHJ: ['XZCF'], CZJ: ['CZJ_KJZG'] };
const catalog: Catalog = {
  ...v2,
  units: v2.units.filter((u) => u.code in DELIVERS).map((u) => ({ ...u, delivers: DELIVERS[u.code]! })),
  subjects: v2.subjects.filter((s) => ['XZCF', 'XZXK', 'CZJ_KJZG'].includes(s.code)),
};
const NIGHTS = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'];
const TODAY = '2026-11-28';
const col = (name: string) => PENALTY_HEADER.indexOf(name);
const csv = (header: readonly string[], rows: readonly (readonly string[])[]) => delimited([header, ...rows], ',', '\r\n');

function penalty(n: number, change: (row: string[]) => void = () => undefined): string[] {
  const row = penaltyRow(n);
  change(row);
  return row;
}
const noUscc = (row: string[]) => { row[col('统一社会信用代码')] = ''; };
const noWsh = (row: string[]) => { row[col('行政处罚决定书文号')] = ''; };
const badDate = (row: string[]) => { row[col('处罚决定日期')] = '2019-02-30'; };

function licence(n: number): string[] {
  const row = licensingRow(n, `惠州市第${n + 1}科技有限公司`);
  row[LICENSING_HEADER.indexOf('法定代表人证件类型')] = '身份证';
  row[LICENSING_HEADER.indexOf('法定代表人证件号码')] = '440524188001010014';
  return row;
}

/** The inbox of the five nights: file name → content, under <night>/<unit>/. */
function inbox(): Record<string, string> {
  const files: Record<string, string> = {};
  NIGHTS.forEach((night, i) => {
    // Four coded companies a night; the last night also corrects the first night's first record.
    const rows = [0, 1, 2, 3].map((j) => penaltyRow(10 * i + j));
    if (i === 4) rows.push(penalty(0, (r) => { r[col('罚款金额（万元）')] = '0.3'; }));
    files[`${night}/SCJG/行政处罚_${night}.csv`] = csv(PENALTY_HEADER, rows);
    files[`${night}/SCJG/行政许可_${night}.csv`] = csv(LICENSING_HEADER, [licence(i)]);
  });
  // The first night's licences sent again: a duplicate delivery, which delivers nothing.
  files['2026-11-27/SCJG/行政许可_补发.csv'] = files['2026-11-23/SCJG/行政许可_2026-11-23.csv']!;
  files['2026-11-24/SWJ/导出.csv'] = '甲,乙,丙\r\n1,2,3\r\n';
  const shop = penalty(107, noUscc);
  files['2026-11-26/SWJ/行政处罚.csv'] = csv(PENALTY_HEADER, [
    penaltyRow(100), penaltyRow(101), penaltyRow(102),
    // A person, by resident ID.
    penaltyRow(109),
    // Individual businesses without a USCC: linked by name, twice the same one.
    shop, penalty(107, (r) => { noUscc(r); r[col('行政处罚决定书文号')] = '惠市监罚字〔2019〕9991号'; }), penalty(108, noUscc),
    penalty(103, noWsh), penalty(104, badDate), penalty(105, (r) => { noWsh(r); badDate(r); }),
  ]);
  return files;
}

function pipelineAt(root: string): Pipeline {
  const folder = (name: string) => join(root, name);
  return {
    name: 'scorecard', catalog: 'v2', units: 'all', files: [], sources: [], deadlines: {}, errorLimits: { maxRejectedPercent: 50 },
    folders: { inbox: folder('inbox'), archive: folder('archive'), quarantine: folder('quarantine'), reports: folder('reports'), receipts: folder('receipts') },
    source: folder('pipeline.json'),
  };
}

/** A warehouse of `kind` with the five nights loaded by the nightly run, one night at a time. */
async function loadedWarehouse(kind: WarehouseKind): Promise<{ place: TestWarehouse; wh: Warehouse; root: string }> {
  const place = await kind.create();
  const wh = await openWarehouse(place.spec);
  const root = mkdtempSync(join(tmpdir(), 'credit-etl-scorecard-'));
  for (const [path, text] of Object.entries(inbox())) {
    const file = join(root, 'inbox', path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  await ensureSchema(wh, catalog);
  const pipeline = pipelineAt(root);
  const log = pino({ level: 'silent' });
  const idKey = randomBytes(32);
  for (const date of NIGHTS) await runNight({ wh, catalog, pipeline, log, idKey, date });
  return { place, wh, root };
}

const unit = (card: Scorecard, code: string): UnitScore => card.units.find((u) => u.unit === code)!;

describe.each(WAREHOUSE_KINDS)('the unit scorecard in $name', (kind) => {
  let built: Awaited<ReturnType<typeof loadedWarehouse>>;
  beforeAll(async () => {
    built = await loadedWarehouse(kind);
  }, 120_000);
  afterAll(async () => {
    await built?.wh.close();
    await built?.place.drop();
    if (built) rmSync(built.root, { recursive: true, force: true });
  });

  it('scores and ranks every unit of the catalog over the nights delivered, by default from the first night to the last', async () => {
    const card = await unitScorecard(built.wh, catalog, { today: TODAY });
    expect(card).toMatchObject({ from: '2026-11-23', to: '2026-11-27', today: TODAY, weights: { timeliness: 30, completeness: 30, accuracy: 25, identifiability: 15 } });
    expect(card.units.map((u) => [u.rank, u.unit, u.score])).toEqual([
      [1, 'SCJG', 100], [2, 'SWJ', 51.6], [3, 'CGJ', 0], [3, 'STHJ', 0], [null, 'CZJ', null],
    ]);

    expect(unit(card, 'SCJG')).toEqual({
      rank: 1, unit: 'SCJG', unitName: expect.any(String), score: 100,
      deliveries: { loaded: 10, quarantined: 0, duplicate: 1 },
      timeliness: { onTime: 10, late: 0, missing: 0, owed: 10, share: 1 },
      completeness: { rowsRead: 26, rowsMissingRequired: 0, fillShare: 1, subjectsExpected: 2, subjectsDelivered: 2, subjectsShare: 1, share: 1 },
      accuracy: { rowsRead: 26, rejected: 0, share: 1 },
      // 25 records that created their (coded) entity, and the correction, linked by its USCC.
      identifiability: { linked: 26, byCode: 26, byName: 0, neither: 0, share: 1 },
    });

    // 行政处罚 due on the 23rd, 24th and 25th came late (the 26th; the 24th's file was quarantined),
    // the 26th's and 27th's on time; 行政许可 never came.
    const swj = unit(card, 'SWJ');
    expect(swj.deliveries).toEqual({ loaded: 1, quarantined: 1, duplicate: 0 });
    expect(swj.timeliness).toEqual({ onTime: 2, late: 3, missing: 5, owed: 10, share: 0.2 });
    // 10 rows, 2 of them without their 决定书文号 (one also with a date that is not one).
    expect(swj.completeness).toEqual({
      rowsRead: 10, rowsMissingRequired: 2, fillShare: 0.8, subjectsExpected: 2, subjectsDelivered: 1, subjectsShare: 0.5, share: 0.65,
    });
    expect(swj.accuracy).toEqual({ rowsRead: 10, rejected: 3, share: 0.7 });
    // Three companies and a person by code; one shop twice by name (the first created it), another once.
    expect(swj.identifiability).toEqual({ linked: 7, byCode: 4, byName: 3, neither: 0, share: 4 / 7 });

    expect(unit(card, 'CGJ')).toMatchObject({
      deliveries: { loaded: 0, quarantined: 0, duplicate: 0 },
      timeliness: { onTime: 0, late: 0, missing: 5, owed: 5, share: 0 },
      completeness: { rowsRead: 0, fillShare: null, subjectsExpected: 1, subjectsDelivered: 0, subjectsShare: 0, share: 0 },
      accuracy: { share: null }, identifiability: { linked: 0, share: null },
    });
    expect(unit(card, 'CZJ')).toMatchObject({ timeliness: { owed: 0, share: null }, completeness: { share: null }, score: null });
  });

  it('judges only the range: files after its end count for nothing, and a unit that delivered nothing usable scores 0', async () => {
    const card = await unitScorecard(built.wh, catalog, { from: '2026-11-23', to: '2026-11-25', today: TODAY });
    expect(unit(card, 'SCJG')).toMatchObject({
      score: 100, timeliness: { onTime: 6, owed: 6 }, accuracy: { rowsRead: 15 }, identifiability: { byCode: 15 },
    });
    expect(unit(card, 'SWJ')).toMatchObject({
      rank: 2, score: 0, deliveries: { loaded: 0, quarantined: 1 },
      timeliness: { onTime: 0, late: 0, missing: 6, owed: 6 }, completeness: { fillShare: null, subjectsShare: 0 }, accuracy: { share: null },
    });
  });

  it('counts only deadlines before today, and the pipeline\'s own deadline per frequency', async () => {
    const early = await unitScorecard(built.wh, catalog, { today: '2026-11-26' });
    expect([early.from, early.to]).toEqual(['2026-11-23', '2026-11-27']);
    expect(unit(early, 'SWJ').timeliness).toEqual({ onTime: 0, late: 3, missing: 3, owed: 6, share: 0 });
    // W+1: daily subjects owed by the week, due the Monday after it (the 23rd, for the 16th to the 22nd).
    const weekly = await unitScorecard(built.wh, catalog, { today: TODAY, deadlines: { daily: 'W+1' } });
    expect(unit(weekly, 'SCJG').timeliness).toEqual({ onTime: 2, late: 0, missing: 0, owed: 2, share: 1 });
    expect(unit(weekly, 'SWJ').timeliness).toEqual({ onTime: 0, late: 1, missing: 1, owed: 2, share: 0 });
  });
});

describe('the scorecard\'s range and renderings', () => {
  let built: Awaited<ReturnType<typeof loadedWarehouse>>;
  beforeAll(async () => {
    built = await loadedWarehouse(SQLITE);
  }, 120_000);
  afterAll(async () => {
    await built?.wh.close();
    await built?.place.drop();
    if (built) rmSync(built.root, { recursive: true, force: true });
  });

  it('takes the 30 nights ending on --to, or from the first night delivered; refuses a bad date or a start after the end', async () => {
    expect(await unitScorecard(built.wh, catalog, { to: '2026-12-31', today: TODAY })).toMatchObject({ from: '2026-12-02', to: '2026-12-31' });
    expect(await unitScorecard(built.wh, catalog, { to: '2026-11-24', today: TODAY })).toMatchObject({ from: '2026-11-23', to: '2026-11-24' });
    // A start after the last delivery: the range is that one night.
    const later = await unitScorecard(built.wh, catalog, { from: '2026-12-05', today: '2026-12-06' });
    expect(later).toMatchObject({ from: '2026-12-05', to: '2026-12-05' });
    expect(unit(later, 'SCJG').timeliness).toMatchObject({ owed: 2, missing: 2 });
    await expect(unitScorecard(built.wh, catalog, { from: '2026-11-27', to: '2026-11-23', today: TODAY })).rejects.toThrow(ScorecardError);
    await expect(unitScorecard(built.wh, catalog, { from: '2026-11-27', to: '2026-11-23', today: TODAY })).rejects.toThrow('the range\'s start, 2026-11-27, is after its end, 2026-11-23');
    await expect(unitScorecard(built.wh, catalog, { from: '2026-02-30', today: TODAY })).rejects.toThrow('the range\'s start, "2026-02-30", is not a real date written YYYY-MM-DD');
  });

  it('renders as text, Markdown and CSV, every unit once', async () => {
    const card = await unitScorecard(built.wh, catalog, { today: TODAY });
    const text = renderScorecard(card, 'text').split('\n');
    expect(text[0]).toBe('unit scorecard, nights 2026-11-23 to 2026-11-27 (deadlines before 2026-11-28); score = timeliness 30% + completeness 30% + accuracy 25% + identifiability 15%');
    expect(text[1]).toMatch(/^ {2}rank +unit +name +score +timeliness +completeness +accuracy +identifiability$/);
    expect(text.find((l) => l.includes(' SWJ '))).toMatch(/^ {2}2 +SWJ +\S+ +51\.6 +20\.0% 2\/10 on time, 3 late, 5 missing +65\.0% items 80\.0%, subjects 1\/2 +70\.0% 3\/10 rejected +57\.1% 4\/7 by code$/);
    expect(text.find((l) => l.includes(' CZJ '))).toMatch(/^ {2}— +CZJ +\S+ +— +— nothing owed +— +— no rows loaded +—$/);
    expect(text.at(-1)).toBe('1 unit(s) owed nothing and delivered nothing in the range: unranked, listed last');

    const md = renderScorecard(card, 'md').split('\n');
    expect(md[0]).toBe('## Unit scorecard, 2026-11-23 to 2026-11-27');
    expect(md).toContain(`| 1 | SCJG | ${unit(card, 'SCJG').unitName} | 100.0 | 100.0% 10/10 on time, 0 late, 0 missing | 100.0% items 100.0%, subjects 2/2 | 100.0% 0/26 rejected | 100.0% 26/26 by code |`);

    const lines = renderScorecard(card, 'csv').split('\r\n');
    expect(lines[0]!.startsWith('\ufefffrom,to,rank,unit,unit_name,score,files_loaded,files_quarantined,files_duplicate,timeliness,owed,on_time,late,missing,')).toBe(true);
    expect(lines).toHaveLength(card.units.length + 2);
    expect(lines.at(-1)).toBe('');
    const header = lines[0]!.slice(1).split(',');
    const swj = Object.fromEntries(lines.find((l) => l.includes(',SWJ,'))!.split(',').map((v, i) => [header[i], v]));
    expect(swj).toMatchObject({ rank: '2', score: '51.6', timeliness: '0.2', on_time: '2', late: '3', missing: '5', fill: '0.8', rows_missing_required: '2', accuracy: '0.7', by_code: '4', by_name: '3' });
    expect(lines.find((l) => l.includes(',CZJ,'))).toMatch(/^2026-11-23,2026-11-27,,CZJ,/);
  });
});

describe('credit-etl report units', () => {
  let built: Awaited<ReturnType<typeof loadedWarehouse>>;
  let stdout = '';
  beforeAll(async () => {
    built = await loadedWarehouse(SQLITE);
    // The CLI reads the warehouse itself.
    await built.wh.close();
  }, 120_000);
  afterAll(async () => {
    await built?.place.drop();
    if (built) rmSync(built.root, { recursive: true, force: true });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    stdout = '';
  });

  async function units(...argv: string[]): Promise<string> {
    // Today in Asia/Shanghai, the bundled pipeline's time zone: 2026-11-28.
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-11-28T02:00:00Z') });
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { stdout += String(s); return true; });
    await reportUnitsCommand().exitOverride().parseAsync([...argv, '--warehouse', built.place.spec], { from: 'user' });
    return stdout;
  }

  it('prints the scorecard of the warehouse\'s catalog, as text and as JSON', async () => {
    const text = await units();
    expect(text).toMatch(/^unit scorecard, nights 2026-11-23 to 2026-11-27 \(deadlines before 2026-11-28\)/);
    expect(text).toMatch(/\n {2}\d+ +SWJ +\S+ +[\d.]+ +.* 70\.0% 3\/10 rejected +57\.1% 4\/7 by code\n/);
    stdout = '';
    const card = JSON.parse(await units('--format', 'json', '--from', '2026-11-26')) as Scorecard;
    expect(card).toMatchObject({ from: '2026-11-26', to: '2026-11-27', today: '2026-11-28' });
    // Catalog v2 as the warehouse follows it: every unit, each owing every subject it delivers.
    expect(card.units).toHaveLength(v2.units.length);
    expect(unit(card, 'SWJ')).toMatchObject({ accuracy: { rowsRead: 10, rejected: 3 }, identifiability: { byCode: 4, byName: 3 } });
    // Its two subjects on time both nights; of the others v2 asks of it, whatever fell due is missing.
    const scjg = unit(card, 'SCJG').timeliness;
    expect(scjg).toMatchObject({ onTime: 4, late: 0, missing: scjg.owed - 4 });
    expect(scjg.owed).toBeGreaterThan(4);
  });

  it('refuses a date that is not one, and a start after the end', async () => {
    await expect(units('--from', '2026-11-31')).rejects.toThrow(UsageError);
    await expect(units('--from', '2026-11-31')).rejects.toThrow('the range\'s start, "2026-11-31", is not a real date written YYYY-MM-DD');
    await expect(units('--from', '2026-11-27', '--to', '2026-11-26')).rejects.toThrow('the range\'s start, 2026-11-27, is after its end, 2026-11-26');
    expect(stdout).toBe('');
  });
});
