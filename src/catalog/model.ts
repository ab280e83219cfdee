// The collection catalog as the rest of the pipeline sees it: every default resolved, so a
// consumer never has to know which file or which shorthand a value came from.

export const ENTITY_TYPES = ['org', 'individual-business', 'person', 'institution', 'social-org'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const OPENNESS_LEVELS = ['public', 'authorised', 'government'] as const;
export type Openness = (typeof OPENNESS_LEVELS)[number];

export const FREQUENCIES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const ITEM_TYPES = [
  'string', 'integer', 'decimal', 'date', 'datetime', 'enum',
  'uscc', 'org-code', 'reg-no', 'tax-no', 'resident-id', 'id-number', 'phone',
] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

export const IDENTITY_ROLES = [
  'entity-name', 'entity-type', 'uscc', 'org-code', 'reg-no', 'tax-no',
  'institution-cert-no', 'social-org-cert-no', 'id-type', 'id-number',
  'legal-rep', 'legal-rep-id-type', 'legal-rep-id-number',
] as const;
export type IdentityRole = (typeof IDENTITY_ROLES)[number];

/** An item is required (or must be empty) when another, enum-typed item holds one of these labels. */
export interface Condition {
  when: string;
  in: string[];
}

export type Requirement = boolean | Condition;

export interface CodeTableEntry {
  code: string;
  label: string;
  aliases: string[];
}

export interface CodeTable {
  code: string;
  name: string;
  entries: CodeTableEntry[];
}

export interface DataItem {
  code: string;
  name: string;
  aliases: string[];
  description?: string;
  type: ItemType;
  length?: number;
  precision?: number;
  scale?: number;
  unit?: string;
  codeTable?: string;
  multiple: boolean;
  idTypeItem?: string;
  pattern?: string;
  required: Requirement;
  emptyWhen?: Condition;
  openness: Openness;
  personal: boolean;
  identity?: IdentityRole;
  renamedFrom?: string;
}

export interface DataSubject {
  code: string;
  name: string;
  area?: string;
  description?: string;
  entityTypes: EntityType[];
  businessKey: string[];
  frequency: Frequency;
  /** `T+1`, `M+5`, …: days allowed after the period (day, week, month, quarter, year) closes. */
  deadline: string;
  renamedFrom?: string;
  /** A record is withdrawn or revoked by its unit when this holds (当前状态 is 无效): the warehouse
   * closes it, never deletes it. */
  withdrawnWhen?: Condition;
  items: DataItem[];
}

export interface Unit {
  code: string;
  name: string;
  uscc: string;
  division: string;
  /** Codes of the data subjects this unit must deliver, its own and the shared ones it adopts. */
  delivers: string[];
}

export interface CatalogVersion {
  id: string;
  title: string;
  effective: string;
  supersedes: string | null;
  publisher?: string;
  division?: string;
}

export interface Catalog {
  version: CatalogVersion;
  codeTables: CodeTable[];
  units: Unit[];
  subjects: DataSubject[];
}

export interface CatalogCounts {
  units: number;
  subjects: number;
  items: number;
}

/** Distinct definitions: a shared subject adopted by many units counts once, and so do its items. */
export function countCatalog(catalog: Catalog): CatalogCounts {
  return {
    units: catalog.units.length,
    subjects: catalog.subjects.length,
    items: catalog.subjects.reduce((n, s) => n + s.items.length, 0),
  };
}

/** Units that deliver each subject, by subject code. */
export function deliveringUnits(catalog: Catalog): Map<string, Unit[]> {
  const byCode = new Map<string, Unit[]>(catalog.subjects.map((s) => [s.code, []]));
  for (const unit of catalog.units) {
    for (const code of unit.delivers) byCode.get(code)?.push(unit);
  }
  return byCode;
}
