// Tax registration number (税务登记号 / 纳税人识别号) in the forms units still deliver:
// organisations before 2015: 6-digit division + 9-character organisation code (15 characters);
// individuals: resident ID + a 2-digit sequence (00, 01, …) or 00000 after a 15-digit ID (17/20),
// or the bare 18-digit ID; since 2015-10-01 an organisation's tax number is its USCC (SAT 2015/66).
import { residentIdCheckChar, usccCheckChar } from './checksums.js';
import { isMainlandProvince } from './division.js';
import { checkOrgCode } from './org-code.js';
import { checkResidentId, type ResidentIdVerdict } from './resident-id.js';
import { checkUscc } from './uscc.js';
import { canonicalIdentifier, digitsOnly, isDigit, isUpperAlnum, rejected, shapeFailure, type IdentifierVerdict } from './verdict.js';

export type TaxNoKind = 'division-org-code' | 'uscc' | 'resident-id';

export interface TaxNoVerdict extends IdentifierVerdict {
  kind?: TaxNoKind;
  /** The GB 11714 organisation code inside it, which links it to a USCC. */
  orgCode?: string;
  /** The 18-digit resident ID of an individual's number (upgraded when it holds a 15-digit one). */
  residentId?: string;
}

const NAME = 'a tax registration number';
const LENGTHS = '15, 17, 18 or 20';

const divisionThenCode = (c: number, i: number): boolean => (i < 6 ? isDigit(c) : isUpperAlnum(c));

function withOrgCode(value: string): TaxNoVerdict {
  if (!digitsOnly(value, 0, 6)) return shapeFailure(value, divisionThenCode, NAME, LENGTHS);
  if (!isMainlandProvince(value)) return rejected(value, 'province', `its division code starts with ${value.slice(0, 2)}, which is no province`);
  const org = checkOrgCode(value.slice(6));
  if (org.failure === 'checksum') {
    return rejected(value, 'org-check', `its organisation code (characters 7–15) ${org.detail}`, org.expected);
  }
  if (!org.valid) return shapeFailure(value, isUpperAlnum, NAME, LENGTHS);
  return { valid: true, value, kind: 'division-org-code', orgCode: org.value, warnings: org.warnings };
}

/** An individual's number: `idLength` characters of resident ID, then a sequence suffix. */
function withResidentId(value: string, idLength: 15 | 18): TaxNoVerdict {
  if (!digitsOnly(value, idLength)) {
    return rejected(value, 'format', `has "${value.slice(idLength)}" after its resident ID where a 2-digit sequence (00, 01, …) belongs`);
  }
  return fromResidentId(value, checkResidentId(value.slice(0, idLength)));
}

function fromResidentId(value: string, id: ResidentIdVerdict): TaxNoVerdict {
  if (id.valid) return { valid: true, value, kind: 'resident-id', residentId: id.value, warnings: id.warnings };
  return rejected(value, id.failure!, `its resident-ID part ${id.detail}`, id.expected);
}

function eighteen(value: string): TaxNoVerdict {
  const uscc = checkUscc(value);
  if (uscc.valid) return { ...uscc, kind: 'uscc', orgCode: value.slice(8, 17) };
  const id = checkResidentId(value);
  // Neither reading passes: blame the one whose check character holds (a random value passes one
  // in 11 or 31 times), else the USCC, the form every organisation's tax number has had since 2015.
  if (id.valid || (residentIdCheckChar(value) === value[17] && usccCheckChar(value) !== value[17])) return fromResidentId(value, id);
  return { ...uscc, detail: `is not a valid unified social credit code: ${uscc.detail}` };
}

export function checkTaxNo(input: string): TaxNoVerdict {
  const value = canonicalIdentifier(input);
  switch (value.length) {
    case 15:
      return withOrgCode(value);
    case 17:
      return withResidentId(value, 15);
    case 18:
      return eighteen(value);
    case 20: {
      // Both an 18-digit ID + 2 and a 15-digit ID + 00000; read as 18 digits, a 15-digit ID's
      // YYMMDD lands in the year field and fails, so the 15-digit reading is tried first.
      const id15 = value.endsWith('00000') ? checkResidentId(value.slice(0, 15)) : undefined;
      return id15?.valid ? fromResidentId(value, id15) : withResidentId(value, 18);
    }
    default:
      return shapeFailure(value, isUpperAlnum, NAME, LENGTHS);
  }
}
