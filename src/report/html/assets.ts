// The page's only stylesheet and script, fixed text that no model value ever enters, and the
// Content-Security-Policy that allows exactly these two by hash and nothing else at all.
import { createHash } from 'node:crypto';

// System fonts only: a report opened offline must not reach for a web font.
export const STYLE = `
:root{color-scheme:light;--ink:#1f2933;--muted:#5b6776;--faint:#a3acb7;--line:#dde2e8;--soft:#eef1f5;--bg:#f5f6f8;--card:#fff;--accent:#1d4e89;--ok:#17663d;--ok-bg:#e6f4ec;--bad:#a8231b;--bad-bg:#fdecea;--warn:#8a4b08;--warn-bg:#fdf3e1;--mono:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace}
*{box-sizing:border-box}
html{background:var(--bg)}
body{margin:0;color:var(--ink);font:14px/1.5 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",sans-serif}
main{max-width:1280px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:20px;margin:0;font-weight:600}
h2{font-size:16px;margin:28px 0 10px;font-weight:600;padding-bottom:4px;border-bottom:2px solid var(--accent)}
h3{font-size:14px;margin:16px 0 6px;font-weight:600}
.code{font-family:var(--mono);font-size:.86em;color:var(--muted);white-space:nowrap}
.muted{color:var(--muted)}
.small{font-size:.86em}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.wrap{overflow-wrap:anywhere}
.print-only,.sort-hint{display:none}
[data-sorting] .sort-hint{display:inline}
.top{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 14px;padding-bottom:8px}
.meta{display:flex;flex-wrap:wrap;gap:2px 18px;margin:4px 0 0;font-size:13px;color:var(--muted);width:100%}
.meta div{display:flex;gap:6px}
.meta dd{margin:0;color:var(--ink);font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:0 .6em;border-radius:1em;font-size:.86em;font-weight:600;background:var(--soft);color:var(--muted);white-space:nowrap}
.badge.good{background:var(--ok-bg);color:var(--ok)}
.badge.bad{background:var(--bad-bg);color:var(--bad)}
.badge.warn{background:var(--warn-bg);color:var(--warn)}
nav.toc{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px;margin:2px 0 6px}
nav.toc a{color:var(--accent);text-decoration:none}
nav.toc a:hover{text-decoration:underline}
.attention{display:flex;flex-wrap:wrap;gap:4px 12px;margin:10px 0;padding:6px 12px;border-left:4px solid var(--warn);background:var(--warn-bg);color:var(--warn);font-size:13px}
.attention ul{display:flex;flex-wrap:wrap;gap:0 14px;margin:0;padding:0;list-style:none}
.attention li+li::before{content:"·";margin-right:14px}
.totals{display:grid;grid-template-columns:repeat(7,minmax(0,1fr));gap:8px;margin:10px 0 0}
.total{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.total dt{font-size:13px;color:var(--muted)}
.total dd{margin:0;font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.total.bad dd{color:var(--bad)}
.identity{margin:8px 0 0;padding:8px 12px;border-radius:6px;font-variant-numeric:tabular-nums;border:1px solid var(--line);background:var(--card)}
.identity .verdict{font-weight:600;margin-left:8px}
.identity.holds .verdict{color:var(--ok)}
.identity.broken{border-color:var(--bad);background:var(--bad-bg)}
.identity.broken .verdict{color:var(--bad)}
.facts{display:grid;grid-template-columns:repeat(3,minmax(0,1fr));gap:8px;margin-top:8px}
.fact{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:8px 12px;font-size:13px}
.fact h3{margin:0 0 4px;font-size:13px;color:var(--muted);font-weight:600}
.fact dl{display:grid;grid-template-columns:auto auto;justify-content:start;gap:0 16px;margin:0}
.fact dd{margin:0;text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.fact dd.bad{color:var(--bad)}
.fact dd.warn{color:var(--warn)}
.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px;align-items:start}
.charts .trend{grid-column:1/-1}
.trend-body{display:flex;flex-wrap:wrap;gap:12px 32px;align-items:flex-start}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 12px}
figcaption{font-weight:600;font-size:14px;margin-bottom:4px}
svg.chart{display:block;max-width:100%;height:auto}
svg.chart text{font-size:12px;fill:#3d4752}
svg.chart text.value,svg.chart text.tick,svg.chart text.axis-title{fill:var(--muted);font-size:11px}
svg.chart text.current{fill:var(--ink);font-weight:600}
svg.chart .code{fill:var(--muted);font-size:11px;font-family:var(--mono)}
svg.chart .grid{stroke:#e6e9ee;stroke-width:1}
svg.chart .now{stroke:#c7ccd3;stroke-dasharray:3 3}
svg.chart .line{fill:none;stroke-width:2}
svg.chart .pt{stroke:#fff;stroke-width:1}
.s-loaded{fill:#0b6aa2;stroke:#0b6aa2}
.s-updated{fill:#55a8d8;stroke:#55a8d8}
.s-unchanged{fill:#a9b4c0;stroke:#a9b4c0}
.s-duplicate{fill:#e0a100;stroke:#e0a100}
.s-rejected{fill:#cf4a1c;stroke:#cf4a1c}
.s-rowsRead{fill:#1f2933;stroke:#1f2933}
.empty{color:var(--muted);background:var(--card);border:1px dashed var(--line);border-radius:6px;padding:10px 12px;margin:0}
.scroll{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:13px}
caption{text-align:left;padding:6px 8px;color:var(--muted);font-size:.92em}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top;text-align:left}
th.num,td.num{text-align:right}
thead th{background:var(--soft);font-weight:600;white-space:nowrap;position:sticky;top:0}
tbody tr:hover{background:#f8fafc}
tr.broken td{background:var(--bad-bg)}
td.bad{color:var(--bad);font-weight:600}
td.warn{color:var(--warn);font-weight:600}
td.bad,td.warn{white-space:nowrap}
td.zero{color:var(--faint)}
th.wide,td.wide{min-width:15em}
th button{all:unset;cursor:pointer;display:block;width:100%}
th button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
th button::after{content:" ⇅";color:var(--faint);font-size:.85em}
th[aria-sort=ascending] button::after{content:" ▲";color:var(--accent)}
th[aria-sort=descending] button::after{content:" ▼";color:var(--accent)}
ul.reasons{list-style:none;margin:0;padding:0}
ul.reasons li+li{margin-top:2px}
details summary{cursor:pointer;color:var(--accent);font-size:.92em}
table.examples{margin:4px 0 6px;font-size:.92em;background:var(--soft)}
table.examples td,table.examples th{padding:2px 6px}
.cells{font-family:var(--mono);font-size:.86em}
.cells span{display:inline-block;margin:0 4px 2px 0;padding:0 4px;border:1px solid var(--line);border-radius:3px;background:var(--card);white-space:pre-wrap;overflow-wrap:anywhere}
.about{font-size:.86em;color:var(--muted)}
.about span{white-space:nowrap}
.about span+span::before{content:" · "}
table.compare{width:auto;margin-top:8px;border:1px solid var(--line)}
table.compare caption{padding:0 0 4px;white-space:nowrap}
table.compare th[scope=row]{font-weight:normal;color:var(--muted);background:none}
footer{margin-top:32px;font-size:12px;color:var(--muted)}
@media (max-width:1100px){.charts{grid-template-columns:minmax(0,1fr)}}
@media (max-width:900px){.totals{grid-template-columns:repeat(4,minmax(0,1fr))}.facts{grid-template-columns:minmax(0,1fr)}}
@media print{
@page{size:A4;margin:12mm 10mm}
html,body{background:#fff}
main{max-width:none;padding:0}
nav.toc,details,th button::after,[data-sorting] .sort-hint{display:none}
.print-only{display:block}
h2{font-size:14px;margin-top:14px;break-after:avoid}
h3{break-after:avoid}
.total dd{font-size:17px}
.charts{grid-template-columns:minmax(0,1fr)}
table,table.examples{font-size:8.5px}
th,td{padding:2px 3px}
th.wide,td.wide{min-width:10em}
thead{display:table-header-group}
thead th{position:static}
tr,figure,.identity,.attention,.fact{break-inside:avoid}
.scroll{overflow:visible;border:none}
}
`;

// Sorts any table.sortable by a clicked header: numbers (th[data-type=number]) by the cell's
// data-sort, blanks last; text by the Chinese collation. Without it the tables stay as written.
export const SCRIPT = `
(() => {
  const collator = new Intl.Collator('zh-CN', { numeric: true });
  const key = (row, col, numeric) => {
    const cell = row.cells[col];
    const raw = cell ? (cell.dataset.sort ?? cell.textContent.trim()) : '';
    return numeric ? (raw === '' ? NaN : Number(raw)) : raw;
  };
  document.documentElement.dataset.sorting = 'on';
  for (const table of document.querySelectorAll('table.sortable')) {
    const head = table.tHead && table.tHead.rows[0];
    const body = table.tBodies[0];
    if (!head || !body) continue;
    Array.from(head.cells).forEach((th, col) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.append(...th.childNodes);
      th.append(button);
      button.addEventListener('click', () => {
        const dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        for (const other of head.cells) other.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', dir);
        const numeric = th.dataset.type === 'number';
        const sign = dir === 'ascending' ? 1 : -1;
        const rows = Array.from(body.rows, (row) => ({ row, key: key(row, col, numeric) }));
        rows.sort((a, b) => {
          if (!numeric) return sign * collator.compare(a.key, b.key);
          const blankA = Number.isNaN(a.key);
          const blankB = Number.isNaN(b.key);
          if (blankA || blankB) return blankA === blankB ? 0 : blankA ? 1 : -1;
          return sign * (a.key - b.key);
        });
        body.append(...rows.map((r) => r.row));
      });
    });
  }
})();
`;

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Nothing may load; only the stylesheet and the script above, byte for byte, may run. */
export const CONTENT_SECURITY_POLICY =
  `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(SCRIPT)}; base-uri 'none'; form-action 'none'`;
