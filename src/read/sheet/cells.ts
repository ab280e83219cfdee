// One SheetJS cell → the text the unit sees in Excel, plus what the reader learned about it.
// The text is never a re-rendering of the value: strings as stored, everything else as Excel
// displays it (`w`, rendered by SheetJS from the cell's own number format).
import type { CellObject } from 'xlsx';
import type { CellNote } from '../model.js';
import { excelDateIso, isDateFormat } from './excel-date.js';
import { lostDigits } from './lost-digits.js';

/** The cell's text as displayed; '' for an absent cell or a formula with no cached value. */
export function cellText(cell: CellObject | undefined): string {
  if (!cell || cell.v === undefined) return '';
  if (cell.t === 's') return String(cell.v);
  if (cell.w !== undefined) return cell.w;
  return cell.v instanceof Date ? cell.v.toISOString() : String(cell.v);
}

/** The cell's text; notes about a numeric cell are appended to `notes` under `column`. */
export function readCell(cell: CellObject | undefined, column: number, date1904: boolean, notes: CellNote[]): string {
  const text = cellText(cell);
  if (cell?.t !== 'n' || typeof cell.v !== 'number') return text;
  const value = cell.v;
  if (typeof cell.z === 'string' && isDateFormat(cell.z)) {
    const iso = excelDateIso(value, date1904);
    if (iso !== undefined) {
      notes.push({ column, kind: 'excel-date', iso });
      return text;
    }
  }
  notes.push({ column, kind: 'excel-number' });
  const detail = lostDigits(value, text);
  if (detail !== undefined) notes.push({ column, kind: 'corrupted-by-excel', detail });
  return text;
}
