// report.html opened from disk in a real Chromium, the way an analyst opens it: nothing may load
// or run beyond the page itself, the numbers must be the model's, and units' hostile strings
// must stay text.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import {
  REPORT_FORMAT, type DeliveryOutcome, type MissingLine, type ReasonSummary, type ReportFile, type RunReport, type SubjectSection,
  type Tally, type TrendPoint, type UnitSection,
} from '../../src/report/model.js';

const CHROMIUM = '/usr/bin/chromium';
// Only a developer's machine without Chromium may skip; on CI its absence must fail the launch.
const SKIP = !existsSync(CHROMIUM) && !process.env['CI'];
if (SKIP) console.warn(`report.html browser tests skipped: ${CHROMIUM} is absent (apt-get install chromium to run them)`);

const HOSTILE = {
  unitName: '<img src=x onerror=alert(1)>',
  fileName: '</script><script>alert(1)</script>.xlsx',
  reason: '" onmouseover="x',
  cell: '=HYPERLINK("http://evil.example/x","点此查看")',
};

// ---- a realistic run: five units, several subjects, every file outcome, 30 runs of trend ----

const tally = (rowsRead: number, loaded: number, updated: number, unchanged: number, duplicate: number, rejected: number, repairs = 0): Tally =>
  ({ rowsRead, loaded, updated, unchanged, duplicate, rejected, repairs });
const ZERO = tally(0, 0, 0, 0, 0, 0);
function add(a: Tally, b: Tally): Tally {
  return {
    rowsRead: a.rowsRead + b.rowsRead, loaded: a.loaded + b.loaded, updated: a.updated + b.updated, unchanged: a.unchanged + b.unchanged,
    duplicate: a.duplicate + b.duplicate, rejected: a.rejected + b.rejected, repairs: a.repairs + b.repairs,
  };
}

let nextFileId = 101;
function file(unit: string, name: string, subjects: string[], outcome: DeliveryOutcome, t: Tally, extra: Partial<ReportFile> = {}): ReportFile {
  const seconds = Math.max(0.4, t.rowsRead / 2500);
  return {
    fileId: nextFileId++, unit, night: '2024-05-01', name, subjects, outcome, reason: null, reasonCode: null,
    format: name.endsWith('.csv') ? 'csv' : 'xlsx', encoding: name.endsWith('.csv') ? 'GB18030' : null, bytes: 2_000 + t.rowsRead * 180,
    tally: t, seconds, rowsPerSecond: Math.round(t.rowsRead / seconds), late: false, ...extra,
  };
}

const example = (fileId: number, fileName: string, row: number, message: string, cells: string[]) =>
  ({ fileId, file: fileName, sheet: fileName.endsWith('.xlsx') ? 'Sheet1' : null, row, message, cells });

function reason(code: string, label: string, count: number, examples: ReasonSummary['examples'] = []): ReasonSummary {
  return { code, label, count, examples };
}

interface SubjectSpec {
  subject: string;
  subjectName: string;
  reasons?: ReasonSummary[];
  repairs?: SubjectSection['repairs'];
}

function unit(code: string, unitName: string, files: ReportFile[], specs: SubjectSpec[]): UnitSection {
  const subjects = specs.map((s): SubjectSection => {
    const loaded = files.filter((f) => f.outcome === 'loaded' && f.subjects.join('+') === s.subject);
    return { subject: s.subject, subjectName: s.subjectName, files: loaded.length, tally: loaded.reduce((a, f) => add(a, f.tally), ZERO), reasons: s.reasons ?? [], repairs: s.repairs ?? [] };
  });
  return { unit: code, unitName, tally: files.reduce((a, f) => add(a, f.tally), ZERO), files, subjects };
}

function realisticReport(): RunReport {
  nextFileId = 101;
  const scjgXk = file('SCJG', '行政许可_20240501.xlsx', ['XZXK'], 'loaded', tally(1200, 900, 120, 150, 10, 20, 35));
  const scjgCf = file('SCJG', '行政处罚_20240501.csv', ['XZCF'], 'loaded', tally(9, 5, 1, 1, 0, 2, 3));
  const scjgDj = file('SCJG', '市场主体登记_20240501.xlsx', ['SCJG_QYDJ'], 'loaded', tally(25, 20, 2, 3, 0, 0, 0), { late: true });
  const scjgDup = file('SCJG', '行政许可_20240430.xlsx', [], 'duplicate', ZERO, { reason: '与文件 #88 字节相同', reasonCode: null });
  const swjCf = file('SWJ', '税务行政处罚.xlsx', ['XZCF'], 'loaded', tally(120, 100, 0, 10, 4, 6, 12));
  const swjQs = file('SWJ', '欠税公告.csv', ['SWJ_QSGG'], 'loaded', tally(1000, 950, 0, 0, 0, 50, 0), { late: true });
  const sthjCf = file('STHJ', '环境行政处罚（第一批）.xlsx', ['XZCF'], 'loaded', tally(340, 300, 20, 0, 0, 20, 4));
  const sthjBad = file('STHJ', '环境行政处罚（第二批）.xls', [], 'quarantined', tally(400, 0, 0, 0, 0, 400),
    { reason: '400 of 400 rows were rejected; the limit is 10%', reasonCode: 'file/error-limit', format: 'xls' });
  const rsjEnc = file('RSJ', '社保缴费.csv', [], 'quarantined', ZERO, { reason: 'the bytes decode in no known encoding', reasonCode: 'file/encoding' });
  const xssFile = file('XSS', HOSTILE.fileName, ['XZXK'], 'loaded', tally(60, 50, 0, 0, 0, 10, 1));
  const xssBad = file('XSS', `${HOSTILE.unitName}.csv`, [], 'quarantined', ZERO, { reason: HOSTILE.reason, reasonCode: 'file/header-only' });
  const fyFail = file('FY', '失信被执行人.sql', [], 'failed', ZERO, { reason: 'the warehouse refused the connection', reasonCode: null, format: 'mysql-dump' });

  const units: UnitSection[] = [
    unit('FY', '惠州市中级人民法院', [fyFail], []),
    unit('RSJ', '惠州市人力资源和社会保障局', [rsjEnc], []),
    unit('SCJG', '惠州市市场监督管理局', [scjgXk, scjgCf, scjgDj, scjgDup], [
      { subject: 'SCJG_QYDJ', subjectName: '市场主体登记注册基本信息' },
      {
        subject: 'XZCF', subjectName: '行政处罚',
        reasons: [reason('cell/date', '日期不是有效的日历日期', 2, [example(scjgCf.fileId, scjgCf.name, 7, 'row 7 of 行政处罚_20240501.csv: 处罚决定日期 2024-02-30 is not a real date', ['惠州市某某贸易有限公司', '91441300MA4UXXXX1X', '2024-02-30'])])],
        repairs: [{ item: 'XZCF_CFJDRQ', itemName: '处罚决定日期', count: 3 }],
      },
      {
        subject: 'XZXK', subjectName: '行政许可',
        reasons: [
          reason('identity/uscc-check', '统一社会信用代码校验不通过', 12, [
            example(scjgXk.fileId, scjgXk.name, 57, 'row 57 of 行政许可_20240501.xlsx: 统一社会信用代码 91441300MA4UXXXX1Y fails its check character', ['惠州市某某科技有限公司', '91441300MA4UXXXX1Y', '食品经营许可证']),
            example(scjgXk.fileId, scjgXk.name, 311, 'row 311 of 行政许可_20240501.xlsx: 统一社会信用代码 is 17 characters', ['惠州市某某餐饮店', '9144130012345678', '食品经营许可证']),
          ]),
          reason('cell/required', '必填数据项为空', 6),
          reason('cell/code-table', '不是代码表中的值', 3),
          reason('cell/too-long', '超过数据项允许的长度', 1),
        ],
        repairs: [{ item: 'XZXK_XKJDRQ', itemName: '许可决定日期', count: 30 }, { item: 'XZXK_XDRMC', itemName: '行政相对人名称', count: 5 }],
      },
    ]),
    unit('STHJ', '惠州市生态环境局', [sthjCf, sthjBad], [
      { subject: 'XZCF', subjectName: '行政处罚', reasons: [reason('cell/amount', '金额单位无法识别', 15), reason('cell/date', '日期不是有效的日历日期', 5)], repairs: [{ item: 'XZCF_FKJE', itemName: '罚款金额', count: 4 }] },
    ]),
    unit('SWJ', '国家税务总局惠州市税务局', [swjCf, swjQs], [
      { subject: 'SWJ_QSGG', subjectName: '欠税公告', reasons: [reason('identity/tax-no-check', '税务登记号不是行政区划码加组织机构代码', 50)] },
      { subject: 'XZCF', subjectName: '行政处罚', reasons: [reason('row/duplicate-in-file', '同一文件中业务主键重复', 6)], repairs: [{ item: 'XZCF_FKJE', itemName: '罚款金额', count: 12 }] },
    ]),
    unit('XSS', HOSTILE.unitName, [xssFile, xssBad], [
      {
        subject: 'XZXK', subjectName: '行政许可',
        reasons: [reason('cell/pattern', `${HOSTILE.reason} 不符合格式`, 10, [example(xssFile.fileId, xssFile.name, 3, `row 3 of ${HOSTILE.fileName}: ${HOSTILE.reason}`, [HOSTILE.cell, HOSTILE.unitName, '</script><script>alert(2)</script>'])])],
        repairs: [{ item: 'XZXK_BZ', itemName: HOSTILE.reason, count: 1 }],
      },
    ]),
  ];
  const files = units.flatMap((u) => u.files);
  const missing: MissingLine[] = [
    { unit: 'GJJ', unitName: '惠州市住房公积金管理中心', subject: 'GJJ_JCXX', subjectName: '住房公积金缴存信息', periodStart: '2024-04-01', periodEnd: '2024-04-30', due: '2024-05-05' },
    { unit: 'SCJG', unitName: '惠州市市场监督管理局', subject: 'SCJG_SPCJ', subjectName: '食品抽检信息', periodStart: '2024-04-29', periodEnd: '2024-04-29', due: '2024-04-30' },
    { unit: 'WJJ', unitName: '惠州市卫生健康局', subject: 'XZCF', subjectName: '行政处罚', periodStart: '2024-04-29', periodEnd: '2024-04-29', due: '2024-04-30' },
  ];
  const count = (o: DeliveryOutcome) => files.filter((f) => f.outcome === o).length;
  const totals = files.reduce((a, f) => add(a, f.tally), ZERO);
  const trend: TrendPoint[] = Array.from({ length: 30 }, (_, i) => {
    const rowsRead = 2000 + ((i * 7919) % 1800) + (i % 6 === 0 ? 2500 : 0);
    const rejected = 20 + ((i * 131) % 160);
    return { runId: 71 + i, startedAt: new Date(Date.UTC(2024, 3, 2 + i, 18)).toISOString(), files: 8 + (i % 5), rowsRead, loaded: rowsRead - rejected - 300, rejected };
  });
  trend[29] = { runId: 100, startedAt: '2024-05-01T18:00:00.000Z', files: files.length, rowsRead: totals.rowsRead, loaded: totals.loaded, rejected: totals.rejected };
  return {
    format: REPORT_FORMAT,
    generatedAt: '2024-05-01T18:21:05.000Z',
    run: { id: 100, catalog: 'v2', pipeline: 'huizhou-nightly', status: 'finished', startedAt: '2024-05-01T18:00:00.000Z', finishedAt: '2024-05-01T18:20:45.500Z', seconds: 1245.5, rowsPerSecond: Math.round(totals.rowsRead / 1245.5) },
    totals: {
      ...totals,
      files: { loaded: count('loaded'), duplicate: count('duplicate'), quarantined: count('quarantined'), failed: count('failed'), unavailable: count('unavailable') },
      newEntities: 57, merges: 2, conflicts: 2, missing: missing.length, late: files.filter((f) => f.late).length,
    },
    units,
    quarantined: files.filter((f) => f.outcome === 'quarantined'),
    missing,
    entities: {
      created: { org: 41, 'individual-business': 9, person: 7 },
      merges: [{ from: 5120, into: 311, kind: 'org-code', value: 'MA4UXXXX1' }, { from: 5133, into: 4200, kind: 'resident-id', value: '441302********0017' }],
      conflicts: [
        { kind: 'uscc-names', value: '91441300MA4UXXXX1X', entities: [311, 5150], detail: '惠州市某某贸易有限公司 / 惠州某某商贸有限公司' },
        { kind: 'ambiguous-name', value: HOSTILE.unitName, entities: [12, 13, 14], detail: HOSTILE.reason },
      ],
    },
    trend,
  };
}

function emptyReport(): RunReport {
  return {
    format: REPORT_FORMAT, generatedAt: '2024-05-02T18:00:02.000Z',
    run: { id: 101, catalog: 'v2', pipeline: null, status: 'finished', startedAt: '2024-05-02T18:00:00.000Z', finishedAt: '2024-05-02T18:00:01.000Z', seconds: 1, rowsPerSecond: 0 },
    totals: { ...ZERO, files: { loaded: 0, duplicate: 0, quarantined: 0, failed: 0, unavailable: 0 }, newEntities: 0, merges: 0, conflicts: 0, missing: 0, late: 0 },
    units: [], quarantined: [], missing: [], entities: { created: {}, merges: [], conflicts: [] },
    trend: [{ runId: 101, startedAt: '2024-05-02T18:00:00.000Z', files: 0, rowsRead: 0, loaded: 0, rejected: 0 }],
  };
}

function onlyQuarantinedReport(): RunReport {
  nextFileId = 300;
  const bad = [
    file('SCJG', '行政许可.xlsx', [], 'quarantined', ZERO, { reason: 'a truncated or corrupt archive', reasonCode: 'file/corrupt' }),
    file('SWJ', '欠税.csv', [], 'quarantined', ZERO, { reason: 'no row of the file looks like a header', reasonCode: 'file/no-header' }),
  ];
  const base = emptyReport();
  return {
    ...base,
    run: { ...base.run, status: 'failed' },
    totals: { ...base.totals, files: { ...base.totals.files, quarantined: 2 } },
    units: [unit('SCJG', '惠州市市场监督管理局', [bad[0]!], []), unit('SWJ', '国家税务总局惠州市税务局', [bad[1]!], [])],
    quarantined: bad,
    trend: [],
  };
}

// ---- the browser ----

interface Visit {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  dialogs: string[];
  requests: string[];
  url: string;
}

describe.skipIf(SKIP)('report.html in Chromium', () => {
  let browser: Browser;
  let dir: string;
  const report = realisticReport();
  const visits: Visit[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'credit-etl-report-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    for (const v of visits) await v.context.close();
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the report to disk and opens it by file://, recording everything that should not happen. */
  async function open(model: RunReport, name: string, javaScriptEnabled = true): Promise<Visit> {
    const path = join(dir, `${name}.html`);
    writeFileSync(path, renderHtml(model));
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
    const page = await context.newPage();
    const visit: Visit = { page, context, consoleErrors: [], dialogs: [], requests: [], url: pathToFileURL(path).href };
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') visit.consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => visit.consoleErrors.push(String(e)));
    page.on('dialog', (d) => { visit.dialogs.push(d.message()); void d.dismiss(); });
    context.on('request', (r) => visit.requests.push(r.url()));
    // Whatever the page might try, nothing gets off this machine.
    await context.route((url) => url.protocol !== 'file:', (route) => route.abort());
    await page.goto(visit.url, { waitUntil: 'load' });
    visits.push(visit);
    return visit;
  }

  /** Gives any injected handler its chance: every element gets a mouseover, an error and a click-free focus. */
  async function provoke(page: Page): Promise<void> {
    await page.evaluate(() => {
      for (const el of document.querySelectorAll('body *')) {
        for (const type of ['mouseover', 'error', 'focus']) el.dispatchEvent(new Event(type, { bubbles: true }));
      }
    });
  }

  it('loads with no console error, page error, dialog or request beyond the file itself', async () => {
    const v = await open(report, 'run');
    await provoke(v.page);
    await v.page.locator('#table-subjects details summary').first().click();
    await v.page.waitForTimeout(200);
    expect(v.consoleErrors).toEqual([]);
    expect(v.dialogs).toEqual([]);
    expect(v.requests).toEqual([v.url]);
    expect(await v.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+';/);
  });

  it('shows the model\'s totals and the ledger identity in the first screen', async () => {
    const { page } = await open(report, 'totals');
    for (const key of ['rowsRead', 'loaded', 'updated', 'unchanged', 'duplicate', 'rejected', 'repairs'] as const) {
      const cell = page.locator(`[data-total="${key}"]`);
      expect(Number(await cell.getAttribute('data-value')), key).toBe(report.totals[key]);
      expect(Number((await cell.innerText()).replace(/,/g, '')), key).toBe(report.totals[key]);
    }
    const identity = page.locator('[data-identity]');
    await expect.poll(() => identity.isVisible()).toBe(true);
    expect(await identity.getAttribute('data-identity')).toBe('holds');
    const t = report.totals;
    const n = (x: number) => x.toLocaleString('en-US');
    expect(await identity.innerText()).toContain(
      `读取 ${n(t.rowsRead)} = 入库 ${n(t.loaded)} + 更新 ${n(t.updated)} + 未变 ${n(t.unchanged)} + 重复 ${n(t.duplicate)} + 拒绝 ${n(t.rejected)}`);
    const box = await identity.boundingBox();
    expect(box!.y + box!.height).toBeLessThan(900);
    expect(Number(await page.locator('[data-fact="files-quarantined"]').innerText())).toBe(t.files.quarantined);
    expect(Number(await page.locator('[data-fact="missing"]').innerText())).toBe(t.missing);
    expect(Number(await page.locator('[data-fact="late"]').innerText())).toBe(t.late);
    expect(Number(await page.locator('[data-fact="conflicts"]').innerText())).toBe(t.conflicts);
  });

  it('draws the three charts with a bar per unit, a bar per rejection reason and a point per run, each with a text alternative', async () => {
    const { page } = await open(report, 'charts');
    const units = page.locator('svg[data-chart="chart-units"]');
    const reasons = page.locator('svg[data-chart="chart-reasons"]');
    const trend = page.locator('svg[data-chart="chart-trend"]');
    expect(await units.locator('g.bar').count()).toBe(report.units.length);
    // One bar per distinct reason code across the run: cell/date and XZCF's reasons meet in one bar.
    const codes = new Set(report.units.flatMap((u) => u.subjects.flatMap((s) => s.reasons.map((r) => r.code))));
    expect(await reasons.locator('rect.seg').count()).toBe(codes.size);
    const dateBar = reasons.locator('g.bar', { hasText: 'cell/date' }).locator('rect');
    expect(Number(await dateBar.getAttribute('data-value'))).toBe(2 + 5);
    for (const series of ['rowsRead', 'loaded', 'rejected']) {
      expect(await trend.locator(`circle[data-series="${series}"]`).count()).toBe(30);
    }
    for (const chart of [units, reasons, trend]) {
      expect(await chart.getAttribute('role')).toBe('img');
      const [titleId, descId] = (await chart.getAttribute('aria-labelledby'))!.split(' ');
      expect((await chart.locator(`#${titleId!}`).textContent())!.length).toBeGreaterThan(5);
      expect((await chart.locator(`#${descId!}`).textContent())!.length).toBeGreaterThan(20);
      // Axis labels a person can read: at least 11px on screen.
      const size = await chart.locator('text.tick').first().evaluate((el) => {
        const svg = (el as SVGTextElement).ownerSVGElement!;
        return parseFloat(getComputedStyle(el).fontSize) * (svg.getBoundingClientRect().width / svg.viewBox.baseVal.width);
      });
      expect(size).toBeGreaterThanOrEqual(10.5);
    }
    // The current run is the trend's last point, with this run's numbers.
    expect(Number(await trend.locator('circle[data-series="rowsRead"]').last().getAttribute('data-value'))).toBe(report.totals.rowsRead);
  });

  it('sorts a numeric column as numbers, ascending then descending, and says so in aria-sort', async () => {
    const { page } = await open(report, 'sort');
    const header = page.locator('#table-files thead th', { hasText: /^读取$/ });
    const column = await header.evaluate((th) => (th as HTMLTableCellElement).cellIndex);
    const values = () => page.locator(`#table-files tbody tr td:nth-child(${column + 1})`).evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-sort'))));
    const before = await values();
    expect(new Set(before).size).toBeGreaterThan(3);
    await header.click();
    expect(await header.getAttribute('aria-sort')).toBe('ascending');
    expect(await values()).toEqual([...before].sort((a, b) => a - b));
    // Text order would put 1,200 before 120 before 25 before 340 before 9: numbers must not sort like that.
    await header.click();
    expect(await header.getAttribute('aria-sort')).toBe('descending');
    expect(await values()).toEqual([...before].sort((a, b) => b - a));
    expect(await page.locator('#table-files thead th[aria-sort]').count()).toBe(1);
    // Fractions too (a numeric text collation would put 0.017 after 0.2), and rows without a rate last either way.
    const rate = page.locator('#table-units thead th', { hasText: /^拒绝率$/ });
    const rateColumn = await rate.evaluate((th) => (th as HTMLTableCellElement).cellIndex);
    const rates = () => page.locator(`#table-units tbody tr td:nth-child(${rateColumn + 1})`).evaluateAll((tds) => tds.map((td) => td.getAttribute('data-sort')));
    const known = (await rates()).filter((r) => r !== '').map(Number);
    const blanks = (await rates()).filter((r) => r === '').length;
    expect(blanks).toBeGreaterThan(0);
    await rate.click();
    expect(await rates()).toEqual([...[...known].sort((a, b) => a - b).map(String), ...Array<string>(blanks).fill('')]);
    await rate.click();
    expect(await rates()).toEqual([...[...known].sort((a, b) => b - a).map(String), ...Array<string>(blanks).fill('')]);
    // Another header takes the sort over.
    const unitHeader = page.locator('#table-files thead th', { hasText: /^报送单位$/ });
    await unitHeader.click();
    expect(await header.getAttribute('aria-sort')).toBeNull();
    expect(await unitHeader.getAttribute('aria-sort')).toBe('ascending');
  });

  it('shows hostile strings as text and lets no element, attribute or script in', async () => {
    const { page, dialogs } = await open(report, 'hostile');
    await provoke(page);
    const text = await page.locator('body').textContent();
    for (const s of Object.values(HOSTILE)) expect(text).toContain(s);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('head > script, body > script').count()).toBe(1);
    const handlers = await page.evaluate(() => [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName}[${a.name}]`)));
    expect(handlers).toEqual([]);
    expect(await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')).filter((h) => !h!.startsWith('#')))).toEqual([]);
    // The unit's name is a label in the chart too, and there it is text as well.
    expect(await page.locator('svg[data-chart="chart-units"] title', { hasText: HOSTILE.unitName }).count()).toBe(1);
    expect(dialogs).toEqual([]);
  });

  it('reads the same with scripts disabled: every table and chart there, unsorted', async () => {
    const { page, consoleErrors } = await open(report, 'noscript', false);
    expect(await page.locator('svg.chart').count()).toBe(3);
    expect(await page.locator('table.sortable th button').count()).toBe(0);
    // Nothing promises sorting that cannot happen, and the print appendix stays off screen.
    expect(await page.locator('.sort-hint').first().isVisible()).toBe(false);
    expect(await page.locator('section.print-only').isVisible()).toBe(false);
    expect(await page.locator('#table-files tbody tr').count()).toBe(report.units.flatMap((u) => u.files).length);
    expect(await page.locator('#table-quarantine tbody tr').count()).toBe(report.quarantined.length);
    expect(await page.locator('#table-missing tbody tr').count()).toBe(report.missing.length);
    expect(await page.locator('#table-merges tbody tr').count()).toBe(2);
    expect(await page.locator('#table-conflicts tbody tr').count()).toBe(2);
    expect(consoleErrors).toEqual([]);
  });

  it('renders an empty run and a run of only quarantined files with plain notes instead of empty charts', async () => {
    const empty = await open(emptyReport(), 'empty');
    expect(await empty.page.locator('[data-identity]').getAttribute('data-identity')).toBe('holds');
    expect(await empty.page.locator('[data-total="rowsRead"]').innerText()).toBe('0');
    expect(await empty.page.getByText('本批次没有收到任何文件。').count()).toBeGreaterThan(0);
    expect(await empty.page.locator('table.sortable').count()).toBe(0);
    expect(await empty.page.locator('svg[data-chart="chart-trend"] circle').count()).toBe(3);
    expect(empty.consoleErrors).toEqual([]);

    const quarantined = await open(onlyQuarantinedReport(), 'quarantined');
    expect(await quarantined.page.locator('#table-quarantine tbody tr').count()).toBe(2);
    expect(await quarantined.page.getByText('收到 2 个文件，没有读到任何行。').count()).toBe(1);
    expect(await quarantined.page.getByText('本批次没有被拒绝的行。').count()).toBe(1);
    expect(await quarantined.page.getByText('没有可比较的批次。').count()).toBe(1);
    expect(await quarantined.page.locator('.attention').innerText()).toContain('2 个文件被隔离');
    expect(quarantined.consoleErrors).toEqual([]);
  });

  it('prints on A4 without the table of contents', async () => {
    const { page } = await open(report, 'print');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.toc').isVisible()).toBe(false);
    // Examples folded away on screen print in full, in an appendix of their own.
    const appendix = page.locator('section.print-only table.examples tbody tr');
    expect(await appendix.count()).toBe(4);
    expect(await appendix.first().isVisible()).toBe(true);
    expect(await page.locator('#table-subjects details').first().isVisible()).toBe(false);
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('saves screenshots of the whole report, of its first screen, and of an empty and an all-quarantined run', async () => {
    // A fixed folder, overwritten each run, so the latest screenshots are always where a person looks.
    const folders = [join(tmpdir(), 'credit-etl-report-screenshots'), process.env['REPORT_SCREENSHOT_DIR']].filter((d): d is string => !!d);
    const runs: [string, RunReport][] = [['report', report], ['report-empty', emptyReport()], ['report-quarantined', onlyQuarantinedReport()]];
    for (const [name, model] of runs) {
      const { page } = await open(model, name);
      for (const folder of folders) {
        mkdirSync(folder, { recursive: true });
        const shots = [join(folder, `${name}.png`), ...(name === 'report' ? [join(folder, `${name}-first-screen.png`)] : [])];
        await page.screenshot({ path: shots[0]!, fullPage: true });
        if (shots[1]) await page.screenshot({ path: shots[1] });
        writeFileSync(join(folder, `${name}.html`), renderHtml(model));
        for (const shot of shots) {
          const png = readFileSync(shot);
          expect(png.subarray(1, 4).toString(), shot).toBe('PNG');
          expect(png.length, shot).toBeGreaterThan(20_000);
        }
      }
    }
  });
});
