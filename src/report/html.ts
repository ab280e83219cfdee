// report.html: one run's load report as a single self-contained page for the credit centre's
// analysts. Nothing is fetched (a strict CSP says so); every model string is escaped by the
// `html` tag; charts are inline SVG; tables sort by a small hashed script and read fine without it.
import { ENTITY_TYPE_LABELS, ITEM_TYPE_LABELS } from '../catalog/index.js';
import type { ConflictKind } from '../identity/matcher.js';
import { REASONS_ZH } from '../reasons-zh.js';
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLE } from './html/assets.js';
import { formatBytes, formatCount, formatDay, formatDuration, formatPercent, formatTime } from './html/format.js';
import { Html, html, type Part } from './html/markup.js';
import { barChart, lineChart, type Series } from './html/svg.js';
import { alarm, count, id, sortableTable, type Cell, type Column } from './html/table.js';
import { identityHolds, outcomeSum } from './build.js';
import { DELIVERY_OUTCOME_LABELS, type DeliveryOutcome, type ExampleRow, type ReasonSummary, type ReportFile, type RunReport, type SubjectSection, type Tally, type TrendPoint } from './model.js';

/** The ledger's row outcomes in the order of its identity. */
const OUTCOMES: readonly (Series & { key: 'loaded' | 'updated' | 'unchanged' | 'duplicate' | 'rejected' })[] = [
  { key: 'loaded', label: '入库' }, { key: 'updated', label: '更新' }, { key: 'unchanged', label: '未变' },
  { key: 'duplicate', label: '重复' }, { key: 'rejected', label: '拒绝' },
];
const TOTALS: readonly { key: keyof Tally; label: string }[] = [{ key: 'rowsRead', label: '读取' }, ...OUTCOMES, { key: 'repairs', label: '修复' }];
const FILE_OUTCOMES: Record<DeliveryOutcome, { label: string; tone: 'good' | 'warn' | 'bad' | null }> = {
  loaded: { label: DELIVERY_OUTCOME_LABELS.loaded, tone: 'good' }, duplicate: { label: DELIVERY_OUTCOME_LABELS.duplicate, tone: null },
  quarantined: { label: DELIVERY_OUTCOME_LABELS.quarantined, tone: 'bad' }, failed: { label: DELIVERY_OUTCOME_LABELS.failed, tone: 'bad' },
  unavailable: { label: DELIVERY_OUTCOME_LABELS.unavailable, tone: 'warn' },
};
const RUN_STATUS: Record<string, { label: string; tone: 'good' | 'warn' | 'bad' }> = {
  finished: { label: '已完成', tone: 'good' }, running: { label: '运行中', tone: 'warn' }, failed: { label: '失败', tone: 'bad' },
};
const CONFLICT_KINDS: Record<ConflictKind, string> = {
  'uscc-names': '一码多名', 'name-usccs': '一名多码', 'legacy-usccs': '旧代码对应多个统一社会信用代码',
  'code-clash': '代码冲突', 'ambiguous-name': '同名无法区分',
};
const lookup = (labels: Record<string, string>, key: string): string | undefined => labels[key];

const named = (name: string, code: string): Html => (name === code ? html`<span class="code">${code}</span>` : html`${name} <span class="code">${code}</span>`);
const badge = (label: string, tone: string | null): Html => html`<span class="badge${tone ? ` ${tone}` : ''}">${label}</span>`;

export function renderHtml(report: RunReport): string {
  const title = `信用数据入库报告 · 批次 #${report.run.id}`;
  const sections: [id: string, heading: string, body: Html][] = [
    ['charts', '图表', charts(report)],
    ['units', '报送单位', unitTable(report)],
    ['subjects', '单位与数据主题', subjectTable(report)],
    ['files', '文件', fileTable(report)],
    ['quarantine', '隔离文件', quarantineTable(report)],
    ['missing', '缺报', missingTable(report)],
    ['entities', '主体合并与冲突', entityTables(report)],
  ];
  const page = html`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<main>
${header(report)}
<nav class="toc" aria-label="目录"><a href="#summary">概览</a>${sections.map(([id, heading]) => html`<a href="#${id}">${heading}</a>`)}</nav>
${summary(report)}
${sections.map(([id, heading, body]) => html`<section id="${id}" aria-labelledby="${id}-h"><h2 id="${id}-h">${heading}</h2>${body}</section>\n`)}
${exampleAppendix(report)}
<footer>报告生成于 ${formatTime(report.generatedAt)}（北京时间）· 报告格式 ${report.format} · 本文件自包含，离线可读；个人信息已脱敏。</footer>
</main>
<script>${new Html(SCRIPT)}</script>
</body>
</html>
`;
  return page.value;
}

function header(report: RunReport): Html {
  const { run } = report;
  const status = RUN_STATUS[run.status];
  const meta: [string, Part][] = [
    ['批次', `#${run.id}`],
    ['采集目录', run.catalog],
    ['作业', run.pipeline ?? '—'],
    ['开始', html`<time datetime="${run.startedAt}">${formatTime(run.startedAt)}</time>`],
    ['结束', run.finishedAt === null ? '未结束' : html`<time datetime="${run.finishedAt}">${formatTime(run.finishedAt)}</time>`],
    ['耗时', formatDuration(run.seconds)],
    ['速度', `${formatCount(run.rowsPerSecond)} 行/秒`],
  ];
  return html`<header class="top"><h1>信用数据入库报告</h1><span data-status="${run.status}">${badge(status?.label ?? run.status, status?.tone ?? 'warn')}</span>
<dl class="meta">${meta.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl></header>`;
}

function summary(report: RunReport): Html {
  const t = report.totals;
  const cards = TOTALS.map((o) =>
    html`<div class="total${o.key === 'rejected' && t.rejected > 0 ? ' bad' : ''}"><dt>${o.label}</dt><dd data-total="${o.key}" data-value="${t[o.key]}">${formatCount(t[o.key])}</dd></div>`);
  return html`<section id="summary" aria-labelledby="summary-h"><h2 id="summary-h">概览</h2>
${attention(report)}
<dl class="totals">${cards}</dl>
${identityLine(t)}
<div class="facts">${fileFacts(report)}${entityFacts(report)}${deliveryFacts(report)}</div>
</section>`;
}

/** The ledger identity with this run's numbers: every row read ends in exactly one outcome. */
function identityLine(t: Tally): Html {
  const sum = outcomeSum(t);
  const ok = t.rowsRead === sum;
  const terms = OUTCOMES.map((o) => `${o.label} ${formatCount(t[o.key])}`).join(' + ');
  const verdict = ok ? '✓ 账目平衡' : `✗ 账目不平衡：合计 ${formatCount(sum)}，差 ${formatCount(t.rowsRead - sum)} 行`;
  return html`<p class="identity ${ok ? 'holds' : 'broken'}" data-identity="${ok ? 'holds' : 'broken'}"><span class="formula">读取 ${formatCount(t.rowsRead)} ${ok ? '=' : '≠'} ${terms}</span><span class="verdict">${verdict}</span></p>`;
}

function attention(report: RunReport): Html | null {
  const t = report.totals;
  const items: string[] = [];
  if (report.run.status !== 'finished') items.push(`批次状态：${RUN_STATUS[report.run.status]?.label ?? report.run.status}`);
  if (!identityHolds(t)) items.push('读取行数与各结果之和不一致');
  if (t.files.quarantined > 0) items.push(`${t.files.quarantined} 个文件被隔离`);
  if (t.files.failed > 0) items.push(`${t.files.failed} 个文件处理失败`);
  if (t.files.unavailable > 0) items.push(`${t.files.unavailable} 个数据库数据源不可用`);
  if (t.missing > 0) items.push(`${t.missing} 项应报未报`);
  if (t.late > 0) items.push(`${t.late} 个文件迟报`);
  if (t.conflicts > 0) items.push(`${t.conflicts} 处主体冲突待核实`);
  return items.length === 0 ? null : html`<div class="attention" role="note"><strong>需关注</strong><ul>${items.map((i) => html`<li>${i}</li>`)}</ul></div>`;
}

function fact(heading: string, rows: [label: Part, value: number, tone?: 'bad' | 'warn' | null, key?: string][]): Html {
  return html`<div class="fact"><h3>${heading}</h3><dl>${rows.map(([label, value, tone, key]) =>
    html`<dt>${label}</dt><dd${tone && value > 0 ? html` class="${tone}"` : null}${key ? html` data-fact="${key}"` : null}>${formatCount(value)}</dd>`)}</dl></div>`;
}

function fileFacts(report: RunReport): Html {
  const f = report.totals.files;
  const all = f.loaded + f.duplicate + f.quarantined + f.failed + f.unavailable;
  return fact('文件', [
    ['收到', all, null, 'files'],
    ...(Object.keys(FILE_OUTCOMES) as DeliveryOutcome[]).map((o): [string, number, 'bad' | null, string] =>
      [FILE_OUTCOMES[o].label, f[o], FILE_OUTCOMES[o].tone === 'bad' ? 'bad' : null, `files-${o}`]),
  ]);
}

function entityFacts(report: RunReport): Html {
  const t = report.totals;
  const created = Object.entries(report.entities.created).sort((a, b) => b[1] - a[1]);
  return fact('信用主体', [
    ['新建主体', t.newEntities, null, 'newEntities'],
    ...created.map(([type, n]): [Html, number] => [html`<span class="muted">· ${lookup(ENTITY_TYPE_LABELS, type) ?? type}</span>`, n]),
    ['合并', t.merges, null, 'merges'],
    ['冲突', t.conflicts, 'warn', 'conflicts'],
  ]);
}

function deliveryFacts(report: RunReport): Html {
  const t = report.totals;
  return fact('报送', [
    ['报送单位', report.units.length, null, 'units'],
    ['缺报', t.missing, 'warn', 'missing'],
    ['迟报', t.late, 'warn', 'late'],
  ]);
}

const empty = (text: string): Html => html`<p class="empty">${text}</p>`;

/** Row-level rejection reasons summed over every unit and subject, most frequent first. */
function runReasons(report: RunReport): { code: string; label: string; count: number }[] {
  const byCode = new Map<string, { code: string; label: string; count: number }>();
  for (const s of report.units.flatMap((u) => u.subjects)) {
    for (const r of s.reasons) {
      const seen = byCode.get(r.code);
      if (seen) seen.count += r.count;
      else byCode.set(r.code, { code: r.code, label: r.label, count: r.count });
    }
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
}

function charts(report: RunReport): Html {
  const trend = report.trend;
  return html`<div class="charts">
<figure><figcaption>各报送单位的行数</figcaption>${unitChart(report)}</figure>
<figure><figcaption>拒绝原因</figcaption>${reasonChart(report)}</figure>
<figure class="trend"><figcaption>${trend.length > 0 ? `近 ${trend.length} 个批次趋势` : '批次趋势'}</figcaption><div class="trend-body">${trendChart(trend)}${comparison(trend)}</div></figure>
</div>`;
}

function unitChart(report: RunReport): Html {
  const units = report.units;
  if (units.length === 0) return empty('本批次没有收到任何文件。');
  if (report.totals.rowsRead === 0) return empty(`收到 ${formatCount(units.reduce((a, u) => a + u.files.length, 0))} 个文件，没有读到任何行。`);
  return barChart({
    id: 'chart-units', title: '各报送单位读取行数（按结果分段）', labelWidth: 230, series: OUTCOMES,
    desc: `${units.length} 个报送单位的读取行数，按入库、更新、未变、重复、拒绝分段。${busiest(units.map((u) => [`${u.unitName}（${u.unit}）`, u.tally.rowsRead]), '行')}`,
    bars: units.map((u) => ({ label: u.unitName, code: u.unit, values: OUTCOMES.map((o) => u.tally[o.key]) })),
  });
}

function reasonChart(report: RunReport): Html {
  const reasons = runReasons(report);
  if (reasons.length === 0) return empty('本批次没有被拒绝的行。');
  return barChart({
    id: 'chart-reasons', title: '拒绝原因（按出现次数）', labelWidth: 250, twoLines: true, series: [{ key: 'rejected', label: '拒绝' }],
    desc: `${reasons.length} 种拒绝原因，共出现 ${formatCount(reasons.reduce((a, r) => a + r.count, 0))} 次（一行可有多个原因）。${busiest(reasons.map((r) => [`${r.label}（${r.code}）`, r.count]), '次')}`,
    bars: reasons.map((r) => ({ label: r.label, code: r.code, values: [r.count] })),
  });
}

function trendChart(trend: readonly TrendPoint[]): Html {
  const first = trend[0];
  const last = trend[trend.length - 1];
  if (first === undefined || last === undefined) return empty('没有可比较的批次。');
  return lineChart({
    id: 'chart-trend', title: `最近 ${trend.length} 个批次的读取、入库与拒绝行数`, yTitle: '行数',
    desc: `最近 ${trend.length} 个批次（#${first.runId} 至 #${last.runId}）每批次的读取、入库、拒绝行数。本批次读取 ${formatCount(last.rowsRead)} 行，入库 ${formatCount(last.loaded)} 行，拒绝 ${formatCount(last.rejected)} 行。`,
    series: [{ key: 'rowsRead', label: '读取' }, { key: 'loaded', label: '入库' }, { key: 'rejected', label: '拒绝' }],
    points: trend.map((p) => ({
      label: formatDay(p.startedAt),
      title: `批次 #${p.runId}（${formatTime(p.startedAt)}）：文件 ${formatCount(p.files)}，读取 ${formatCount(p.rowsRead)}，入库 ${formatCount(p.loaded)}，拒绝 ${formatCount(p.rejected)}`,
      values: [p.rowsRead, p.loaded, p.rejected],
    })),
  });
}

const median = (values: number[]): number => {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
};

/** Tonight beside the typical night: the median of the earlier runs in the trend. */
function comparison(trend: readonly TrendPoint[]): Html | null {
  const current = trend[trend.length - 1];
  const earlier = trend.slice(0, -1);
  if (current === undefined || earlier.length === 0) return null;
  const rate = (p: TrendPoint): number => (p.rowsRead === 0 ? 0 : p.rejected / p.rowsRead);
  const rows: [string, (p: TrendPoint) => number, (n: number) => string][] = [
    ['文件', (p) => p.files, (n) => formatCount(n)], ['读取', (p) => p.rowsRead, (n) => formatCount(n)],
    ['入库', (p) => p.loaded, (n) => formatCount(n)], ['拒绝', (p) => p.rejected, (n) => formatCount(n)],
    ['拒绝率', rate, (n) => formatPercent(n, 1)],
  ];
  return html`<table class="compare"><caption>本批次与此前 ${earlier.length} 个批次的中位数</caption><thead><tr><th scope="col"></th><th scope="col" class="num">本批次</th><th scope="col" class="num">中位数</th></tr></thead><tbody>${
    rows.map(([label, pick, show]) => html`<tr><th scope="row">${label}</th><td class="num">${show(pick(current))}</td><td class="num">${show(median(earlier.map(pick)))}</td></tr>`)
  }</tbody></table>`;
}

/** `最多的是 X（N 行）。` for a chart's text alternative. */
function busiest(entries: [string, number][], unit: string): string {
  const top = entries.reduce<[string, number] | undefined>((best, e) => (best === undefined || e[1] > best[1] ? e : best), undefined);
  return top && top[1] > 0 ? `最多的是${top[0]}（${formatCount(top[1])} ${unit}）。` : '';
}

/** The tally's columns: rows read and each outcome, then (unless `brief`) rejection rate and repairs. */
function tallyColumns<R>(tally: (row: R) => Tally, brief = false): Column<R>[] {
  const outcomes: Column<R>[] = [
    { head: '读取', numeric: true, cell: (r) => count(tally(r).rowsRead) },
    ...OUTCOMES.map((o): Column<R> => ({ head: o.label, numeric: true, cell: (r) => count(tally(r)[o.key]) })),
  ];
  return brief ? outcomes : [
    ...outcomes,
    {
      head: '拒绝率', numeric: true,
      cell: (r) => {
        const t = tally(r);
        return { content: formatPercent(t.rejected, t.rowsRead), sort: t.rowsRead === 0 ? '' : t.rejected / t.rowsRead };
      },
    },
    { head: '修复', numeric: true, cell: (r) => count(tally(r).repairs) },
  ];
}

interface UnitRow {
  unit: string;
  unitName: string;
  files: ReportFile[];
  tally: Tally;
  missing: number;
}

/** Every unit that delivered, and every unit that owed and did not: silence is a finding too. */
function unitRows(report: RunReport): UnitRow[] {
  const rows = new Map<string, UnitRow>(report.units.map((u) => [u.unit, { unit: u.unit, unitName: u.unitName, files: u.files, tally: u.tally, missing: 0 }]));
  for (const m of report.missing) {
    let row = rows.get(m.unit);
    if (!row) {
      row = { unit: m.unit, unitName: m.unitName, files: [], missing: 0, tally: { rowsRead: 0, loaded: 0, updated: 0, unchanged: 0, duplicate: 0, rejected: 0, repairs: 0 } };
      rows.set(m.unit, row);
    }
    row.missing++;
  }
  return [...rows.values()];
}

function unitTable(report: RunReport): Html {
  const rows = unitRows(report);
  if (rows.length === 0) return empty('本批次没有报送单位的文件，也没有缺报。');
  return sortableTable<UnitRow>({ id: 'table-units', caption: '每个报送单位本批次的文件与行数。', broken: (r) => !identityHolds(r.tally) }, [
    { head: '报送单位', cell: (r) => ({ content: named(r.unitName, r.unit), sort: r.unitName }) },
    { head: '文件', numeric: true, cell: (r) => count(r.files.length) },
    { head: '隔离/失败', numeric: true, cell: (r) => alarm(r.files.filter((f) => f.outcome === 'quarantined' || f.outcome === 'failed' || f.outcome === 'unavailable').length, 'bad') },
    { head: '迟报', numeric: true, cell: (r) => alarm(r.files.filter((f) => f.late).length, 'warn') },
    { head: '缺报', numeric: true, cell: (r) => alarm(r.missing, 'warn') },
    ...tallyColumns<UnitRow>((r) => r.tally),
  ], rows);
}

interface SubjectRow {
  unit: string;
  unitName: string;
  section: SubjectSection;
}

const TOP_REASONS = 3;

function subjectTable(report: RunReport): Html {
  const rows = report.units.flatMap((u) => u.subjects.map((section): SubjectRow => ({ unit: u.unit, unitName: u.unitName, section })));
  if (rows.length === 0) return empty('本批次没有入库的数据主题。');
  return sortableTable<SubjectRow>({ id: 'table-subjects', caption: '每个报送单位每个数据主题入库文件的行数、主要拒绝原因（附示例行）与修复。', broken: (r) => !identityHolds(r.section.tally) }, [
    { head: '报送单位', cell: (r) => ({ content: named(r.unitName, r.unit), sort: r.unitName }) },
    { head: '数据主题', cell: (r) => ({ content: named(r.section.subjectName, r.section.subject), sort: r.section.subjectName }) },
    { head: '文件', numeric: true, cell: (r) => count(r.section.files) },
    ...tallyColumns<SubjectRow>((r) => r.section.tally),
    { head: '主要拒绝原因', wide: true, cell: (r) => ({ content: reasonList(r.section.reasons), sort: r.section.reasons[0]?.label ?? '' }) },
    { head: '修复项', cell: (r) => ({ content: repairList(r.section), sort: r.section.repairs[0]?.itemName ?? '' }) },
  ], rows);
}

function reasonList(reasons: readonly ReasonSummary[]): Html | string {
  if (reasons.length === 0) return '—';
  const rest = reasons.slice(TOP_REASONS);
  return html`<ul class="reasons">${reasons.slice(0, TOP_REASONS).map((r) => html`<li>${r.label} <span class="code">${r.code}</span> <strong>${formatCount(r.count)}</strong>${examples(r)}</li>`)}${
    rest.length > 0 ? html`<li class="muted small">另有 ${rest.length} 种原因，共 ${formatCount(rest.reduce((a, r) => a + r.count, 0))} 次</li>` : null}</ul>`;
}

const EXAMPLE_HEAD = html`<th scope="col">文件</th><th scope="col" class="num">行</th><th scope="col">说明与原始数据</th>`;

function exampleCells(e: ExampleRow): Html {
  return html`<td class="wrap">${e.file}${e.sheet === null ? null : html` <span class="muted">/ ${e.sheet}</span>`}</td><td class="num">${formatCount(e.row)}</td><td class="wrap">${e.message}<div class="cells">${e.cells.map((c) => html`<span>${c}</span>`)}</div></td>`;
}

function examples(reason: ReasonSummary): Html | null {
  if (reason.examples.length === 0) return null;
  return html`<details><summary>示例行（${reason.examples.length}）</summary><table class="examples"><thead><tr>${EXAMPLE_HEAD}</tr></thead><tbody>${
    reason.examples.map((e) => html`<tr>${exampleCells(e)}</tr>`)}</tbody></table></details>`;
}

/** On paper the folded examples cannot be opened, and nested in a narrow cell they would not read: they print here, full width. */
function exampleAppendix(report: RunReport): Html | null {
  const rows = report.units.flatMap((u) => u.subjects.flatMap((s) => s.reasons.slice(0, TOP_REASONS).flatMap((r) => r.examples.map((e) =>
    html`<tr><td>${named(u.unitName, u.unit)}</td><td>${named(s.subjectName, s.subject)}</td><td>${r.label} <span class="code">${r.code}</span></td>${exampleCells(e)}</tr>`))));
  if (rows.length === 0) return null;
  return html`<section class="print-only"><h2>附：拒绝示例行</h2><table class="examples"><thead><tr><th scope="col">报送单位</th><th scope="col">数据主题</th><th scope="col">原因</th>${EXAMPLE_HEAD}</tr></thead><tbody>${rows}</tbody></table></section>`;
}

function repairList(section: SubjectSection): Html | string {
  if (section.repairs.length === 0) return '—';
  const rest = section.repairs.slice(TOP_REASONS);
  return html`<ul class="reasons">${section.repairs.slice(0, TOP_REASONS).map((r) => html`<li>${named(r.itemName, r.item)} <strong>${formatCount(r.count)}</strong></li>`)}${
    rest.length > 0 ? html`<li class="muted small">另有 ${rest.length} 项，共 ${formatCount(rest.reduce((a, r) => a + r.count, 0))} 处</li>` : null}</ul>`;
}

/** A file's name with what was learnt of it: format, encoding, size, delivery night. */
function fileCell(f: ReportFile): Cell {
  const about = [f.format, f.encoding, formatBytes(f.bytes), f.night].filter((x): x is string => x !== null);
  return { content: html`<span class="wrap">${f.name}</span><div class="about">${about.map((x) => html`<span>${x}</span>`)}</div>`, sort: f.name };
}

/** Why a file did not load: the code's Chinese label beside the code, then the occurrence's own words. */
function reasonCell(f: ReportFile): Cell {
  if (f.reason === null && f.reasonCode === null) return { content: '' };
  const code = f.reasonCode === null ? null : named(lookup(REASONS_ZH, f.reasonCode) ?? f.reasonCode, f.reasonCode);
  return { content: html`${code}<div class="wrap${code ? ' about' : ''}">${f.reason}</div>`, sort: f.reasonCode ?? f.reason ?? '' };
}

function fileTable(report: RunReport): Html {
  const files = report.units.flatMap((u) => u.files.map((f) => ({ f, unitName: u.unitName, subjectName: u.subjects.find((s) => s.subject === f.subjects.join('+'))?.subjectName })));
  if (files.length === 0) return empty('本批次没有收到任何文件。');
  type Row = (typeof files)[number];
  return sortableTable<Row>({ id: 'table-files', caption: '本批次的每个文件。', broken: (r) => !identityHolds(r.f.tally) }, [
    { head: '编号', numeric: true, cell: (r) => id(r.f.fileId) },
    { head: '报送单位', cell: (r) => ({ content: named(r.unitName, r.f.unit), sort: r.unitName }) },
    { head: '文件', wide: true, cell: (r) => fileCell(r.f) },
    { head: '数据主题', cell: (r) => (r.f.subjects.length === 0 ? '—' : r.subjectName === undefined ? html`<span class="code">${r.f.subjects.join(' + ')}</span>` : named(r.subjectName, r.f.subjects.join('+'))) },
    { head: '结果', cell: (r) => ({ content: badge(FILE_OUTCOMES[r.f.outcome].label, FILE_OUTCOMES[r.f.outcome].tone), sort: r.f.outcome }) },
    { head: '原因', wide: true, cell: (r) => reasonCell(r.f) },
    ...tallyColumns<Row>((r) => r.f.tally, true),
    { head: '行/秒', numeric: true, cell: (r) => count(r.f.rowsPerSecond) },
    { head: '迟报', cell: (r) => ({ content: r.f.late ? '迟报' : '', sort: r.f.late ? 1 : 0, ...(r.f.late ? { tone: 'warn' as const } : {}) }) },
  ], files);
}

function quarantineTable(report: RunReport): Html {
  if (report.quarantined.length === 0) return empty('本批次没有被隔离的文件。');
  const unitNames = new Map(report.units.map((u) => [u.unit, u.unitName]));
  return sortableTable<ReportFile>({ id: 'table-quarantine', caption: '被隔离的文件不入库任何行，修正后重新报送即可。' }, [
    { head: '编号', numeric: true, cell: (f) => id(f.fileId) },
    { head: '报送单位', cell: (f) => ({ content: named(unitNames.get(f.unit) ?? f.unit, f.unit), sort: unitNames.get(f.unit) ?? f.unit }) },
    { head: '文件', wide: true, cell: fileCell },
    { head: '原因', wide: true, cell: reasonCell },
    { head: '读取', numeric: true, cell: (f) => count(f.tally.rowsRead) },
  ], report.quarantined);
}

function missingTable(report: RunReport): Html {
  if (report.missing.length === 0) return empty('没有应报未报的数据。');
  return sortableTable<RunReport['missing'][number]>({ id: 'table-missing', caption: '截止日已过、本批次仍未收到的报送。' }, [
    { head: '报送单位', cell: (m) => ({ content: named(m.unitName, m.unit), sort: m.unitName }) },
    { head: '数据主题', cell: (m) => ({ content: named(m.subjectName, m.subject), sort: m.subjectName }) },
    { head: '所属期间', cell: (m) => ({ content: m.periodStart === m.periodEnd ? m.periodStart : `${m.periodStart} 至 ${m.periodEnd}`, sort: m.periodStart }) },
    { head: '截止日', cell: (m) => m.due },
  ], report.missing);
}

function entityTables(report: RunReport): Html {
  const { merges, conflicts } = report.entities;
  const mergeTable = merges.length === 0 ? empty('本批次没有合并主体。') : sortableTable<RunReport['entities']['merges'][number]>(
    { id: 'table-merges', caption: '两个主体因同一标识被认定为同一主体。' }, [
      { head: '被合并主体', numeric: true, cell: (m) => id(m.from) },
      { head: '并入主体', numeric: true, cell: (m) => id(m.into) },
      { head: '依据', cell: (m) => named(lookup(ITEM_TYPE_LABELS, m.kind) ?? m.kind, m.kind) },
      { head: '标识', cell: (m) => html`<span class="wrap">${m.value}</span>` },
    ], merges);
  const conflictTable = conflicts.length === 0 ? empty('本批次没有主体冲突。') : sortableTable<RunReport['entities']['conflicts'][number]>(
    { id: 'table-conflicts', caption: '未自动合并、需人工核实的主体。' }, [
      { head: '类型', cell: (c) => named(lookup(CONFLICT_KINDS, c.kind) ?? c.kind, c.kind) },
      { head: '代码或名称', cell: (c) => html`<span class="wrap">${c.value}</span>` },
      { head: '涉及主体', numeric: true, cell: (c) => ({ content: c.entities.map((e) => `#${e}`).join('、'), sort: c.entities.length }) },
      { head: '说明', cell: (c) => html`<span class="wrap">${c.detail}</span>` },
    ], conflicts);
  return html`<h3>合并（${formatCount(merges.length)}）</h3>${mergeTable}<h3>冲突（${formatCount(conflicts.length)}）</h3>${conflictTable}`;
}
