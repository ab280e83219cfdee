// Organisation code, GB 11714-1997: an 8-character body and a check character, printed with a
// hyphen before the check character (D2143569-X); the canonical form drops the hyphen.
import { orgCodeCheckChar } from './checksums.js';
import { accepted, canonicalIdentifier, checkDetail, digitsOnly, isUpperAlnum, rejected, shapeFailure, type IdentifierVerdict } from './verdict.js';

const NAME = 'an organisation code';

// GB 11714 reserves PDY00001–PDY99999 for codes a system makes up for its own use: they pass the
// check but name no registered organisation, so they must not link records across units.
const SELF_DEFINED = 'PDY';

export function checkOrgCode(input: string): IdentifierVerdict {
  const value = canonicalIdentifier(input);
  if (value.length !== 9) return shapeFailure(value, isUpperAlnum, NAME, '9 (8 and a check character)');
  for (let i = 0; i < 9; i++) {
    if (!isUpperAlnum(value.charCodeAt(i))) return shapeFailure(value, isUpperAlnum, NAME, '9');
  }
  const expected = orgCodeCheckChar(value)!;
  if (value[8] !== expected) return rejected(value, 'checksum', checkDetail(expected), expected);
  return value.startsWith(SELF_DEFINED) && digitsOnly(value, 3, 8)
    ? accepted(value, ['is in the PDY range GB 11714 reserves for codes made up inside one system, not a registered organisation'])
    : accepted(value);
}
