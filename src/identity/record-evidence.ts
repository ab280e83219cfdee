// What a checked record of a data subject says about its entity, read through the catalog's
// identity roles (主体名称, 主体类别, the codes, 证件类型 and 证件号码). Only the subject's own
// identifiers count: a legal representative's ID would link a company to a person.
import { ENTITY_TYPE_LABELS, type DataSubject, type EntityType, type IdentityRole } from '../catalog/index.js';
import type { CleanRecord } from '../validate/index.js';
import type { Evidence } from './evidence.js';
import { hashResidentId, IdKeyError, KEY_ENV, KEY_FILE_ENV } from './id-key.js';

const TYPE_OF_LABEL = new Map(Object.entries(ENTITY_TYPE_LABELS).map(([type, label]) => [label, type as EntityType]));
const RESIDENT_ID = /^(\d{17}[\dX]|\d{15})$/;
// 证件类型 labels under which 证件号码 is a resident ID (the ZJLX code table's label and its old spellings).
const RESIDENT_ID_TYPES = new Set(['身份证', '居民身份证']);

const CODE_ROLES = [['uscc', 'uscc'], ['org-code', 'orgCode'], ['reg-no', 'regNo'], ['tax-no', 'taxNo']] as const satisfies readonly [IdentityRole, keyof Evidence][];

export type EvidenceReader = (record: CleanRecord) => Evidence;

/**
 * The reader of one subject's records, or undefined when the subject names no entity (no name and
 * no code among its items). `idKey` hashes resident IDs; a record holding one without a key is an error.
 */
export function evidenceReader(subject: DataSubject, idKey: Buffer | undefined): EvidenceReader | undefined {
  const role = (r: IdentityRole): string | undefined => subject.items.find((i) => i.identity === r)?.code;
  const name = role('entity-name');
  const type = role('entity-type');
  const codes = CODE_ROLES.flatMap(([r, field]) => {
    const code = role(r);
    return code === undefined ? [] : [[code, field] as const];
  });
  const idNumber = role('id-number');
  const idType = role('id-type');
  if (name === undefined && codes.length === 0 && idNumber === undefined) return undefined;
  // A subject about one kind of entity only (公积金 loans: people) says the type without an item for it.
  const onlyType = subject.entityTypes.length === 1 ? subject.entityTypes[0] : undefined;

  return (record) => {
    const evidence: Evidence = {};
    if (name !== undefined) {
      const v = record[name];
      if (typeof v === 'string') evidence.name = v;
    }
    if (type !== undefined) {
      const t = TYPE_OF_LABEL.get(String(record[type] ?? ''));
      if (t !== undefined) evidence.type = t;
    } else if (onlyType !== undefined) evidence.type = onlyType;
    for (const [code, field] of codes) {
      const v = record[code];
      if (typeof v === 'string') evidence[field] = v;
    }
    if (idNumber !== undefined) {
      const v = record[idNumber];
      const kind = idType === undefined ? undefined : record[idType];
      if (typeof v === 'string' && RESIDENT_ID.test(v) && (kind === undefined || RESIDENT_ID_TYPES.has(String(kind)))) {
        if (idKey === undefined) {
          throw new IdKeyError(`${subject.code} records carry resident IDs, and no key to hash them with was given: set ${KEY_ENV} or ${KEY_FILE_ENV}`);
        }
        const hashed = hashResidentId(idKey, v);
        evidence.residentIdHash = hashed.hash;
        evidence.residentIdMasked = hashed.masked;
      }
    }
    return evidence;
  };
}

/** Whether any subject of these can carry a resident ID to match on: then the run needs the key. */
export function needsIdKey(subjects: readonly DataSubject[]): boolean {
  return subjects.some((s) => s.items.some((i) => i.identity === 'id-number'));
}
