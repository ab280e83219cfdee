// Unified social credit code, GB 32100-2015: 2 registration characters, a 6-digit division code,
// the 9-character GB 11714 organisation code, and a mod-31 check character.
import { orgCodeCheckChar, usccCheckChar, usccValue } from './checksums.js';
import { excelCorruption } from './excel-corruption.js';
import { accepted, canonicalIdentifier, checkDetail, isDigit, isUpperAlnum, rejected, shapeFailure, type IdentifierVerdict } from './verdict.js';

const NAME = 'a unified social credit code';

// Table 2 and 3 of the 2015 text. Codes outside them (law firms, trade unions, religious venues)
// were assigned later by authorities whose amendment we could not read, so they only warn.
const CATEGORIES: Record<string, string> = { '1': '1239', '5': '1239', '9': '123', Y: '1' };

function allowedAt(code: number, index: number): boolean {
  return index >= 2 && index < 8 ? isDigit(code) : usccValue(code) >= 0;
}

// Fujian and Xiamen issued codes in the 2015 pilot before the formula was settled; they are legal
// and still in use, so their records are kept with a warning (bluesky335/IDCheck, hutool tests).
function isEarlyPilot(value: string): boolean {
  return (value.startsWith('3501', 2) || value.startsWith('3502', 2)) && value.startsWith('M000', 8);
}

export function checkUscc(input: string): IdentifierVerdict {
  const value = canonicalIdentifier(input);
  if (value.length !== 18) {
    const excel = excelCorruption(input, hasUsccCheck);
    return excel ? rejected(value, 'corrupted-by-excel', excel) : shapeFailure(value, allowedAt, NAME, '18');
  }
  for (let i = 0; i < 17; i++) {
    if (!allowedAt(value.charCodeAt(i), i)) return shapeFailure(value, allowedAt, NAME, '18');
  }
  // A letter the alphabet leaves out (I O Z S V) in the last place is a wrong check character,
  // not a different kind of code: say which character the formula wants.
  if (!isUpperAlnum(value.charCodeAt(17))) return shapeFailure(value, allowedAt, NAME, '18');

  const expected = usccCheckChar(value)!;
  if (value[17] !== expected) {
    if (usccValue(value.charCodeAt(17)) >= 0 && isEarlyPilot(value) && orgCodeCheckChar(value, 8) === value[16]) {
      const warning = `${checkDetail(expected)}: the check character does not follow GB 32100, as on the early Fujian/Xiamen pilot codes (division 3501xx/3502xx, body M000…); kept`;
      return { valid: true, value, expected, warnings: [warning] };
    }
    const excel = excelCorruption(input, hasUsccCheck);
    return excel ? rejected(value, 'corrupted-by-excel', excel) : rejected(value, 'checksum', checkDetail(expected), expected);
  }
  const orgExpected = orgCodeCheckChar(value, 8)!;
  if (value[16] !== orgExpected) {
    return rejected(value, 'org-check', checkDetail(orgExpected, 'the check character of its organisation code (characters 9–17)'), orgExpected);
  }

  const categories = CATEGORIES[value[0]!];
  if (categories === undefined) {
    return accepted(value, [`registration authority "${value[0]}" is not one of GB 32100-2015's 1, 5, 9, Y (a later assignment, or a typo)`]);
  }
  if (!categories.includes(value[1]!)) {
    return accepted(value, [`organisation category "${value[1]}" is not listed for registration authority "${value[0]}" in GB 32100-2015`]);
  }
  return accepted(value);
}

function hasUsccCheck(value: string): boolean {
  return value.length === 18 && usccCheckChar(value) === value[17];
}
