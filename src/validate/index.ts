// The validate stage: rows cleansed item by item and checked against rules compiled from the
// catalog; identifier checks; per-file duplicate keys and error limits.
export { compileCatalog, compileSubject, recordChecker, shown, type CheckedRow, type Repair, type SubjectRules } from './record.js';
export { FileCheck, type ErrorLimits, type FileCheckSummary } from './file-check.js';
export { subjectSchema, MULTI_SEPARATOR, type JsonSchema, type ConditionalRule, type RuleGroup } from './schema.js';
export type { CleanValue } from './item-cleaner.js';
export * from './identifiers/index.js';
export type { CleanRecord } from './record-shape.js';
