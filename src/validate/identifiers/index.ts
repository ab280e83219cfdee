// Identifier checks: one module per kind of code, one verdict type, and a dispatcher on the
// catalog's item types so the validate stage can run the check a data item declares.
import type { ItemType } from '../../catalog/index.js';
import { checkOrgCode } from './org-code.js';
import { checkPhone } from './phone.js';
import { checkRegNo } from './reg-no.js';
import { checkResidentId } from './resident-id.js';
import { checkTaxNo } from './tax-no.js';
import { checkUscc } from './uscc.js';
import type { IdentifierVerdict } from './verdict.js';

export { type IdentifierFailure, type IdentifierVerdict, canonicalIdentifier } from './verdict.js';
export { excelCorruption } from './excel-corruption.js';
export { checkUscc } from './uscc.js';
export { checkOrgCode } from './org-code.js';
export { checkRegNo } from './reg-no.js';
export { checkResidentId, upgradeResidentId15, type ResidentIdKind, type ResidentIdVerdict } from './resident-id.js';
export { checkTaxNo, type TaxNoKind, type TaxNoVerdict } from './tax-no.js';
export { checkPhone, type PhoneKind, type PhoneVerdict } from './phone.js';

/** The catalog item types that name a checked identifier. */
export type IdentifierType = Extract<ItemType, 'uscc' | 'org-code' | 'reg-no' | 'tax-no' | 'resident-id' | 'phone'>;

const CHECKS: Record<IdentifierType, (input: string) => IdentifierVerdict> = {
  uscc: checkUscc,
  'org-code': checkOrgCode,
  'reg-no': checkRegNo,
  'tax-no': checkTaxNo,
  'resident-id': checkResidentId,
  phone: checkPhone,
};

export function isIdentifierType(type: string): type is IdentifierType {
  return Object.hasOwn(CHECKS, type);
}

export function checkIdentifier(type: IdentifierType, input: string): IdentifierVerdict {
  return CHECKS[type](input);
}
