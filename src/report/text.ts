// The terminal summary of a run report: a few lines a data engineer reads at the end of a run.
import { formatTable, printable } from '../text-table.js';
import { identityLine } from './markdown.js';
import type { RunReport } from './model.js';

/** Rows (the ledger identity), entities and deliveries: what the run prints under its own summary. */
export function headline(r: RunReport): string[] {
  const t = r.totals;
  return [
    `rows: ${identityLine(t)}`,
    `entities: ${t.newEntities} new · ${t.merges} merges · ${t.conflicts} conflicts · deliveries: ${t.missing} missing · ${t.late} late`,
  ];
}

export function renderText(r: RunReport): string[] {
  const t = r.totals;
  const lines = [
    `run ${r.run.id} (${r.run.status}, catalog ${r.run.catalog}): ${r.run.seconds.toFixed(1)} s, ${r.run.rowsPerSecond} rows/s`,
    `files: ${t.files.loaded} loaded · ${t.files.duplicate} duplicate · ${t.files.quarantined} quarantined · ${t.files.failed} failed${t.files.unavailable > 0 ? ` · ${t.files.unavailable} database sources unavailable` : ''}`,
    ...headline(r),
  ];
  if (r.units.length > 0) {
    lines.push(...formatTable([
      ['unit', 'files', 'read', 'loaded', 'updated', 'unchanged', 'dup', 'rejected', 'top reason'],
      ...r.units.map((u) => {
        const top = u.subjects.flatMap((s) => s.reasons).sort((a, b) => b.count - a.count)[0];
        return [u.unit, String(u.files.length), ...[u.tally.rowsRead, u.tally.loaded, u.tally.updated, u.tally.unchanged, u.tally.duplicate, u.tally.rejected].map(String),
          top ? `${top.code} ×${top.count}` : ''];
      }),
    ], '  '));
  }
  for (const f of r.quarantined) lines.push(`  quarantined ${f.unit}/${f.name}: ${f.reasonCode ?? ''} ${f.reason ?? ''}`.trimEnd());
  return lines.map(printable);
}
