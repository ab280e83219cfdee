// The run report built from a real warehouse after real runs of the fixture nights: every figure
// agrees with the stored rows, the ledger identity holds at every level, nothing personal shows,
// and a unit that missed a deadline and delivered later is reported late — on all three dialects.
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { addTally, buildRunReport, emptyTally, identityHolds, lastRunId } from '../../src/report/build.js';
import type { RunReport, Tally } from '../../src/report/model.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderText } from '../../src/report/text.js';
import { writeRunReport } from '../../src/report/write.js';
import { runNight } from '../../src/run/night.js';
import { loadPipeline } from '../../src/run/pipeline.js';
import type { Warehouse } from '../../src/warehouse/connect.js';
import { ledgerIdentity } from '../../src/warehouse/ledger.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { T } from '../../src/warehouse/tables.js';
import { freshWarehouse, SQLITE, WAREHOUSE_KINDS } from '../warehouse/servers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const catalog = loadCatalog('v2');
const places: string[] = [];
afterAll(() => {
  for (const p of places) rmSync(p, { recursive: true, force: true });
});

const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv);
const validReport = ajv.compile(JSON.parse(readFileSync(join(REPO, 'schemas', 'report.schema.json'), 'utf8')) as object);

/** A working folder with an inbox and a pipeline of its own; `nights` maps inbox paths to fixture files. */
function workFolder(copy: (inbox: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), 'credit-etl-report-'));
  places.push(dir);
  copy(join(dir, 'inbox'));
  writeFileSync(join(dir, 'pipeline.json'), JSON.stringify({
    name: 'report-test', catalog: 'v2',
    folders: { inbox: 'inbox', archive: 'archive', quarantine: 'quarantine', reports: 'reports', receipts: 'receipts' },
    errorLimits: { maxRejectedRows: 1000, maxRejectedPercent: 50 },
  }));
  return { dir, pipeline: loadPipeline(join(dir, 'pipeline.json'), dir) };
}

const idKey = randomBytes(32);
const log = pino({ level: 'silent' });

async function night(wh: Warehouse, pipeline: ReturnType<typeof loadPipeline>, date?: string) {
  return runNight({ wh, catalog, pipeline, log, idKey, ...(date !== undefined && { date }) });
}

const count = async (wh: Warehouse, table: string, where: (q: ReturnType<Warehouse['knex']>) => unknown): Promise<number> => {
  const q = wh.knex(table);
  where(q);
  const [{ n }] = (await q.count({ n: '*' })) as [{ n: number | string }];
  return Number(n);
};

function everyTally(r: RunReport): Tally[] {
  return [r.totals, ...r.units.flatMap((u) => [u.tally, ...u.subjects.map((s) => s.tally), ...u.files.map((f) => f.tally)])];
}

describe('the report of a run of the three fixture nights (SQLite)', () => {
  const open = freshWarehouse(SQLITE);

  it('agrees with the warehouse, file by file, and shows nothing personal', async () => {
    const wh = await open();
    await ensureSchema(wh, catalog);
    const { pipeline } = workFolder((inbox) => cpSync(join(REPO, 'fixtures', 'nights'), inbox, { recursive: true, filter: (from) => !from.endsWith('README.md') }));
    const result = await night(wh, pipeline);
    const runId = result.batchId!;
    expect(await lastRunId(wh.knex)).toBe(runId);
    const report = await buildRunReport(wh, catalog, runId);

    expect(validReport(report), JSON.stringify(validReport.errors)).toBe(true);
    expect(report.totals.files).toEqual({ loaded: 15, duplicate: 1, quarantined: 3, failed: 0, unavailable: 0 });
    expect(report.totals.rowsRead).toBe(74);
    expect(report.quarantined.map((f) => f.reasonCode).sort()).toEqual(['file/corrupt', 'file/error-limit', 'file/no-header']);

    // Every file's figures are the ledger's, counted from the stored rows.
    const files = report.units.flatMap((u) => u.files);
    expect(files).toHaveLength(19);
    for (const f of files.filter((x) => x.outcome === 'loaded')) {
      const stored = await ledgerIdentity(wh, f.fileId);
      expect(stored.holds).toBe(true);
      const { repairs: _, ...outcomes } = f.tally;
      expect({ ...stored.counts, rowsRead: stored.rowsRead }).toEqual(outcomes);
    }
    for (const t of everyTally(report)) expect(identityHolds(t)).toBe(true);
    // The units add up to the run, and the subjects of a unit to the unit's loaded files.
    expect(report.units.reduce((sum, u) => addTally(sum, u.tally), emptyTally())).toEqual({ ...emptyTally(), ...pick(report.totals) });
    for (const u of report.units) {
      const loaded = u.files.filter((f) => f.outcome === 'loaded').reduce((sum, f) => addTally(sum, f.tally), emptyTally());
      expect(u.subjects.reduce((sum, s) => addTally(sum, s.tally), emptyTally())).toEqual(loaded);
    }

    // Rejections: counted by reason, the same number the ledger holds, with masked examples.
    const rejectedRows = await count(wh, T.ledger, (q) => q.where({ outcome: 'rejected' }));
    expect(report.totals.rejected).toBe(rejectedRows);
    const reasons = report.units.flatMap((u) => u.subjects.flatMap((s) => s.reasons));
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) {
      expect(r.label).toMatch(/[\u4e00-\u9fff]/);
      expect(r.examples.length).toBeGreaterThan(0);
      expect(r.examples.length).toBeLessThanOrEqual(3);
      for (const e of r.examples) expect(e.row).toBeGreaterThan(0);
    }
    expect(report.totals.newEntities).toBe(await count(wh, T.entities, (q) => q.whereNull('merged_into')));
    expect(report.totals.missing).toBe(result.missing.length);
    expect(report.trend.at(-1)).toMatchObject({ runId, rowsRead: 74, files: 19 });
    expect(report.totals.repairs).toBe(await count(wh, T.repairs, () => undefined));

    // Nothing personal in any rendering: the fixtures hold resident IDs and phones.
    for (const text of [JSON.stringify(report), renderMarkdown(report), renderText(report).join('\n')]) {
      expect(text).not.toMatch(/(?<![0-9A-Z*])\d{17}[\dXx](?![0-9A-Z])/);
      expect(text).not.toMatch(/(?<![0-9A-Z*])\d{15}(?![0-9A-Z])/);
      expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    }
  });
});

describe('personal values the report cannot know by column (SQLite)', () => {
  const open = freshWarehouse(SQLITE);

  it('hides malformed resident IDs, spaced phones, landlines and an ID as a folder name in every report and receipt', async () => {
    const wh = await open();
    await ensureSchema(wh, catalog);
    const badIds = ['44130219730909055', '4413021973090905551', '441302l97309090555'];
    const remark = '联系电话 138 1234 5678，座机 0752-2345678';
    const penalty = catalog.subjects.find((s) => s.code === 'XZCF')!;
    const row = (i: number, id: string, note: string): string => {
      const v: Record<string, string> = {
        行政相对人名称: `张${'三四五六七八九'[i]}`, 行政相对人类别: '自然人', 证件类型: '身份证', 证件号码: id, 行政处罚决定书文号: `惠市建罚〔2026〕${900 + i}号`,
        违法行为类型: '施工现场安全防护不到位', 违法事实: '外脚手架未按规定设置连墙件', 处罚依据: '《建设工程安全生产管理条例》第六十五条', 处罚类别: '罚款',
        处罚内容: '罚款人民币20000元', '罚款金额（万元）': '2', 处罚决定日期: '2026-11-25', 处罚有效期: '2027-11-25', 公示截止期: '2029-11-25',
        处罚机关: '惠州市住房和城乡建设局', 处罚机关统一社会信用代码: '11441300071705497K', 数据来源单位: '惠州市住房和城乡建设局', 数据来源单位统一社会信用代码: '11441300071705497K', 备注: note,
      };
      return penalty.items.map((item) => v[item.name] ?? '').join(',');
    };
    const { pipeline } = workFolder((inbox) => {
      mkdirSync(join(inbox, '2026-11-26', 'ZJJ'), { recursive: true });
      const lines = [penalty.items.map((i) => i.name).join(','), ...badIds.map((id, i) => row(i, id, remark)), ...[3, 4, 5, 6].map((i) => row(i, '441302197309090555', ''))];
      writeFileSync(join(inbox, '2026-11-26', 'ZJJ', '行政处罚.csv'), `${lines.join('\r\n')}\r\n`);
      mkdirSync(join(inbox, '2026-11-26', '440524188001010014'), { recursive: true });
      writeFileSync(join(inbox, '2026-11-26', '440524188001010014', 'x.csv'), 'a,b\r\n1,2\r\n');
    });
    const result = await night(wh, pipeline, '2026-11-26');
    expect(result.files.find((f) => f.unit === 'ZJJ')).toMatchObject({ outcome: 'loaded', counts: { rowsRead: 7, rejected: 3 } });
    const report = await buildRunReport(wh, catalog, result.batchId!);
    expect(report.units.flatMap((u) => u.subjects.flatMap((s) => s.reasons)).some((r) => r.code === 'identity/resident-id-check')).toBe(true);
    const written = await writeRunReport(pipeline.folders.reports, report);
    const receipts = readdirSync(pipeline.folders.receipts, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.csv'));
    const published = [
      ...[written.json, written.md, written.html].map((f) => readFileSync(f, 'utf8')), renderText(report).join('\n'),
      ...receipts.map((f) => readFileSync(join(pipeline.folders.receipts, f), 'utf8')),
    ].join('\n');
    expect(receipts.length).toBeGreaterThan(0);
    for (const clear of [...badIds, '1973090905', '138 1234 5678', '0752-2345678', '440524188001010014', '18800101']) expect(published).not.toContain(clear);
  });
});

describe('rejection reasons in the report (SQLite)', () => {
  const open = freshWarehouse(SQLITE);

  it('counts each rejected row once per reason, in the section of the file it came from, as the ledger has them', async () => {
    const wh = await open();
    await ensureSchema(wh, catalog);
    // ZJJ: penalties with rejected rows (two empty required items on one row), and a clean workbook of licences and penalties.
    const { pipeline } = workFolder((inbox) => {
      mkdirSync(join(inbox, '2026-11-26', 'ZJJ'), { recursive: true });
      cpSync(join(REPO, 'fixtures', 'nights', '2026-11-26', 'ZJJ', '行政处罚信息（11月25日）.csv'), join(inbox, '2026-11-26', 'ZJJ', 'a.csv'));
      cpSync(join(REPO, 'fixtures', 'delivery', 'xlsx-licensing-and-penalty-sheets.xlsx'), join(inbox, '2026-11-26', 'ZJJ', 'b.xlsx'));
    });
    const result = await night(wh, pipeline, '2026-11-26');
    expect(result.files.map((f) => f.outcome)).toEqual(['loaded', 'loaded']);
    const report = await buildRunReport(wh, catalog, result.batchId!);
    const zjj = report.units.find((u) => u.unit === 'ZJJ')!;
    expect(zjj.subjects.map((s) => s.subject)).toEqual(['XZCF', 'XZCF+XZXK']);

    // The same figures counted straight from the ledger: rows per reason code, per file.
    const rows = (await wh.knex(T.ledger).where({ outcome: 'rejected' }).select('file_id', 'reasons')) as { file_id: number; reasons: string }[];
    const byFile = new Map<number, Map<string, number>>();
    for (const r of rows) {
      const codes = new Set((JSON.parse(r.reasons) as { code: string }[]).map((x) => x.code));
      const m = byFile.get(Number(r.file_id)) ?? new Map<string, number>();
      for (const c of codes) m.set(c, (m.get(c) ?? 0) + 1);
      byFile.set(Number(r.file_id), m);
    }
    for (const section of zjj.subjects) {
      const files = zjj.files.filter((f) => [...f.subjects].sort().join('+') === section.subject);
      const expected = new Map<string, number>();
      for (const f of files) for (const [c, n] of byFile.get(f.fileId) ?? []) expected.set(c, (expected.get(c) ?? 0) + n);
      expect(new Map(section.reasons.map((r) => [r.code, r.count]))).toEqual(expected);
      for (const r of section.reasons) expect(new Set(r.examples.map((e) => `${e.fileId}:${e.row}`)).size).toBe(r.examples.length);
    }
    expect(zjj.subjects.find((s) => s.subject === 'XZCF+XZXK')!.reasons).toEqual([]);
    expect(zjj.subjects.find((s) => s.subject === 'XZCF')!.reasons.length).toBeGreaterThan(0);
  });
});

describe('a delivery that fails for a reason of the warehouse (SQLite)', () => {
  const open = freshWarehouse(SQLITE);

  it('is in the report as failed, with its reason, and stays in the inbox for the next run', async () => {
    const wh = await open();
    await ensureSchema(wh, catalog);
    const { pipeline } = workFolder((inbox) => {
      for (const f of ['2026-11-25/SCJG/行政许可信息_20261124.csv', '2026-11-25/SWJ/行政处罚信息20261124.csv']) {
        mkdirSync(join(inbox, f, '..'), { recursive: true });
        cpSync(join(REPO, 'fixtures', 'nights', f), join(inbox, f));
      }
    });
    // The licensing table gone from under the run: its file cannot load, the penalties still do.
    await wh.knex.schema.renameTable('xzxk', 'xzxk_elsewhere');
    const result = await night(wh, pipeline, '2026-11-25');
    expect(result.exitCode).toBe(1);
    const report = await buildRunReport(wh, catalog, result.batchId!);
    expect(validReport(report), JSON.stringify(validReport.errors)).toBe(true);
    expect(report.totals.files).toEqual({ loaded: 1, duplicate: 0, quarantined: 0, failed: 1, unavailable: 0 });
    const failed = report.units.find((u) => u.unit === 'SCJG')!.files[0]!;
    expect(failed).toMatchObject({ outcome: 'failed', name: '行政许可信息_20261124.csv', tally: { rowsRead: 0 } });
    expect(failed.reason).toMatch(/xzxk/);
    expect(existsSync(join(pipeline.folders.inbox, '2026-11-25/SCJG/行政许可信息_20261124.csv'))).toBe(true);
    // Not a load: the ledger does not list it, and the next run loads the file.
    await wh.knex.schema.renameTable('xzxk_elsewhere', 'xzxk');
    const again = await night(wh, pipeline, '2026-11-25');
    expect(again.files.map((f) => f.outcome)).toEqual(['loaded']);
  });
});

function pick(t: Tally): Tally {
  return { rowsRead: t.rowsRead, loaded: t.loaded, updated: t.updated, unchanged: t.unchanged, duplicate: t.duplicate, rejected: t.rejected, repairs: t.repairs };
}

describe.each(WAREHOUSE_KINDS)('a late delivery in the report ($name)', (kind) => {
  const open = freshWarehouse(kind);

  it('names the first delivery after a missed deadline as late, and the next one not', async () => {
    const wh = await open();
    await ensureSchema(wh, catalog);
    const fixture = (path: string) => join(REPO, 'fixtures', 'nights', path);
    const place = (inbox: string, night: string, unit: string, from: string, as = from.split('/').at(-1)!) => {
      mkdirSync(join(inbox, night, unit), { recursive: true });
      cpSync(fixture(from), join(inbox, night, unit, as));
    };
    // Night 25: SCJG delivers; SWJ, which owes 行政处罚 every day, does not.
    const { pipeline } = workFolder((inbox) => place(inbox, '2026-11-25', 'SCJG', '2026-11-25/SCJG/行政许可信息_20261124.csv'));
    const first = await night(wh, pipeline, '2026-11-25');
    expect(first.missing.some((m) => m.unit === 'SWJ' && m.subject === 'XZCF' && m.due === '2026-11-25')).toBe(true);

    // Night 27: SWJ's penalties come, two days late; on night 28 its next file is on time.
    place(pipeline.folders.inbox, '2026-11-27', 'SWJ', '2026-11-25/SWJ/行政处罚信息20261124.csv');
    place(pipeline.folders.inbox, '2026-11-27', 'SCJG', '2026-11-27/SCJG/行政许可信息_20261126.csv');
    const second = await night(wh, pipeline, '2026-11-27');
    const report = await buildRunReport(wh, catalog, second.batchId!);
    expect(validReport(report), JSON.stringify(validReport.errors)).toBe(true);
    const byUnit = new Map(report.units.map((u) => [u.unit, u.files]));
    expect(byUnit.get('SWJ')!.map((f) => f.late)).toEqual([true]);
    expect(byUnit.get('SCJG')!.map((f) => f.late)).toEqual([false]);
    expect(report.totals.late).toBe(1);
    expect(report.trend.map((p) => p.runId)).toEqual([first.batchId, second.batchId]);

    place(pipeline.folders.inbox, '2026-11-28', 'SWJ', '2026-11-26/SCJG/行政处罚信息_20261125.csv', '行政处罚信息20261127.csv');
    const third = await night(wh, pipeline, '2026-11-28');
    const later = await buildRunReport(wh, catalog, third.batchId!);
    expect(later.units.find((u) => u.unit === 'SWJ')!.files.map((f) => f.late)).toEqual([false]);
    for (const t of everyTally(later)) expect(identityHolds(t)).toBe(true);
  });
});
