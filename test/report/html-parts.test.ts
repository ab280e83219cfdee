// The HTML report's parts without a browser: escaping, chart geometry, the CSP's hashes, and the
// ledger identity line.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLE } from '../../src/report/html/assets.js';
import { escapeHtml, html, Html, join } from '../../src/report/html/markup.js';
import { barChart, lineChart, scale } from '../../src/report/html/svg.js';
import { REPORT_FORMAT, type RunReport, type Tally } from '../../src/report/model.js';

const HOSTILE = ['<img src=x onerror=alert(1)>', '</script><script>alert(1)</script>', '" onmouseover="x', "' onfocus='x", '=HYPERLINK("http://evil.example","x")', '&lt;already&gt;'];

/** Every `name="value"` of the elements matching `tag` (optionally of a class) in order. */
function attributes(svg: string, tag: string, cls?: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of svg.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))) {
    const attrs = Object.fromEntries([...m[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!]));
    if (cls === undefined || (attrs['class'] ?? '').split(' ').includes(cls)) out.push(attrs);
  }
  return out;
}

function report(tally: Tally, extra: Partial<RunReport> = {}): RunReport {
  return {
    format: REPORT_FORMAT, generatedAt: '2024-05-01T18:30:00.000Z',
    run: { id: 7, catalog: 'v2', pipeline: null, status: 'finished', startedAt: '2024-05-01T18:00:00.000Z', finishedAt: '2024-05-01T18:10:00.000Z', seconds: 600, rowsPerSecond: 1 },
    totals: { ...tally, files: { loaded: 0, duplicate: 0, quarantined: 0, failed: 0, unavailable: 0 }, newEntities: 0, merges: 0, conflicts: 0, missing: 0, late: 0 },
    units: [], quarantined: [], missing: [], entities: { created: {}, merges: [], conflicts: [] }, trend: [],
    ...extra,
  };
}

describe('escaping', () => {
  it('escapes the five characters that can end a text node or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    for (const s of HOSTILE) expect(escapeHtml(s)).not.toMatch(/[<>"']/);
  });

  it('escapes every interpolated string, in text and in attributes, and passes only its own markup through', () => {
    for (const s of HOSTILE) {
      const out = html`<p title="${s}">${s}</p>`.value;
      expect(out).toBe(`<p title="${escapeHtml(s)}">${escapeHtml(s)}</p>`);
    }
    expect(html`<b>${html`<i>${'<x>'}</i>`}</b>`.value).toBe('<b><i>&lt;x&gt;</i></b>');
    expect(html`${['<a>', 1, null, undefined, false, new Html('<br>')]}`.value).toBe('&lt;a&gt;1<br>');
    expect(join(['<', html`<hr>`]).value).toBe('&lt;<hr>');
  });

  it('keeps model strings out of the page\'s markup, script and stylesheet', () => {
    const page = renderHtml(report({ rowsRead: 1, loaded: 1, updated: 0, unchanged: 0, duplicate: 0, rejected: 0, repairs: 0 }, {
      run: { id: 7, catalog: HOSTILE[0]!, pipeline: HOSTILE[1]!, status: HOSTILE[2]!, startedAt: HOSTILE[3]!, finishedAt: HOSTILE[4]!, seconds: 1, rowsPerSecond: 1 },
      missing: [{ unit: HOSTILE[2]!, unitName: HOSTILE[0]!, subject: HOSTILE[1]!, subjectName: HOSTILE[3]!, periodStart: HOSTILE[4]!, periodEnd: HOSTILE[5]!, due: HOSTILE[0]! }],
    }));
    expect(page).not.toContain('<img');
    expect(page.match(/<script>/g)).toHaveLength(1);
    expect(page.match(/<\/script>/g)).toHaveLength(1);
    // Every `<` left is a tag of ours; with its quoted values taken out, none carries an event handler.
    const tags = [...page.matchAll(/<[^>]*>/g)].map((m) => m[0].replace(/"[^"]*"/g, '""'));
    expect(tags.filter((t) => /\son\w+=/.test(t))).toEqual([]);
    expect(page).toContain(`<script>${SCRIPT}</script>`);
    expect(page).toContain(`<style>${STYLE}</style>`);
    expect(page).not.toMatch(/\sstyle=/);
  });
});

describe('content security policy', () => {
  const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

  it('allows exactly the inline stylesheet and script by hash, and nothing to load', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(`default-src 'none'; style-src ${hash(STYLE)}; script-src ${hash(SCRIPT)}; base-uri 'none'; form-action 'none'`);
    const page = renderHtml(report({ rowsRead: 0, loaded: 0, updated: 0, unchanged: 0, duplicate: 0, rejected: 0, repairs: 0 }));
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
    expect(page).toContain(`content="${escapeHtml(`default-src 'none'; style-src ${hash(style)}; script-src ${hash(script)};`)}`);
    expect(page).not.toMatch(/\s(src|href)="(?!#)/);
  });
});

describe('chart geometry', () => {
  it('ends an axis at a round number at or above the largest value, in whole steps', () => {
    for (const [max, end] of [[0, 1], [1, 1], [7, 8], [9, 10], [120, 150], [1234, 1500], [3154, 4000], [98_765, 100_000]] as const) {
      const s = scale(max);
      expect(s.end, String(max)).toBe(end);
      expect(s.ticks[0]).toBe(0);
      expect(s.ticks[s.ticks.length - 1]).toBe(end);
      expect(s.ticks.every((t) => Number.isInteger(t))).toBe(true);
    }
  });

  it('draws bar lengths proportional to values, stacked segments end to end', () => {
    const svg = barChart({
      id: 'c', title: 't', desc: 'd', labelWidth: 200,
      series: [{ key: 'loaded', label: '入库' }, { key: 'rejected', label: '拒绝' }],
      bars: [{ label: '甲', code: 'A', values: [900, 100] }, { label: '乙', code: 'B', values: [30, 0] }, { label: '丙', code: 'C', values: [450, 450] }],
    }).value;
    const segs = attributes(svg, 'rect', 'seg');
    // 乙's zero draws nothing: 2 + 1 + 2 segments.
    expect(segs.map((r) => Number(r['data-value']))).toEqual([900, 100, 30, 450, 450]);
    const perUnit = segs.map((r) => Number(r['width']) / Number(r['data-value']));
    for (const k of perUnit) expect(k).toBeCloseTo(perUnit[0]!, 2);
    const [a1, a2, b1, c1, c2] = segs as [Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>, Record<string, string>];
    expect(Number(a1['x']) + Number(a1['width'])).toBeCloseTo(Number(a2['x']), 1);
    expect(Number(c1['x']) + Number(c1['width'])).toBeCloseTo(Number(c2['x']), 1);
    expect(new Set([a1['x'], b1['x'], c1['x']]).size).toBe(1);
    expect(attributes(svg, 'g', 'bar').map((g) => Number(g['data-sum']))).toEqual([1000, 30, 900]);
  });

  it('puts the largest bar inside the plot and zero-value segments nowhere', () => {
    const svg = barChart({ id: 'c', title: 't', desc: 'd', labelWidth: 250, series: [{ key: 'rejected', label: '拒绝' }], bars: [{ label: 'x', code: 'cell/date', values: [0] }, { label: 'y', code: 'cell/type', values: [37] }] }).value;
    const segs = attributes(svg, 'rect', 'seg');
    expect(segs).toHaveLength(1);
    const width = Number(/viewBox="0 0 (\d+) /.exec(svg)![1]);
    expect(Number(segs[0]!['x']) + Number(segs[0]!['width'])).toBeLessThan(width);
  });

  it('places line points evenly across and at heights proportional to their values', () => {
    const values = [0, 10, 25, 40, 5];
    const svg = lineChart({
      id: 'l', title: 't', desc: 'd', yTitle: '行数', series: [{ key: 'rowsRead', label: '读取' }],
      points: values.map((v, i) => ({ label: `05-0${i + 1}`, title: String(v), values: [v] })),
    }).value;
    const dots = attributes(svg, 'circle', 'pt');
    expect(dots.map((d) => Number(d['data-value']))).toEqual(values);
    const xs = dots.map((d) => Number(d['cx']));
    const gaps = xs.slice(1).map((x, i) => x - xs[i]!);
    for (const g of gaps) expect(g).toBeCloseTo(gaps[0]!, 0);
    const base = Number(dots[0]!['cy']);
    const perUnit = (base - Number(dots[3]!['cy'])) / 40;
    dots.forEach((d, i) => expect(base - Number(d['cy'])).toBeCloseTo(values[i]! * perUnit, 0));
    expect(attributes(svg, 'polyline')[0]!['points']!.split(' ')).toHaveLength(values.length);
  });

  it('gives every chart a title and a description as its text alternative', () => {
    const svg = lineChart({ id: 'l', title: '标题<', desc: '说明&', yTitle: '行数', series: [], points: [] }).value;
    expect(svg).toContain('role="img" aria-labelledby="l-t l-d"');
    expect(svg).toContain('<title id="l-t">标题&lt;</title><desc id="l-d">说明&amp;</desc>');
  });
});

describe('the ledger identity line', () => {
  const identity = (page: string) => /<p class="identity[^"]*" data-identity="(\w+)"[^>]*>(.*?)<\/p>/.exec(page)!;

  it('shows the sum with its numbers and marks it as holding', () => {
    const [, verdict, text] = identity(renderHtml(report({ rowsRead: 12_345, loaded: 10_000, updated: 1_000, unchanged: 1_000, duplicate: 45, rejected: 300, repairs: 9 })));
    expect(verdict).toBe('holds');
    expect(text!.replace(/<[^>]+>/g, '')).toBe('读取 12,345 = 入库 10,000 + 更新 1,000 + 未变 1,000 + 重复 45 + 拒绝 300✓ 账目平衡');
  });

  it('marks a broken identity and says by how much', () => {
    const page = renderHtml(report({ rowsRead: 100, loaded: 90, updated: 0, unchanged: 0, duplicate: 0, rejected: 7, repairs: 0 }));
    const [, verdict, text] = identity(page);
    expect(verdict).toBe('broken');
    expect(text).toContain('读取 100 ≠ 入库 90');
    expect(text).toContain('差 3 行');
    expect(page).toContain('读取行数与各结果之和不一致');
  });
});
