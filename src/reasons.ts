// Every reason a file, row or cell is quarantined, rejected or warned about: one stable literal
// that the ledger, reports, receipts and tests all share. The sentence beside each code is its
// documentation (`credit-etl` prints it); the message of one occurrence names file, row, item.

export const REASONS = {
  'file/unreadable': 'the file cannot be opened (a folder, no permission, gone)',
  'file/empty': 'the file has no bytes',
  'file/header-only': 'the file has a header but no data rows',
  'file/no-header': 'no row of the file looks like a header of any data subject',
  'file/corrupt': 'a truncated or corrupt archive (xlsx is a zip) or container',
  'file/encrypted': 'the workbook is password-protected',
  'file/encoding': 'the bytes decode in no known encoding (UTF-8, UTF-16, GB18030)',
  'file/binary': 'binary content where text was expected',
  'file/format': 'the content is in no format credit-etl reads',
  'file/sql-syntax': 'a SQL dump statement that does not parse; the dump is rejected whole',
  'file/unknown-subject': 'no data subject of the unit matches the file\'s headers',
  'file/ambiguous-subject': 'several data subjects match the file\'s headers equally well',
  'file/missing-columns': 'required data items have no column in the file',
  'file/error-limit': 'more rows were rejected than the pipeline allows; the file is quarantined whole',
  'file/too-large': 'the file or one of its parts exceeds a size limit',
  'file/misplaced': 'the file is not in an <inbox>/<YYYY-MM-DD>/<unit code>/ folder of a unit of the catalog (or is a link): quarantined unread',
  'row/ragged': 'the row has more or fewer cells than the header',
  'row/duplicate-in-file': 'the same business key appears twice in one file',
  'row/conflicting-codes': 'codes on one row contradict each other',
  'cell/required': 'a required data item is empty',
  'cell/not-empty': 'a data item that must be empty in this case holds a value',
  'cell/type': 'the value is not of the item\'s type (integer, decimal)',
  'cell/date': 'the value is not a real calendar date',
  'cell/amount': 'the value is not an amount in a known unit',
  'cell/code-table': 'the value is neither a label nor a code of the item\'s code table',
  'cell/too-long': 'the value is longer than the item allows',
  'cell/pattern': 'the value does not match the item\'s pattern',
  'identity/uscc-check': 'a unified social credit code fails its format or check character',
  'identity/org-code-check': 'an organisation code fails its format or check character',
  'identity/reg-no-check': 'a 15-digit registration number fails its check digit',
  'identity/tax-no-check': 'a tax registration number is not division code + organisation code',
  'identity/resident-id-check': 'a resident ID fails its format, birth date or check character',
  'identity/phone': 'not a mainland phone number',
  'identity/corrupted-by-excel': 'Excel stored the identifier as a number and its last digits are lost',
} as const;

export type ReasonCode = keyof typeof REASONS;

/** `reject` removes the row (or quarantines the file); `warn` keeps it with a note. */
export type Severity = 'reject' | 'warn';

export interface Reason {
  code: ReasonCode;
  severity: Severity;
  /** The whole sentence, naming file, row, item and value (personal values masked). */
  message: string;
  /** Data item code, where the reason is about one cell. */
  item?: string;
}

/** `row 57 of 行政处罚.xlsx: …` — the prefix every row-level message starts with. */
export function rowPrefix(file: string, row: number): string {
  return `row ${row} of ${file}`;
}
