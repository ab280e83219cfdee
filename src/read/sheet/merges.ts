// Excel shows a merged range's value once, in its top-left cell; the other cells are empty (or
// hold stale values Excel hides). A two-row header such as 行政相对人代码 merged over _1…_6
// only reads as `parent_child` labels when every child column sees its parent, so each cell of
// a range takes the top-left cell.
import type { CellObject, Range } from 'xlsx';

/** Rows and columns a sheet's content spans from A1. */
export interface Extent {
  rows: number;
  columns: number;
}

/**
 * Copies each range's top-left cell into every cell of the range, clipped to `extent` so a title
 * merged across a whole row cannot widen the grid past the sheet's content.
 */
export function fillMerges(data: CellObject[][], merges: readonly Range[], extent: Extent): void {
  for (const { s, e } of merges) {
    const topLeft = data[s.r]?.[s.c];
    if (topLeft === undefined) continue;
    const lastRow = Math.min(e.r, extent.rows - 1);
    const lastColumn = Math.min(e.c, extent.columns - 1);
    for (let r = s.r; r <= lastRow; r++) {
      const row = (data[r] ??= []);
      for (let c = s.c; c <= lastColumn; c++) row[c] = topLeft;
    }
  }
}
