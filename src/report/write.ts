// Writing a run's report to disk: <reports>/<run id>/report.json, report.html and report.md, each
// written whole, so a reader never sees half a report.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from './html.js';
import { renderMarkdown } from './markdown.js';
import type { RunReport } from './model.js';
import { writeFileWhole } from '../write-whole.js';

export interface WrittenReport {
  dir: string;
  json: string;
  html: string;
  md: string;
}

export async function writeRunReport(reportsDir: string, report: RunReport): Promise<WrittenReport> {
  const dir = join(reportsDir, String(report.run.id));
  await mkdir(dir, { recursive: true });
  const written = { dir, json: join(dir, 'report.json'), html: join(dir, 'report.html'), md: join(dir, 'report.md') };
  await writeFileWhole(written.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileWhole(written.html, renderHtml(report));
  await writeFileWhole(written.md, `${renderMarkdown(report)}\n`);
  return written;
}
