// Catalog problems carry a stable code plus the file and JSON pointer (and line, where known),
// so `catalog validate` can point an editor at the exact spot.

export type CatalogProblemCode =
  | 'catalog/missing'
  | 'catalog/parse'
  | 'catalog/schema'
  | 'catalog/version'
  | 'catalog/duplicate-code'
  | 'catalog/unknown-subject'
  | 'catalog/undelivered-subject'
  | 'catalog/unknown-code-table'
  | 'catalog/unknown-item'
  | 'catalog/business-key'
  | 'catalog/alias-clash'
  | 'catalog/condition'
  | 'catalog/identity'
  | 'catalog/personal'
  | 'catalog/pattern'
  | 'catalog/decimal'
  | 'catalog/renamed-from';

export interface Location {
  file: string;
  pointer: string;
  line?: number;
}

export interface CatalogProblem extends Location {
  code: CatalogProblemCode;
  message: string;
}

export function formatProblem(p: CatalogProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  return `${where} ${p.pointer || '/'}: ${p.message} [${p.code}]`;
}

export class CatalogError extends Error {
  constructor(
    readonly catalogRef: string,
    readonly problems: CatalogProblem[],
  ) {
    const head = problems.slice(0, 5).map(formatProblem).join('\n  ');
    const more = problems.length > 5 ? `\n  … and ${problems.length - 5} more (run: credit-etl catalog validate --catalog ${catalogRef})` : '';
    super(`catalog ${catalogRef} has ${problems.length} problem(s):\n  ${head}${more}`);
    this.name = 'CatalogError';
  }
}

/** JSON pointer from path segments (RFC 6901 escaping). */
export function pointer(path: readonly (string | number)[]): string {
  return path.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
