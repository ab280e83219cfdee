// Three small charts as inline SVG: no chart library, no fonts or images to fetch. Colours live in
// the stylesheet (class `s-<series>`), so the page's CSP needs no style attributes. Each chart is
// drawn at the pixel size it is read at (12px text); narrower screens and A4 scale it down.
import { displayWidth, fitWidth } from '../../text-table.js';
import { formatCompact, formatCount } from './format.js';
import { html, join, type Html } from './markup.js';

export interface Series {
  /** Our own key (never model text): it names the CSS class that colours the series. */
  key: string;
  label: string;
}

interface Chart {
  /** Our own id prefix, also for the title and desc ids. */
  id: string;
  title: string;
  /** The chart in words: its text alternative. */
  desc: string;
}

export interface Scale {
  /** Where the axis ends: a round number at or above the largest value. */
  end: number;
  ticks: number[];
}

/** A round axis for values up to `max`: about four steps of 1, 2 or 5 × 10^k, whole numbers. */
export function scale(max: number): Scale {
  if (!(max > 0)) return { end: 1, ticks: [0, 1] };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!);
  const end = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= end; t += step) ticks.push(t);
  return { end, ticks };
}

/** Pixels per terminal column at 12px: a CJK character is two columns. */
const COLUMN_PX = 6.6;
const round = (n: number): number => Math.round(n * 10) / 10;

function frame(chart: Chart, width: number, height: number, body: Html): Html {
  return html`<svg class="chart" data-chart="${chart.id}" role="img" aria-labelledby="${chart.id}-t ${chart.id}-d" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title id="${chart.id}-t">${chart.title}</title><desc id="${chart.id}-d">${chart.desc}</desc>${body}</svg>`;
}

function legend(series: readonly Series[], x: number, y: number): Html {
  let at = x;
  return join(series.map((s) => {
    const item = html`<rect class="s-${s.key}" x="${at}" y="${y - 9}" width="10" height="10" rx="2"/><text x="${at + 14}" y="${y}">${s.label}</text>`;
    at += 14 + displayWidth(s.label) * COLUMN_PX + 16;
    return item;
  }));
}

export interface Bar {
  /** A name (unit, reason) and the code analysts know it by, shown beside it. */
  label: string;
  code: string;
  /** One value per series, in the chart's series order. */
  values: number[];
}

const ROW_H = 24;
const BAR_H = 14;
const VALUE_W = 64;

/**
 * Horizontal bars, each split by series, lengths proportional to the values. With `twoLines` the
 * code goes under the name, for long names such as rejection reasons.
 */
export function barChart(chart: Chart & { series: readonly Series[]; bars: readonly Bar[]; labelWidth: number; twoLines?: boolean }): Html {
  const width = 600;
  const rowH = chart.twoLines ? 34 : ROW_H;
  const head = chart.series.length > 1 ? 46 : 26;
  const sums = chart.bars.map((b) => b.values.reduce((a, v) => a + v, 0));
  const axis = scale(Math.max(0, ...sums));
  const left = chart.labelWidth;
  const x = (v: number): number => round(left + (v / axis.end) * (width - left - VALUE_W));
  const height = head + chart.bars.length * rowH + 6;
  const columns = Math.floor((left - 10) / COLUMN_PX);
  const bars = chart.bars.map((bar, i) => {
    const top = head + i * rowH;
    const mid = top + rowH / 2;
    let from = 0;
    const segments = bar.values.map((v, s) => {
      if (v <= 0) return null;
      const key = chart.series[s]!.key;
      const seg = html`<rect class="seg s-${key}" data-series="${key}" data-value="${v}" x="${x(from)}" y="${mid - BAR_H / 2}" width="${round(x(from + v) - x(from))}" height="${BAR_H}"/>`;
      from += v;
      return seg;
    });
    const name = chart.twoLines
      ? html`<text class="label" x="${left - 8}" y="${mid - 2}" text-anchor="end">${fitWidth(bar.label, columns)}</text><text class="code" x="${left - 8}" y="${mid + 11}" text-anchor="end">${bar.code}</text>`
      : html`<text class="label" x="${left - 8}" y="${mid + 4}" text-anchor="end">${fitWidth(bar.label, columns - bar.code.length - 1)} <tspan class="code">${bar.code}</tspan></text>`;
    const tip = chart.series.length > 1
      ? `${bar.label}（${bar.code}）：${chart.series.map((s, j) => `${s.label} ${formatCount(bar.values[j] ?? 0)}`).join('，')}`
      : `${bar.label}（${bar.code}）：${formatCount(sums[i]!)}`;
    return html`<g class="bar" data-sum="${sums[i]!}"><title>${tip}</title>${name}${segments}<text class="value" x="${x(from) + 6}" y="${mid + 4}">${formatCount(sums[i]!)}</text></g>`;
  });
  const grid = axis.ticks.map((t) => html`<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${head - 8}" y2="${height - 4}"/><text class="tick" x="${x(t)}" y="${head - 12}" text-anchor="middle">${formatCompact(t)}</text>`);
  return frame(chart, width, height, html`${chart.series.length > 1 ? legend(chart.series, left, 14) : null}${grid}${bars}`);
}

export interface LinePoint {
  /** The x-axis label (a run's day). */
  label: string;
  /** The point's tooltip. */
  title: string;
  values: number[];
}

/** One line per series over evenly spaced points, a dot on each; the last point, the current run, is marked. */
export function lineChart(chart: Chart & { series: readonly Series[]; points: readonly LinePoint[]; yTitle: string }): Html {
  const width = 860;
  const height = 260;
  const left = 60;
  const right = 24;
  const top = 40;
  const bottom = 30;
  const plotH = height - top - bottom;
  const n = chart.points.length;
  const axis = scale(Math.max(0, ...chart.points.flatMap((p) => p.values)));
  const x = (i: number): number => round(n === 1 ? (left + width - right) / 2 : left + (i * (width - left - right)) / (n - 1));
  const y = (v: number): number => round(top + plotH - (v / axis.end) * plotH);
  const grid = axis.ticks.map((t) => html`<line class="grid" x1="${left}" x2="${width - right}" y1="${y(t)}" y2="${y(t)}"/><text class="tick" x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${formatCompact(t)}</text>`);
  // Every `every`-th day and the current run's, never one crowding the current run's label.
  const every = Math.max(1, Math.ceil(n / 10));
  const days = chart.points.map((p, i) => (i === n - 1 || (i % every === 0 && n - 1 - i >= every)
    ? html`<text class="tick${i === n - 1 ? ' current' : ''}" x="${x(i)}" y="${top + plotH + 18}" text-anchor="middle">${p.label}</text>`
    : null));
  const lines = chart.series.map((s, k) => {
    const at = (p: LinePoint): number => p.values[k] ?? 0;
    const dots = chart.points.map((p, i) => html`<circle class="pt s-${s.key}" data-series="${s.key}" data-value="${at(p)}" cx="${x(i)}" cy="${y(at(p))}" r="${i === n - 1 ? 4.5 : 3}"><title>${p.title}</title></circle>`);
    return html`<g class="series"><polyline class="line s-${s.key}" points="${chart.points.map((p, i) => `${x(i)},${y(at(p))}`).join(' ')}"/>${dots}</g>`;
  });
  const now = n > 0 ? html`<line class="now" x1="${x(n - 1)}" x2="${x(n - 1)}" y1="${top}" y2="${top + plotH}"/>` : null;
  return frame(chart, width, height, html`<text class="axis-title" x="${left - 6}" y="${top - 14}" text-anchor="end">${chart.yTitle}</text>${legend(chart.series, left, 14)}${grid}${now}${days}${lines}`);
}
