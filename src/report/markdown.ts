// report.md: the run report as Markdown, for a ticket, a mail or a repository of run notes.
import { reasonLabel } from '../reasons-zh.js';
import { identityHolds } from './build.js';
import { DELIVERY_OUTCOME_LABELS, type RunReport, type Tally } from './model.js';


/** A value safe in a Markdown table cell: no pipe, line break, HTML or code span can escape it. */
export function mdCell(value: string | number | null): string {
  if (value === null) return '';
  return String(value).replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/[\r\n\t]+/g, ' ');
}

function table(head: string[], rows: (string | number | null)[][]): string[] {
  if (rows.length === 0) return ['(none)', ''];
  return [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`), ''];
}

const tallyCells = (t: Tally): number[] => [t.rowsRead, t.loaded, t.updated, t.unchanged, t.duplicate, t.rejected, t.repairs];
const TALLY_HEAD = ['read 读取', 'loaded 入库', 'updated 更新', 'unchanged 未变', 'duplicate 重复', 'rejected 拒绝', 'repairs 修复'];

export function identityLine(t: Tally): string {
  const sum = `${t.loaded} + ${t.updated} + ${t.unchanged} + ${t.duplicate} + ${t.rejected}`;
  return identityHolds(t) ? `${t.rowsRead} read = ${sum} (loaded + updated + unchanged + duplicate + rejected)`
    : `LEDGER IDENTITY BROKEN: ${t.rowsRead} read ≠ ${sum}`;
}

export function renderMarkdown(r: RunReport): string {
  const t = r.totals;
  const lines: string[] = [
    `# Run ${r.run.id} — ${r.run.status}`, '',
    `Catalog ${mdCell(r.run.catalog)} · pipeline ${mdCell(r.run.pipeline ?? '—')} · ${r.run.startedAt} → ${r.run.finishedAt ?? 'not finished'} · ` +
      `${r.run.seconds.toFixed(1)} s · ${r.run.rowsPerSecond} rows/s`, '',
    '## Summary', '',
    `- Files: ${t.files.loaded} loaded, ${t.files.duplicate} duplicate deliveries, ${t.files.quarantined} quarantined, ${t.files.failed} failed, ${t.files.unavailable} database sources unavailable`,
    `- Rows: ${identityLine(t)}; ${t.repairs} cells repaired`,
    `- Entities: ${t.newEntities} new, ${t.merges} merges, ${t.conflicts} identity conflicts`,
    `- Deliveries: ${t.missing} missing past their deadline, ${t.late} late`, '',
    '## Units', '',
    ...table(['unit 报送单位', 'files', ...TALLY_HEAD], r.units.map((u) => [`${u.unit} ${u.unitName}`, u.files.length, ...tallyCells(u.tally)])),
  ];
  for (const u of r.units) {
    lines.push(`### ${mdCell(u.unit)} ${mdCell(u.unitName)}`, '');
    lines.push(...table(['data subject 数据主题', 'files', ...TALLY_HEAD], u.subjects.map((s) => [`${s.subject} ${s.subjectName}`, s.files, ...tallyCells(s.tally)])));
    for (const s of u.subjects) {
      if (s.reasons.length > 0) {
        lines.push(`Rejection reasons, ${mdCell(s.subject)}:`, '');
        lines.push(...table(['reason', '原因', 'rows', 'example'], s.reasons.map((x) => [x.code, x.label, x.count, x.examples[0] ? `row ${x.examples[0].row}: ${x.examples[0].message}` : null])));
      }
      if (s.repairs.length > 0) {
        lines.push(`Repairs, ${mdCell(s.subject)}:`, '');
        lines.push(...table(['item 数据项', 'cells'], s.repairs.map((x) => [`${x.item} ${x.itemName}`, x.count])));
      }
    }
    lines.push(...table(['file', 'night', 'outcome', 'rows read', 'rows/s', 'late', 'reason'], u.files.map((f) => [
      f.name, f.night, `${f.outcome} ${DELIVERY_OUTCOME_LABELS[f.outcome]}`, f.tally.rowsRead, f.rowsPerSecond, f.late ? 'late' : '', f.reason,
    ])));
  }
  lines.push('## Quarantined files', '', ...table(['unit', 'file', 'reason', '原因', 'detail'], r.quarantined.map((f) => [
    f.unit, f.name, f.reasonCode, f.reasonCode ? reasonLabel(f.reasonCode) : null, f.reason,
  ])));
  lines.push('## Missing deliveries', '', ...table(['unit', 'data subject', 'period', 'due'], r.missing.map((m) => [
    `${m.unit} ${m.unitName}`, `${m.subject} ${m.subjectName}`, `${m.periodStart} – ${m.periodEnd}`, m.due,
  ])));
  lines.push('## Identity', '', `New entities by type: ${Object.entries(r.entities.created).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`, '');
  lines.push('Merges:', '', ...table(['from', 'into', 'on', 'value'], r.entities.merges.map((m) => [m.from, m.into, m.kind, m.value])));
  lines.push('Conflicts:', '', ...table(['kind', 'value', 'entities', 'detail'], r.entities.conflicts.map((c) => [c.kind, c.value, c.entities.join(', '), c.detail])));
  lines.push('## The last runs', '', ...table(['run', 'started', 'files', 'rows read', 'loaded', 'rejected'], r.trend.map((p) => [p.runId, p.startedAt, p.files, p.rowsRead, p.loaded, p.rejected])));
  return lines.join('\n');
}
