// Tables the inline script can sort: one header row, one body, no row or column spans (a
// spanning cell would be torn apart by reordering), each numeric cell carrying its raw number.
import { formatCount } from './format.js';
import { html, type Html, type Part } from './markup.js';

export interface Cell {
  content: Part;
  /** The value to sort by when it is not the text shown (numbers, dates). */
  sort?: number | string;
  /** One of the stylesheet's own classes, chosen by code, never taken from the model. */
  tone?: 'bad' | 'warn' | 'zero';
}

export interface Column<R> {
  head: string;
  /** Sorts as numbers and aligns right. */
  numeric?: boolean;
  /** Free text (file names, reasons) that must not be squeezed to a few characters a line. */
  wide?: boolean;
  cell: (row: R) => Cell | Part;
}

export interface TableOptions<R> {
  /** Our own id: tests and links find the table by it. */
  id: string;
  caption: string;
  /** Marks a row whose numbers do not add up. */
  broken?: (row: R) => boolean;
}

const isCell = (v: Cell | Part): v is Cell => typeof v === 'object' && v !== null && 'content' in v;

/** A count, greyed when 0 so the numbers that matter stand out. */
export const count = (n: number): Cell => ({ content: formatCount(n), sort: n, ...(n === 0 ? { tone: 'zero' as const } : {}) });

/** A count that is bad news when it is not 0. */
export const alarm = (n: number, tone: 'bad' | 'warn'): Cell => (n === 0 ? count(n) : { ...count(n), tone });

/** A record's id: `#5120`, never grouped like a count. */
export const id = (n: number): Cell => ({ content: `#${n}`, sort: n });

export function sortableTable<R>(options: TableOptions<R>, columns: readonly Column<R>[], rows: readonly R[]): Html {
  const head = columns.map((c) => html`<th scope="col"${c.numeric ? html` class="num" data-type="number"` : c.wide ? html` class="wide"` : null}>${c.head}</th>`);
  const body = rows.map((row) => {
    const cells = columns.map((c) => {
      const v = c.cell(row);
      const cell: Cell = isCell(v) ? v : { content: v };
      const classes = [c.numeric ? 'num' : null, c.wide ? 'wide' : null, cell.tone ?? null].filter((x) => x !== null).join(' ');
      return html`<td${classes ? html` class="${classes}"` : null}${cell.sort === undefined ? null : html` data-sort="${cell.sort}"`}>${cell.content}</td>`;
    });
    return html`<tr${options.broken?.(row) ? html` class="broken"` : null}>${cells}</tr>`;
  });
  return html`<div class="scroll"><table class="sortable" id="${options.id}"><caption>${options.caption}<span class="sort-hint">点击表头可排序。</span></caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}
