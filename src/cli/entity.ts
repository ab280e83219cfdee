// `credit-etl entity show KEY`: one entity's consolidated record across every data subject, found
// by any code it is known by or its exact name, masked for the role asking.
import { Command, Option } from 'commander';
import { ENTITY_TYPE_LABELS, OPENNESS_LABELS, OPENNESS_LEVELS, type Openness } from '../catalog/index.js';
import { loadIdKey } from '../identity/id-key.js';
import { entityRecord, findEntities, isResidentId, readKey, shownKey, type EntityRecord, type EntitySummary, type FileSighting } from '../warehouse/entities.js';
import { WarehouseError } from '../warehouse/connect.js';
import { schemaState } from '../warehouse/schema.js';
import { EXIT, json, out, type Format } from './output.js';
import { warehouseOption, withCatalogWarehouse } from './warehouse-option.js';

/** The most entities one key is looked up as (a common name); the rest are not listed. */
const CANDIDATES = 50;

const typeLabel = (t: EntitySummary['type']): string => (t === null ? '类别不明' : ENTITY_TYPE_LABELS[t]);
const when = (s: FileSighting): string => `${s.file} row ${s.row} (${s.unit}, ${s.at.slice(0, 10)})`;

function summaryLine(e: EntitySummary): string {
  return `entity ${e.id} · ${typeLabel(e.type)} · ${e.name ?? '(name withheld)'}${e.uscc ? ` · ${e.uscc}` : ''}`;
}

function render(e: EntityRecord): string[] {
  const lines = [summaryLine(e)];
  if (e.formerNames.length > 0) lines.push(`  former names: ${e.formerNames.join('; ')}`);
  if (e.alsoKnownAs.length > 0) lines.push(`  also holds the records of: ${e.alsoKnownAs.map((n) => `entity ${n}`).join(', ')} (merged into it, or name-only records that resolve to it)`);
  lines.push('  identifiers:');
  for (const i of e.identifiers) lines.push(`    ${i.kind.padEnd(12)} ${i.value}  first seen ${when(i.first)}, last seen ${when(i.last)}`);
  if (e.identifiers.length === 0) lines.push('    none: known by its name only');
  const shownItems = `${OPENNESS_LABELS[e.role]} and more open items`;
  const withheld = [e.hidden > 0 && `${e.hidden} item(s) withheld`, e.withheld > 0 && `${e.withheld} record(s) of subjects with nothing open to this role withheld`].filter(Boolean);
  lines.push('', `records: ${e.records.length} (role ${e.role}: ${shownItems}${withheld.length > 0 ? `; ${withheld.join('; ')}` : ''})`);
  let subject = '';
  for (const r of e.records) {
    if (r.subject !== subject) {
      subject = r.subject;
      lines.push(`  ${r.subject} ${r.subjectName}`);
    }
    const state = r.withdrawn ? 'withdrawn' : r.validTo === null ? 'in force' : `superseded ${r.validTo.slice(0, 10)}`;
    const link = r.rule === null ? 'not linked' : r.rule === 'new' ? 'created an entity when loaded' : `linked by ${r.rule} ${r.evidence ?? ''}`.trim();
    lines.push(`    #${r.id} ${state} · ${r.unit} ${r.file} row ${r.row} · loaded ${r.validFrom.slice(0, 10)} · ${link}${r.linkedTo !== null ? ` (to entity ${r.linkedTo})` : ''}`);
    for (const v of r.values) lines.push(`      ${v.name}: ${v.value}`);
  }
  return lines;
}

function showCommand(): Command {
  return new Command('show')
    .description('one entity\'s consolidated record: every record about it across all data subjects, with source and link')
    .argument('<key>', 'a USCC, an organisation code, an old tax number, a registration number, a resident ID, or the exact name')
    .addOption(new Option('--role <role>', 'who is asking: public sees only 公开 items, authorised adds 授权查询, government all').choices([...OPENNESS_LEVELS]).default('public'))
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(warehouseOption())
    .addHelpText('after', `
The key is read as every identifier it passes the check of (a 15-digit number can be both a
registration number and an old resident ID), else as a name, compared as the matcher compares
names (full-width brackets and letters count as half-width). Merged entities lead to the one
they were merged into. A resident ID is looked up by its keyed hash: set CREDIT_ETL_ID_KEY or
CREDIT_ETL_ID_KEY_FILE to the warehouse's key. Nobody sees a resident ID or a phone in clear.

Each record shows its data subject, source unit, file and row, when it was loaded, whether it is
in force, and the rule that linked it to the entity (uscc, org-code, tax-no, reg-no, resident-id,
name; "created an entity" when no entity was known by it then).

Exit status: 0 one entity shown; 2 none found, or several (their list is shown: look one up by a
code); 1 the warehouse or the key could not be used.

Examples:
  credit-etl entity show 91441302MA5X00011X
  credit-etl entity show 惠州市鸿达五金有限公司 --role government --format json`)
    .action(async (key: string, opts: { role: Openness; format: Format; warehouse?: string }) => {
      const readings = readKey(key, isResidentId(key) ? () => loadIdKey() : undefined);
      await withCatalogWarehouse(opts.warehouse, async (wh, catalog) => {
        const { schemaVersion } = await schemaState(wh.knex);
        if ((schemaVersion ?? 0) < 2) {
          throw new WarehouseError(`the warehouse ${wh.shown} was built by an older credit-etl (schema ${schemaVersion ?? '?'}) and links no entities yet: \`credit-etl run\` or \`warehouse init\` brings it up to date`);
        }
        // An entity the role may see no record of is, for that role, not there.
        const records: EntityRecord[] = [];
        for (const e of (await findEntities(wh, readings)).slice(0, CANDIDATES)) {
          const r = await entityRecord(wh, catalog, e.id, opts.role);
          if (r.records.length > 0 || opts.role === 'government') records.push(r);
        }
        const found: EntitySummary[] = records;
        if (found.length !== 1) {
          process.exitCode = EXIT.finding;
          const what = readings.map((r) => `${r.kind} ${r.shown}`).join(' or ') || shownKey(key);
          if (opts.format === 'json') json({ key: what, found: found.map(({ id, type, name, uscc }) => ({ id, type, name, uscc })) });
          else if (found.length === 0) out(`no entity is known by ${what}`);
          else out([`${found.length} entities are known by ${what}: look one up by a code`, ...found.map((e) => `  ${summaryLine(e)}`)]);
          return;
        }
        const record = records[0]!;
        if (opts.format === 'json') json(record);
        else out(render(record));
      });
    });
}

export function entityCommand(): Command {
  return new Command('entity')
    .description('look up the credit entities (enterprises, individual businesses, people) the warehouse links records to')
    .addCommand(showCommand());
}
