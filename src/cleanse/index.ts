// Cleansing: every repair a pure function of one cell's text, returning the clean value and
// whether it changed, or a short clause saying what is wrong. Composed per data item elsewhere.
export { type Cleaned, type Failed } from './cleaned.js';
export { cleanText, cleanCode, nameKey } from './text.js';
export { isEmptyMarker } from './empty.js';
export { cleanDate, cleanDateTime, parseDateTime } from './dates.js';
export { excelSerialParts } from './excel-serial.js';
export { type DateTimeParts, formatDate, formatDateTime } from './calendar.js';
export { cleanAmount, type AmountUnit } from './amounts.js';
export { cleanInteger, cleanDecimal } from './numbers.js';
export { compileCodeTable, type CodeTableCleaner, type CodeTableOptions } from './code-table.js';
