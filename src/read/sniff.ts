// Recognises a delivery's format by its bytes, never its extension: government systems export
// HTML tables and CSV as ".xls", and units rename files freely.
import type { DeliveryFormat } from './model.js';
import { sniffContainer } from './sheet/container.js';

const SQLITE = Buffer.from('SQLite format 3\0', 'latin1');

/** How many leading bytes `sniffFormat` wants. */
export const SNIFF_BYTES = 64 * 1024;

function leadingText(head: Buffer): string {
  if (head[0] === 0xff && head[1] === 0xfe) return head.subarray(2).toString('utf16le');
  if (head[0] === 0xfe && head[1] === 0xff) return Buffer.from(head.subarray(2)).swap16().toString('utf16le');
  // Markup and SQL keywords are ASCII in every encoding units use, so latin1 is enough to see them.
  return head.toString('latin1').replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
}

/**
 * The format of a delivery from its first bytes. Anything that is not a container, a database
 * or markup/SQL is handed to the text reader, which decides between CSV, TSV and junk.
 */
export function sniffFormat(head: Buffer): DeliveryFormat {
  const container = sniffContainer(head);
  if (container === 'zip') return 'xlsx';
  if (container === 'ole') return 'xls';
  if (head.subarray(0, 16).equals(SQLITE)) return 'sqlite';
  const text = leadingText(head).trimStart();
  const start = text.slice(0, 4096).toLowerCase();
  // Excel 2003 XML Spreadsheet (which some systems still save as .xls) has <Table> elements too.
  if (start.startsWith('<') && start.includes('urn:schemas-microsoft-com:office:spreadsheet')) return 'xls';
  if (start.startsWith('<') && /<(table|html|!doctype html)/.test(start)) return 'html-table';
  if (/^-- mysql dump|^\/\*!\d{5}|^-- maria(db)? dump/.test(start) || /^(create table|insert into) `/m.test(start)) return 'mysqldump';
  if (/^-- postgresql database dump/.test(start) || /^copy [\w."]+ (\([^)]*\) )?from stdin;/m.test(start) || /^set statement_timeout/m.test(start)) return 'pgdump';
  if (/^(create table|insert into) /m.test(start)) return 'pgdump';
  return 'csv';
}
