// The warehouse's table and column names. Data subjects and items keep their catalog codes, lower
// case (analysts type them in SQL: xzcf.cf_wsh); the toolkit's own tables start with etl_, which
// no subject code may (the catalog check refuses it), so the two can never meet.
import type { DataItem, DataSubject } from '../catalog/index.js';

export const SYSTEM_PREFIX = 'etl_';

export const T = {
  meta: 'etl_meta',
  batches: 'etl_batches',
  files: 'etl_files',
  ledger: 'etl_ledger',
  repairs: 'etl_repairs',
  audit: 'etl_audit',
  auditHead: 'etl_audit_head',
  locks: 'etl_locks',
  /** One row per data subject, locked (SELECT … FOR UPDATE) by a load for its transaction. */
  subjectLocks: 'etl_subject_locks',
  /** The entity registry: one row per entity id ever issued (merged ones forward). */
  entities: 'etl_entities',
  entityNames: 'etl_entity_names',
  identifiers: 'etl_identifiers',
  merges: 'etl_entity_merges',
  conflicts: 'etl_entity_conflicts',
  /** Deliveries owed by a deadline that did not come. */
  missing: 'etl_missing',
} as const;

/** etl_meta's count of registry saves: a process whose registry is older rebuilds it (src/warehouse/registry.ts). */
export const REGISTRY_VERSION = 'registry_version';

/** Columns every data-subject table has besides its items: lineage, history and the record's identity. */
export const L = {
  /** The record version's id: what the ledger and the audit point to. */
  id: '_id',
  /** sha256 of the business key's values: finds the versions of one record. */
  key: '_key',
  /** sha256 of every item's value: same hash, same record (unchanged). */
  hash: '_hash',
  entity: '_entity_id',
  /** The matching tier that linked the record to its entity (uscc, org-code, tax-no, reg-no, resident-id, name) or `new`. */
  linkRule: '_link_rule',
  /** The value it was linked on, as a person may see it (a resident ID masked). */
  linkEvidence: '_link_evidence',
  batch: '_batch_id',
  file: '_file_id',
  row: '_source_row',
  /** The sheet (table) of a workbook the row came from; null for one-table files. */
  sheet: '_source_sheet',
  unit: '_unit',
  /** The source row's ledger outcome: loaded (a new key) or updated (a new version of a key). */
  change: '_change',
  /** 1 when the unit withdrew or revoked the record with this row: the version is closed at once. */
  withdrawn: '_withdrawn',
  validFrom: '_valid_from',
  validTo: '_valid_to',
  /** The file whose row closed this version. */
  closedBy: '_closed_by_file',
} as const;

export const subjectTable = (subject: DataSubject | string): string => (typeof subject === 'string' ? subject : subject.code).toLowerCase();
export const itemColumn = (item: DataItem | string): string => (typeof item === 'string' ? item : item.code).toLowerCase();
