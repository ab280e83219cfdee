// What one record says about the entity it is about, and the identifiers that follow from it: the
// organisation code inside a USCC or an old tax number, and the entity type a USCC's first two
// characters fix. Values arrive cleansed and checked; nothing here rejects a record.
import type { EntityType } from '../catalog/index.js';
import { nameKey as keyOfName } from '../cleanse/index.js';
import { checkTaxNo } from '../validate/identifiers/index.js';

export interface Evidence {
  /** The type the record states (its 主体类别 column). */
  type?: EntityType;
  /** Display name, as on the certificate. */
  name?: string;
  /** The exact-comparison key of `name` (`nameKey` of src/cleanse); derived from `name` when absent. */
  nameKey?: string;
  uscc?: string;
  orgCode?: string;
  taxNo?: string;
  regNo?: string;
  /**
   * The subject's own resident ID, HMAC-hashed by the caller: an opaque identifier of a person.
   * Never a legal representative's ID, which would link a company to a person.
   */
  residentIdHash?: string;
  /** The same ID masked (440524********0014): what a person is shown of it. */
  residentIdMasked?: string;
}

export type KeyKind = 'uscc' | 'org-code' | 'reg-no' | 'resident-id';
/** Which field a key was read from: an org code read only from a tax number is a `tax-no` link. */
export type KeySource = KeyKind | 'tax-no';
/** The order identifiers are listed in: the matching tiers'. */
export const IDENTIFIER_ORDER: readonly KeySource[] = ['uscc', 'org-code', 'tax-no', 'reg-no', 'resident-id'];

export interface MatchKey {
  kind: KeyKind;
  value: string;
  from: KeySource;
}

/** An identifier the entity is known by, as reported: the tax number is kept as delivered. */
export interface RecordIdentifier {
  kind: KeySource;
  value: string;
  /** A resident ID's masked form; its value is the keyed hash. */
  masked?: string;
}

export interface RecordKeys {
  type?: EntityType;
  /** Tier order: USCC, organisation code, registration number, resident ID; at most one of each. */
  keys: MatchKey[];
  identifiers: RecordIdentifier[];
  name?: string;
  nameKey?: string;
  warnings: string[];
}

// GB 32100-2015 tables 2 and 3 (FACTS §1.1): registration department + category → our types.
const USCC_TYPES: Record<string, EntityType> = {
  '91': 'org', '93': 'org', '92': 'individual-business',
  '11': 'institution', '12': 'institution', '13': 'institution', '19': 'institution',
  '51': 'social-org', '52': 'social-org', '53': 'social-org', '54': 'social-org', '55': 'social-org',
  '56': 'social-org', '57': 'social-org', '58': 'social-org', '59': 'social-org',
};

/** The entity type a USCC's registration department and category give, if the 2015 tables list them. */
export function usccEntityType(uscc: string): EntityType | undefined {
  return USCC_TYPES[uscc.slice(0, 2)];
}

/** GB 32100 positions 9–17: the organisation code the entity had, or was given, under GB 11714. */
export function embeddedOrgCode(uscc: string): string {
  return uscc.slice(8, 17);
}

// Registration numbers outside the 15-digit GS 15-2006 form (13-digit and local formats) were
// numbered per bureau, not nationally: equal text need not mean one entity.
const REG_NO_15 = /^\d{15}$/;

/** What an old tax number gives to match on: the USCC it is since 2015, or the org code inside it. */
function readTaxNo(taxNo: string, warnings: string[]): { uscc?: string; orgCode?: string; residentId?: true } {
  const tax = checkTaxNo(taxNo);
  if (tax.kind === 'uscc') return { uscc: tax.value };
  if (tax.kind === 'division-org-code') return { orgCode: tax.orgCode! };
  if (tax.kind === 'resident-id') {
    warnings.push('the tax number holds a resident ID: not matched on, not kept (pass its hash as residentIdHash)');
    return { residentId: true };
  }
  warnings.push('the tax number is not valid: not matched on');
  return {};
}

/** The keys a record can be matched on, with every contradiction inside the record as a warning. */
export function recordKeys(evidence: Evidence): RecordKeys {
  const warnings: string[] = [];
  const identifiers: RecordIdentifier[] = [];
  let uscc = evidence.uscc;
  let org: MatchKey | undefined;

  if (evidence.taxNo !== undefined) {
    const tax = readTaxNo(evidence.taxNo, warnings);
    // An individual's tax number is their resident ID: it is never kept as an identifier in clear.
    if (!tax.residentId) identifiers.push({ kind: 'tax-no', value: evidence.taxNo });
    if (tax.uscc !== undefined && uscc !== undefined && tax.uscc !== uscc) {
      warnings.push('the tax number is a different USCC from the record\'s USCC: the USCC is used');
    }
    uscc ??= tax.uscc;
    if (tax.orgCode !== undefined) org = { kind: 'org-code', value: tax.orgCode, from: 'tax-no' };
  }
  if (evidence.orgCode !== undefined) {
    if (org !== undefined && org.value !== evidence.orgCode) {
      warnings.push('the tax number holds a different organisation code from the record\'s: the organisation code is used');
    }
    org = { kind: 'org-code', value: evidence.orgCode, from: 'org-code' };
  }

  const keys: MatchKey[] = [];
  let type = evidence.type;
  if (uscc !== undefined) {
    keys.push({ kind: 'uscc', value: uscc, from: 'uscc' });
    const embedded = embeddedOrgCode(uscc);
    if (org !== undefined && org.value !== embedded) {
      warnings.push(`the ${org.from === 'tax-no' ? 'tax number\'s ' : ''}organisation code differs from the one inside the USCC: the USCC's is used`);
    }
    // A USCC found through its org code is a legacy-code link, whichever field the code came in.
    org = { kind: 'org-code', value: embedded, from: 'org-code' };
    const usccType = usccEntityType(uscc);
    if (usccType !== undefined) {
      if (type !== undefined && type !== usccType) {
        warnings.push(`the record says ${type} but its USCC says ${usccType}: ${usccType} is used`);
      }
      type = usccType;
    }
  }
  if (uscc !== undefined) identifiers.push({ kind: 'uscc', value: uscc });
  if (org !== undefined) {
    keys.push(org);
    identifiers.push({ kind: 'org-code', value: org.value });
  }
  if (evidence.regNo !== undefined) {
    identifiers.push({ kind: 'reg-no', value: evidence.regNo });
    if (REG_NO_15.test(evidence.regNo)) keys.push({ kind: 'reg-no', value: evidence.regNo, from: 'reg-no' });
    else warnings.push('the registration number is not in the 15-digit national form: not matched on');
  }
  if (evidence.residentIdHash !== undefined) {
    keys.push({ kind: 'resident-id', value: evidence.residentIdHash, from: 'resident-id' });
    identifiers.push(evidence.residentIdMasked === undefined
      ? { kind: 'resident-id', value: evidence.residentIdHash }
      : { kind: 'resident-id', value: evidence.residentIdHash, masked: evidence.residentIdMasked });
  }

  const key = evidence.nameKey ?? (evidence.name === undefined ? undefined : keyOfName(evidence.name));
  const result: RecordKeys = { keys, identifiers, warnings };
  if (type !== undefined) result.type = type;
  if (evidence.name !== undefined || key !== undefined) result.name = evidence.name ?? key!;
  if (key !== undefined && key !== '') result.nameKey = key;
  return result;
}
