// Business registration number (工商注册号), GS 15-2006: the 6-digit code of the first registering
// bureau, an 8-digit sequence and an ISO 7064 MOD 11,10 check digit.
import { regNoCheckChar } from './checksums.js';
import { isMainlandProvince } from './division.js';
import { accepted, canonicalIdentifier, checkDetail, digitsOnly, isDigit, rejected, shapeFailure, type IdentifierVerdict } from './verdict.js';

const NAME = 'a 15-digit registration number';

// Numbers issued before GS 15-2006 (13 digits and local formats such as 企合苏总副字第001234号)
// were never converted for entities deregistered before 2007: they have no check digit to verify,
// so they are kept as they are. Fewer than 6 digits is not a number at all (无, /, 不详).
const MIN_LEGACY_DIGITS = 6;
const MAX_LEGACY_LENGTH = 30;

export function checkRegNo(input: string): IdentifierVerdict {
  const value = canonicalIdentifier(input);
  if (value.length === 15 && digitsOnly(value)) {
    // The national bureau registered under 100000; every other bureau under its own division code.
    if (!isMainlandProvince(value) && !value.startsWith('10')) {
      return rejected(value, 'province', `starts with ${value.slice(0, 2)}, which is no province and not the national bureau's 10`);
    }
    const expected = regNoCheckChar(value)!;
    return value[14] === expected ? accepted(value) : rejected(value, 'checksum', checkDetail(expected), expected);
  }
  if (value.length === 13 && digitsOnly(value)) {
    return accepted(value, ['is a 13-digit registration number from before GS 15-2006: it has no check digit to verify']);
  }
  let digits = 0;
  for (let i = 0; i < value.length; i++) if (isDigit(value.charCodeAt(i))) digits++;
  if (value.length === 15 || digits < MIN_LEGACY_DIGITS || value.length > MAX_LEGACY_LENGTH) {
    return shapeFailure(value, isDigit, NAME, '15 digits (13 before 2007)');
  }
  return accepted(value, [`is not in the 15-digit GS 15-2006 form (${value.length} characters): kept as a legacy number without a check`]);
}
