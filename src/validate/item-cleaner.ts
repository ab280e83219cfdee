// One cleaner per data item, chosen once from the catalog by the item's type: the composed
// repair every cell of that column goes through.
import type { Catalog, DataItem } from '../catalog/index.js';
import {
  cleanAmount, cleanCode, cleanDate, cleanDateTime, cleanDecimal, cleanInteger, cleanText, compileCodeTable,
  type AmountUnit, type Cleaned,
} from '../cleanse/index.js';
import type { ReasonCode } from '../reasons.js';
import type { CellNote } from '../read/model.js';
import { checkIdentifier, checkResidentId, excelCorruption, isIdentifierType, type IdentifierVerdict } from './identifiers/index.js';

export type CleanValue = string | number;

/** A cell's outcome: the clean value (and whether it differs from the raw text), or why not. */
export type CellResult =
  | { ok: true; value: CleanValue; repaired: boolean; warnings?: readonly string[] }
  | { ok: false; code: ReasonCode; detail: string; warnings?: readonly string[] };

export type ItemCleaner = (raw: string, note: CellNote | undefined, idType?: string) => CellResult;

const IDENTITY_REASON: Record<string, ReasonCode> = {
  uscc: 'identity/uscc-check', 'org-code': 'identity/org-code-check', 'reg-no': 'identity/reg-no-check',
  'tax-no': 'identity/tax-no-check', 'resident-id': 'identity/resident-id-check', phone: 'identity/phone',
};

// A clean cell's result is the cleanser's own object: no second allocation per cell.
function fromCleaned(c: Cleaned<CleanValue>, code: ReasonCode): CellResult {
  return c.ok ? c : { ok: false, code, detail: c.failure };
}

function fromVerdict(v: IdentifierVerdict, raw: string, reason: ReasonCode): CellResult {
  const warnings = v.warnings.length > 0 ? v.warnings : undefined;
  if (v.valid) return { ok: true, value: v.value, repaired: v.value !== raw, warnings };
  const code = v.failure === 'corrupted-by-excel' ? 'identity/corrupted-by-excel' : reason;
  return { ok: false, code, detail: v.detail ?? 'is not valid', warnings };
}

// 18 or 15 digits (the last may be X): a resident ID whatever the 证件类型 cell says or lacks.
const RESIDENT_ID_SHAPE = /^(\d{17}[\dXx]|\d{15})$/;

/**
 * 证件号码 whose 证件类型 says 身份证 is checked as a resident ID; other certificates (passports,
 * permits) as plain codes. A number shaped like a resident ID, or one Excel destroyed, is checked
 * as one whatever the 证件类型, so a typo cannot pass as a "passport".
 */
function cleanIdNumber(raw: string, idType: string | undefined): CellResult {
  const code = cleanCode(raw);
  const value = code.ok ? code.value : raw;
  if (idType === '身份证' || RESIDENT_ID_SHAPE.test(value) || excelCorruption(raw) !== undefined) {
    return fromVerdict(checkResidentId(raw), raw, 'identity/resident-id-check');
  }
  return fromCleaned(code, 'cell/type');
}

/** The reader's note says Excel rounded the number; a personal one is not described further. */
function lost(item: DataItem, note: Extract<CellNote, { kind: 'corrupted-by-excel' }>): CellResult {
  const detail = item.personal ? 'was stored by Excel as a number and its last digits are lost' : `was stored by Excel as a number: ${note.detail}`;
  return { ok: false, code: 'identity/corrupted-by-excel', detail };
}

export function itemCleaner(item: DataItem, catalog: Catalog): ItemCleaner {
  const type = item.type;
  if (isIdentifierType(type)) {
    const reason = IDENTITY_REASON[type]!;
    return (raw, note) => note?.kind === 'corrupted-by-excel' ? lost(item, note) : fromVerdict(checkIdentifier(type, raw), raw, reason);
  }
  switch (type) {
    case 'id-number':
      return (raw, note, idType) => note?.kind === 'corrupted-by-excel' ? lost(item, note) : cleanIdNumber(raw, idType);
    case 'enum': {
      const table = catalog.codeTables.find((t) => t.code === item.codeTable);
      if (!table) throw new Error(`catalog ${catalog.version.id}: ${item.code} names code table ${item.codeTable}, which does not exist`);
      const clean = compileCodeTable(table, { multiple: item.multiple });
      return (raw) => fromCleaned(clean(raw), 'cell/code-table');
    }
    case 'date':
      return (raw, note) => note?.kind === 'excel-date'
        ? { ok: true, value: note.iso.slice(0, 10), repaired: note.iso.slice(0, 10) !== raw }
        : fromCleaned(cleanDate(raw), 'cell/date');
    case 'datetime':
      return (raw, note) => note?.kind === 'excel-date'
        ? { ok: true, value: note.iso.length === 10 ? `${note.iso}T00:00:00` : note.iso, repaired: true }
        : fromCleaned(cleanDateTime(raw), 'cell/date');
    case 'integer':
      return (raw) => fromCleaned(cleanInteger(raw), 'cell/type');
    case 'decimal': {
      const unit = item.unit === '元' || item.unit === '万元' ? (item.unit as AmountUnit) : undefined;
      const scale = item.scale ?? 6;
      return unit ? (raw) => fromCleaned(cleanAmount(raw, unit), 'cell/amount') : (raw) => fromCleaned(cleanDecimal(raw, scale), 'cell/type');
    }
    default:
      return (raw) => fromCleaned(cleanText(raw), 'cell/type');
  }
}
