// Reads the files of one catalog folder and checks each against schemas/catalog.schema.json,
// keeping enough of the YAML document to turn a JSON pointer back into a line number.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { packagePath } from '../paths.js';
import { pointer, type CatalogProblem, type Location } from './problems.js';

export interface RawCondition { when: string; in: string[] }
export interface RawItem {
  code: string; name: string; type: string; aliases?: string[]; description?: string;
  length?: number; precision?: number; scale?: number; unit?: string; code_table?: string;
  multiple?: boolean; id_type_item?: string; pattern?: string; required?: boolean | RawCondition;
  empty_when?: RawCondition; openness?: string; personal?: boolean; identity?: string; renamed_from?: string;
}
export interface RawSubject {
  code: string; name: string; area?: string; description?: string; entity_types: string[];
  business_key: string[]; frequency: string; deadline: string; openness?: string;
  renamed_from?: string; withdrawn_when?: RawCondition; items: RawItem[];
}
export interface RawUnit { code: string; name: string; uscc: string; division: string; delivers: string[] }
export interface RawCodeTable { code: string; name: string; entries: { code: string; label: string; aliases?: string[] }[] }
export interface RawVersion {
  id: string; title: string; effective: string; supersedes?: string | null; publisher?: string; division?: string;
}
export interface RawCatalogFile {
  catalog?: RawVersion;
  code_tables?: RawCodeTable[];
  units?: RawUnit[];
  subjects?: RawSubject[];
}

/** One parsed, schema-valid catalog file and a way to locate any of its values. */
export interface CatalogFile {
  path: string;
  data: RawCatalogFile;
  locate(path: readonly (string | number)[]): Location;
}

let schemaValidator: ValidateFunction<RawCatalogFile> | undefined;
function validator(): ValidateFunction<RawCatalogFile> {
  if (!schemaValidator) {
    const schema = JSON.parse(readFileSync(packagePath('schemas', 'catalog.schema.json'), 'utf8')) as object;
    schemaValidator = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true }).compile<RawCatalogFile>(schema);
  }
  return schemaValidator;
}

const CATALOG_FILE = /\.(ya?ml|json)$/i;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else if (CATALOG_FILE.test(name)) out.push(full);
  }
  return out;
}

function locator(doc: Document, lines: LineCounter, file: string) {
  return (path: readonly (string | number)[]): Location => {
    // Walk up to the nearest node that exists, so a missing key points at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) {
        return { file, pointer: pointer(path), line: lines.linePos(node.range[0]).line };
      }
    }
    return { file, pointer: pointer(path) };
  };
}

function schemaProblem(e: ErrorObject, locate: CatalogFile['locate']): CatalogProblem {
  const path = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const segments = path.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') message = `unknown key "${String(e.params['additionalProperty'])}"`;
  if (e.keyword === 'type' && e.params['type'] === 'string') message = 'must be text: quote it (YAML reads bare digits as a number and drops precision)';
  if (e.keyword === 'pattern') {
    const about = (e.parentSchema as { description?: string } | undefined)?.description;
    message = `"${String(e.data)}" does not match ${String(e.params['pattern'])}${about ? ` (${about})` : ''}`;
  }
  if (e.keyword === 'enum') message = `must be one of ${(e.params['allowedValues'] as unknown[]).join(', ')}`;
  return { code: 'catalog/schema', ...locate(segments), message };
}

/** Problems of one catalog file against schemas/catalog.schema.json; none means `data` is a RawCatalogFile. */
export function schemaProblems(data: unknown, locate: CatalogFile['locate']): CatalogProblem[] {
  const validate = validator();
  if (validate(data)) return [];
  // `if` only says a `then` failed; the `then` error itself is the useful one.
  return (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => schemaProblem(e, locate));
}

/** Reads every catalog file below `dir`; files that fail to parse or fail the schema become problems. */
export function readCatalogFiles(dir: string, displayRoot: string): { files: CatalogFile[]; problems: CatalogProblem[] } {
  const files: CatalogFile[] = [];
  const problems: CatalogProblem[] = [];
  for (const full of listFiles(dir)) {
    const file = relative(displayRoot, full) || full;
    const lines = new LineCounter();
    const doc = parseDocument(readFileSync(full, 'utf8'), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const line = lines.linePos(err.pos[0]).line;
        problems.push({ code: 'catalog/parse', file, pointer: '', line, message: err.message.split('\n')[0] ?? err.message });
      }
      continue;
    }
    const data: unknown = doc.toJS();
    const locate = locator(doc, lines, file);
    const found = schemaProblems(data, locate);
    if (found.length > 0) problems.push(...found);
    else files.push({ path: file, data: data as RawCatalogFile, locate });
  }
  return { files, problems };
}
