// A parsed sheet as a Grid: every row from row 1 to the last row with content, each as wide as
// the widest row, so row numbers and column positions are the ones Excel shows.
import type { CellObject, WorkSheet } from 'xlsx';
import type { CellNote, Grid, GridRow } from '../model.js';
import { cellText, readCell } from './cells.js';
import { fillMerges, type Extent } from './merges.js';

/** The sheet as a Grid, or undefined when no cell holds anything but whitespace. */
export function sheetGrid(name: string, sheet: WorkSheet, date1904: boolean): Grid | undefined {
  // Workbooks are read in dense mode: rows of cells, far smaller than one object per address.
  const data: CellObject[][] = sheet['!data'] ?? [];
  const extent = contentExtent(data);
  if (extent === undefined) return undefined;
  fillMerges(data, sheet['!merges'] ?? [], extent);
  return { name, rows: { [Symbol.asyncIterator]: () => gridRows(data, extent, date1904) } };
}

// Measured on cells with content only: formatted-but-empty rows and columns (a style applied to
// whole columns) would otherwise add thousands of blank rows.
function contentExtent(data: CellObject[][]): Extent | undefined {
  let rows = 0;
  let columns = 0;
  data.forEach((row, r) => {
    row.forEach((cell, c) => {
      if (cellText(cell).trim() === '') return;
      rows = r + 1;
      columns = Math.max(columns, c + 1);
    });
  });
  return rows === 0 ? undefined : { rows, columns };
}

async function* gridRows(data: CellObject[][], extent: Extent, date1904: boolean): AsyncGenerator<GridRow> {
  for (let r = 0; r < extent.rows; r++) {
    const row = data[r];
    const cells: string[] = [];
    const notes: CellNote[] = [];
    for (let c = 0; c < extent.columns; c++) cells.push(readCell(row?.[c], c, date1904, notes));
    yield notes.length > 0 ? { row: r + 1, cells, notes } : { row: r + 1, cells };
  }
}
