// `credit-etl catalog …`: validate, show, diff, export and import the collection catalogs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  countCatalog, diffCatalogs, exportCatalog, formatProblem, importCatalog, loadCatalog, readCatalog,
  renderCatalog, renderDiff, renderSubject, renderUnit, writeCatalogFolder, deliveringUnits, isFreshFolder,
} from '../catalog/index.js';
import { subjectSchema } from '../validate/schema.js';
import { err, json, out, UsageError, type Format } from './output.js';

const DEFAULT_CATALOG = 'v2';
const formatOption = () => new Option('--format <format>', 'output format').choices(['text', 'json']).default('text');
const catalogOption = () => new Option('--catalog <version|path>', 'catalog version (catalog/<version>) or a catalog folder').default(DEFAULT_CATALOG);

function validateCommand(): Command {
  return new Command('validate')
    .description('check a catalog: every file against schemas/catalog.schema.json, then every cross-reference')
    .addOption(catalogOption())
    .addHelpText('after', `
Checks, each reported with file, line and JSON pointer:
  schema      unknown keys, wrong types, codes that are not ^[A-Z][A-Z0-9_]*$, missing required keys
  references  a unit delivering an unknown subject, a subject no unit delivers, an unknown code
              table, a business key naming a missing item, a condition on a non-enum item or a
              label its code table lacks, an id_type_item that is not an enum
  clashes     duplicate codes (units, subjects, items, code tables), one header spelling (name or
              alias, compared after full-width/space normalisation) claimed by two items
  renames     renamed_from must name an item of the superseded version's subject

Exit status: 0 clean, 1 problems found (or the catalog could not be read).

Example:
  credit-etl catalog validate --catalog v2`)
    .action((opts: { catalog: string }) => {
      const started = performance.now();
      const reading = readCatalog(opts.catalog);
      const ms = Math.round(performance.now() - started);
      if (reading.problems.length > 0 || !reading.catalog) {
        err(reading.problems.map(formatProblem));
        err(`catalog ${opts.catalog} (${reading.dir}): ${reading.problems.length} problem(s)`);
        process.exitCode = 1;
        return;
      }
      const c = countCatalog(reading.catalog);
      out(`catalog ${reading.catalog.version.id} (${reading.dir}): valid — ${c.units} units, ${c.subjects} data subjects, ${c.items} data items; read and checked in ${ms} ms`);
    });
}

function showCommand(): Command {
  return new Command('show')
    .description('list a catalog: counts of units, data subjects and data items, then the units, one unit, or one subject')
    .addOption(catalogOption())
    .option('--unit <code>', 'one unit and the subjects it delivers')
    .option('--subject <code>', 'one data subject and its items')
    .addOption(formatOption())
    .addHelpText('after', `
Counts are of distinct definitions: a subject shared by many units (行政许可, 行政处罚) counts
once, and so do its items.

Examples:
  credit-etl catalog show                          # v2: counts, units, shared subjects
  credit-etl catalog show --unit SWJ               # what the tax bureau delivers
  credit-etl catalog show --subject XZCF           # the 行政处罚 items, types and rules
  credit-etl catalog show --catalog v1 --format json > v1.json`)
    .action((opts: { catalog: string; unit?: string; subject?: string; format: Format }) => {
      const catalog = loadCatalog(opts.catalog);
      if (opts.subject !== undefined) {
        const subject = catalog.subjects.find((s) => s.code === opts.subject);
        if (!subject) throw new UsageError(`catalog ${catalog.version.id} has no data subject ${opts.subject} (see: credit-etl catalog show --catalog ${opts.catalog})`);
        const units = (deliveringUnits(catalog).get(subject.code) ?? []).map((u) => u.code);
        if (opts.format === 'json') json({ catalog: catalog.version.id, subject, deliveredBy: units });
        else out(renderSubject(catalog, subject));
        return;
      }
      if (opts.unit !== undefined) {
        const unit = catalog.units.find((u) => u.code === opts.unit);
        if (!unit) throw new UsageError(`catalog ${catalog.version.id} has no unit ${opts.unit} (units: ${catalog.units.map((u) => u.code).join(' ')})`);
        if (opts.format === 'json') json({ catalog: catalog.version.id, unit, subjects: catalog.subjects.filter((s) => unit.delivers.includes(s.code)) });
        else out(renderUnit(catalog, unit));
        return;
      }
      if (opts.format === 'json') json({ counts: countCatalog(catalog), ...catalog });
      else out(renderCatalog(catalog));
    });
}

function diffCommand(): Command {
  return new Command('diff')
    .description('what changed between two catalog versions, each change classified for a warehouse holding the older data')
    .argument('<from>', 'older version or folder, e.g. v1')
    .argument('<to>', 'newer version or folder, e.g. v2')
    .addOption(formatOption())
    .addHelpText('after', `
Units, subjects and items are matched by code, and across versions through renamed_from.
compatible: the warehouse can follow without touching stored rows (new subject or item, a rename,
            a wider type or length, a changed required rule or openness level).
breaking:   stored data would be lost or rejected (a removed subject or item, a narrower type,
            length, precision or scale). A warehouse migration stops on these unless told otherwise.

Examples:
  credit-etl catalog diff v1 v2
  credit-etl catalog diff v1 v2 --format json | jq '.changes[] | select(.compatibility=="breaking")'`)
    .action((from: string, to: string, opts: { format: Format }) => {
      const diff = diffCatalogs(loadCatalog(from), loadCatalog(to));
      if (opts.format === 'json') json(diff);
      else out(renderDiff(diff));
    });
}

function schemasCommand(): Command {
  return new Command('schemas')
    .description('write the JSON Schema each data subject\'s cleansed records are validated against, one file per subject')
    .addOption(catalogOption())
    .option('--subject <code>', 'only this data subject')
    .requiredOption('--out <dir>', 'folder to write <SUBJECT>.schema.json into')
    .addHelpText('after', `
The schemas are generated from the catalog (types, lengths, patterns, code tables, required
items, and conditional rules such as 法定代表人 required for 法人及非法人组织) and are exactly what
the validate stage compiles with ajv.

Example:
  credit-etl catalog schemas --subject XZCF --out /tmp/schemas && less /tmp/schemas/XZCF.schema.json`)
    .action((opts: { catalog: string; subject?: string; out: string }) => {
      const catalog = loadCatalog(opts.catalog);
      const subjects = opts.subject === undefined ? catalog.subjects : catalog.subjects.filter((s) => s.code === opts.subject);
      if (subjects.length === 0) throw new UsageError(`catalog ${catalog.version.id} has no data subject ${opts.subject}`);
      const dir = resolve(opts.out);
      mkdirSync(dir, { recursive: true });
      for (const s of subjects) writeFileSync(join(dir, `${s.code}.schema.json`), JSON.stringify(subjectSchema(s, catalog).schema, null, 2) + '\n');
      out(`wrote ${subjects.length} schema(s) of catalog ${catalog.version.id} to ${dir}`);
    });
}

function exportCommand(): Command {
  return new Command('export')
    .description('write a catalog as the spreadsheet the credit centre publishes (one row per data item)')
    .addOption(catalogOption())
    .requiredOption('--out <file.xlsx>', 'the workbook to write')
    .addHelpText('after', `
Sheets: 目录信息 (the version), 报送单位 (units and what they deliver), 数据主题 (subjects),
数据项 (one row per item: unit, subject, code, name, type, length, required, openness, aliases, …),
代码表 (code tables). Lists inside a cell (aliases, subject codes) are one per line.

Example:
  credit-etl catalog export --catalog v2 --out 信息资源目录-v2.xlsx`)
    .action((opts: { catalog: string; out: string }) => {
      const catalog = loadCatalog(opts.catalog);
      exportCatalog(catalog, resolve(opts.out));
      const c = countCatalog(catalog);
      out(`wrote ${opts.out}: catalog ${catalog.version.id}, ${c.units} units, ${c.subjects} data subjects, ${c.items} data items`);
    });
}

function importCommand(): Command {
  return new Command('import')
    .description('read a published catalog spreadsheet into a new catalog version folder')
    .argument('<file.xlsx>', 'a workbook laid out as `catalog export` writes it')
    .requiredOption('--as <version>', 'the version id to give it, e.g. v3')
    .option('--out <dir>', 'folder to write (default: catalog/<version>); must not exist or be empty')
    .addHelpText('after', `
Every problem is reported by sheet, row and column (e.g. "sheet 数据项 row 57 column F (类型)"),
then the imported catalog passes the same checks as \`catalog validate\`. Nothing is written unless
the whole workbook is clean, and an existing version is never overwritten.

Exit status: 0 written, 1 problems found.

Example:
  credit-etl catalog import 信息资源目录-2025.xlsx --as v3 && credit-etl catalog diff v2 v3`)
    .action((file: string, opts: { as: string; out?: string }) => {
      const dir = resolve(opts.out ?? `catalog/${opts.as}`);
      if (!isFreshFolder(dir)) throw new UsageError(`${dir} already exists and is not empty; a published version is never overwritten (choose another --out)`);
      const result = importCatalog(resolve(file), opts.as);
      if (!result.catalog) {
        err(result.problems.map(formatProblem));
        err(`${file}: ${result.problems.length} problem(s); nothing written`);
        process.exitCode = 1;
        return;
      }
      const written = writeCatalogFolder(result.catalog, dir);
      const c = countCatalog(result.catalog);
      out(`imported ${file} as ${opts.as} into ${dir} (${written.length} files): ${c.units} units, ${c.subjects} data subjects, ${c.items} data items`);
    });
}

export function catalogCommand(): Command {
  return new Command('catalog')
    .description('the versioned collection catalogs: what each unit must deliver')
    .addCommand(validateCommand())
    .addCommand(showCommand())
    .addCommand(diffCommand())
    .addCommand(schemasCommand())
    .addCommand(exportCommand())
    .addCommand(importCommand());
}
