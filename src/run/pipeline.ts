// A pipeline: the declarative job a run carries out (schemas/pipeline.schema.json). Named ones live
// in pipelines/<name>.json (or .yaml) of the working folder, then of the package; a path names a
// file. Its relative folders are taken from the working folder, so one pipeline serves any checkout.
import { existsSync, readFileSync } from 'node:fs';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import type { Frequency } from '../catalog/index.js';
import { packagePath } from '../paths.js';
import type { DatabaseSourceSpec } from '../read/index.js';

export interface FileRule {
  unit?: string;
  pattern: string;
  sheet?: string;
  subject: string;
}

export interface SourceRule extends DatabaseSourceSpec {
  unit: string;
  subject?: string;
}

export interface Pipeline {
  name: string;
  description?: string;
  catalog: string;
  warehouse?: string;
  idKeyFile?: string;
  folders: { inbox: string; archive: string; quarantine: string; logs?: string; reports: string; receipts: string };
  units: 'all' | string[];
  files: FileRule[];
  errorLimits: { maxRejectedRows?: number; maxRejectedPercent?: number };
  concurrency?: number;
  /** Per update frequency, where the centre sets a deadline other than the catalog's. */
  deadlines: Partial<Record<Frequency, string>>;
  sources: SourceRule[];
  schedule?: { cron: string; timezone: string };
  /** The file it was read from. */
  source: string;
}

export class PipelineError extends Error {
  override name = 'PipelineError';
}

type Folders = Pipeline['folders'];
type RawPipeline = Omit<Pipeline, 'source' | 'units' | 'files' | 'errorLimits' | 'deadlines' | 'sources' | 'folders'> &
  Partial<Pick<Pipeline, 'units' | 'files' | 'errorLimits' | 'deadlines' | 'sources'>> &
  { folders: Omit<Folders, 'reports' | 'receipts'> & Partial<Pick<Folders, 'reports' | 'receipts'>> };

let validator: ValidateFunction<RawPipeline> | undefined;
function validate(): ValidateFunction<RawPipeline> {
  validator ??= new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile<RawPipeline>(JSON.parse(readFileSync(packagePath('schemas', 'pipeline.schema.json'), 'utf8')) as object);
  return validator;
}

const EXTENSIONS = ['.json', '.yaml', '.yml'];

/** Where a pipeline reference points: a file path, else pipelines/<name>.* in the working folder, then the package. */
export function pipelinePath(ref: string, cwd = process.cwd()): string {
  if (EXTENSIONS.includes(extname(ref)) || ref.includes('/')) {
    const path = resolve(cwd, ref);
    if (!existsSync(path)) throw new PipelineError(`pipeline file ${ref} does not exist`);
    return path;
  }
  for (const root of [join(cwd, 'pipelines'), packagePath('pipelines')]) {
    for (const ext of EXTENSIONS) {
      const path = join(root, `${ref}${ext}`);
      if (existsSync(path)) return path;
    }
  }
  throw new PipelineError(`no pipeline "${ref}": looked for pipelines/${ref}.json, .yaml and .yml in ${cwd} and in the package`);
}

function problem(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the pipeline' : e.instancePath.slice(1).replaceAll('/', '.');
  if (e.keyword === 'additionalProperties') return `${where} has an unknown property "${String(e.params['additionalProperty'])}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/** Reads and checks a pipeline; every problem is named with its place in the file. */
export function loadPipeline(ref: string, cwd = process.cwd()): Pipeline {
  const source = pipelinePath(ref, cwd);
  let data: unknown;
  try {
    const text = readFileSync(source, 'utf8');
    data = extname(source) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new PipelineError(`pipeline ${source} cannot be parsed: ${e instanceof Error ? e.message : String(e)}`);
  }
  const check = validate();
  if (!check(data)) {
    const problems = [...new Set((check.errors ?? []).map(problem))];
    throw new PipelineError(`pipeline ${source} does not follow schemas/pipeline.schema.json:\n  ${problems.join('\n  ')}`);
  }
  const folder = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const p = data;
  return {
    ...p,
    ...(p.warehouse !== undefined && { warehouse: /^[a-z]+:\/\//.test(p.warehouse) ? p.warehouse : folder(p.warehouse) }),
    ...(p.idKeyFile !== undefined && { idKeyFile: folder(p.idKeyFile) }),
    folders: {
      inbox: folder(p.folders.inbox), archive: folder(p.folders.archive), quarantine: folder(p.folders.quarantine),
      ...(p.folders.logs !== undefined && { logs: folder(p.folders.logs) }),
      reports: folder(p.folders.reports ?? 'reports'), receipts: folder(p.folders.receipts ?? 'receipts'),
    },
    units: p.units ?? 'all',
    files: p.files ?? [],
    errorLimits: p.errorLimits ?? {},
    deadlines: p.deadlines ?? {},
    sources: p.sources ?? [],
    ...(p.schedule && { schedule: { cron: p.schedule.cron, timezone: p.schedule.timezone ?? 'Asia/Shanghai' } }),
    source,
  };
}

/** `*` and `?` against a whole name, ignoring case. */
export function matchesPattern(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.')}$`, 'iu');
  return re.test(name);
}

/** The subject the pipeline's rules give a unit's file (or one of its sheets), if any. */
export function subjectByRules(rules: readonly FileRule[], unit: string, file: string, sheet: string): string | undefined {
  for (const r of rules) {
    if (r.unit !== undefined && r.unit !== unit) continue;
    if (!matchesPattern(r.pattern, file)) continue;
    if (r.sheet !== undefined && !matchesPattern(r.sheet, sheet)) continue;
    return r.subject;
  }
  return undefined;
}
