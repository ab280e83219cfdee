// Numbers, times and durations as analysts of a Chinese credit centre read them.

const INTEGER = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const COMPACT = new Intl.NumberFormat('zh-CN', { notation: 'compact', maximumFractionDigits: 1 });
// The centre and its units keep Beijing time, whatever zone the report is rendered in.
const BEIJING = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
});

function beijing(iso: string): Record<string, string> | undefined {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : Object.fromEntries(BEIJING.formatToParts(t).map((p) => [p.type, p.value]));
}

export const formatCount = (n: number): string => INTEGER.format(n);

/** Axis ticks: 12000 → 1.2万. */
export const formatCompact = (n: number): string => COMPACT.format(n);

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '—';
  const p = (part / whole) * 100;
  return `${p > 0 && p < 0.1 ? '<0.1' : p.toFixed(1)}%`;
}

/** `2024-05-02 02:00:03`, Beijing time; anything unparsable shows as it came. */
export function formatTime(iso: string): string {
  const p = beijing(iso);
  return p ? `${p['year']}-${p['month']}-${p['day']} ${p['hour']}:${p['minute']}:${p['second']}` : iso;
}

/** `05-02`: the day of a run on a crowded axis. */
export function formatDay(iso: string): string {
  const p = beijing(iso);
  return p ? `${p['month']}-${p['day']}` : iso.slice(0, 10);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}秒`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}小时${m}分${s % 60}秒` : `${m}分${s % 60}秒`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
