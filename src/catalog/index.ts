// The collection catalog: the shared kernel every stage reads (units, data subjects, data items).
export * from './model.js';
export { readCatalog, loadCatalog, resolveCatalogDir, availableVersions, type CatalogReading } from './load.js';
export { CatalogError, formatProblem, type CatalogProblem, type CatalogProblemCode } from './problems.js';
export { diffCatalogs, STORAGE, type CatalogDiff, type CatalogChange, type Storage } from './diff.js';
export { renderCatalog, renderDiff, renderSubject, renderUnit } from './render.js';
export { exportCatalog, importCatalog, catalogWorkbook, type ImportResult } from './workbook.js';
export { isFreshFolder, writeCatalogFolder } from './write.js';
export { headerKey } from './header-key.js';
export { entryKeys } from './semantics.js';
export * from './labels.js';
