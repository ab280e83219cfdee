// Spreadsheet deliveries (xlsx, BIFF8 .xls, and the HTML-table ".xls" many government systems
// export) → one Grid per sheet that holds anything, each cell's text as the unit sees it in Excel.
// SheetJS has no streaming reader: the workbook is parsed whole (in dense mode, the smallest
// representation), then rows are rendered to text one at a time as the shaping stage pulls them.
import * as XLSX from 'xlsx';
import { DeliveryError, type Grid } from '../model.js';
import { sniffContainer } from './container.js';
import { sheetGrid } from './grid.js';
import { decodeMarkup, decodeNumericReferences } from './html-text.js';
import { zipProblem } from './zip-check.js';

export type WorkbookFormat = 'xlsx' | 'xls' | 'html-table';

export interface WorkbookGrids {
  /** One per sheet with a non-blank cell, in workbook order, named by the sheet. */
  grids: Grid[];
  /** For an HTML or XML table: the encoding its bytes were decoded from. */
  encoding?: string;
}

const READ_OPTIONS: XLSX.ParsingOptions = {
  dense: true,
  // Keep each cell's number format (`z`) and displayed text (`w`); dates stay serial numbers so
  // the reader, not SheetJS, decides what they mean.
  cellNF: true,
  cellText: true,
  cellDates: false,
  // Formula cells keep the value Excel cached when it saved; nothing is ever recalculated.
  cellFormula: false,
  cellHTML: false,
  // HTML cells stay text: "440102198001011234" must not become a number and lose digits.
  raw: true,
};

export function openWorkbookGrids(path: string, bytes: Buffer, format: WorkbookFormat): WorkbookGrids {
  if (bytes.length === 0) throw new DeliveryError('file/empty', 'the file has no bytes', path);
  const { workbook, encoding } = parseWorkbook(path, bytes, format);
  // Excel cannot save a workbook without a sheet: an empty list means SheetJS lost the structure.
  if (workbook.SheetNames.length === 0) throw new DeliveryError('file/corrupt', `the ${format} workbook lists no sheets`, path);
  const date1904 = workbook.Workbook?.WBProps?.date1904 === true;
  const grids = workbook.SheetNames.flatMap((name) => {
    const sheet = workbook.Sheets[name];
    const grid = sheet && sheetGrid(name, sheet, date1904);
    return grid ? [grid] : [];
  });
  if (grids.length === 0) {
    throw new DeliveryError('file/empty', `no sheet holds a non-empty cell (sheets: ${workbook.SheetNames.join(', ')})`, path);
  }
  return encoding === undefined ? { grids } : { grids, encoding };
}

function parseWorkbook(path: string, bytes: Buffer, format: WorkbookFormat): { workbook: XLSX.WorkBook; encoding?: string } {
  const container = sniffContainer(bytes);
  if (container === 'zip' || container === 'ole') return { workbook: parseBinary(path, bytes, container) };
  if (container === 'markup' || format === 'html-table') return parseMarkup(path, bytes);
  throw new DeliveryError(
    'file/format',
    `delivered as ${format}, but the bytes are neither a zip (xlsx), an OLE container (xls) nor an HTML or XML table`,
    path,
  );
}

function parseBinary(path: string, bytes: Buffer, container: 'zip' | 'ole'): XLSX.WorkBook {
  const damage = container === 'zip' ? zipProblem(bytes) : undefined;
  if (damage !== undefined) throw new DeliveryError('file/corrupt', `the xlsx zip archive is ${damage}`, path);
  try {
    return XLSX.read(bytes, { ...READ_OPTIONS, type: 'buffer' });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // An encrypted xlsx is an OLE container holding EncryptionInfo + EncryptedPackage; an
    // encrypted BIFF8 .xls carries a FilePass record. SheetJS reports both this way.
    if (/password-protected/i.test(detail)) {
      throw new DeliveryError('file/encrypted', 'the workbook is password-protected: it cannot be read without its password', path);
    }
    const what = container === 'zip' ? 'the xlsx zip archive' : 'the OLE container (.xls, or an encrypted xlsx)';
    throw new DeliveryError('file/corrupt', `${what} is corrupt: ${detail}`, path);
  }
}

function parseMarkup(path: string, bytes: Buffer): { workbook: XLSX.WorkBook; encoding: string } {
  const decoded = decodeMarkup(bytes);
  if (decoded === undefined) {
    throw new DeliveryError('file/encoding', 'the HTML table decodes cleanly in none of its BOM, declared charset, UTF-8 or GB18030', path);
  }
  if (!decoded.text.trimStart().startsWith('<')) {
    throw new DeliveryError('file/format', `delivered as an HTML table, but the ${decoded.encoding} text does not start with markup`, path);
  }
  try {
    return { workbook: XLSX.read(decodeNumericReferences(decoded.text), { ...READ_OPTIONS, type: 'string' }), encoding: decoded.encoding };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new DeliveryError('file/format', `the markup holds no table SheetJS can read: ${detail}`, path);
  }
}
