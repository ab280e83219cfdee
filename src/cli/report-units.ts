// `credit-etl report units`: the unit scorecard — each unit's timeliness, completeness, accuracy
// and identifiability over a range of nights, scored and ranked (src/report/scorecard.ts).
import { Command, Option } from 'commander';
import { loadCatalog } from '../catalog/index.js';
import { DEFAULT_NIGHTS, renderScorecard, ScorecardError, unitScorecard, WEIGHTS } from '../report/scorecard.js';
import { today } from '../run/deadlines.js';
import { WarehouseError } from '../warehouse/connect.js';
import { schemaState } from '../warehouse/schema.js';
import { json, out, UsageError } from './output.js';
import { pipelineOption, warehouseOption, withCatalogWarehouse } from './warehouse-option.js';

const FORMATS = ['text', 'md', 'csv', 'json'] as const;

interface UnitsFlags {
  from?: string;
  to?: string;
  format: (typeof FORMATS)[number];
  catalog?: string;
  pipeline: string;
  warehouse?: string;
}

export function reportUnitsCommand(): Command {
  return new Command('units')
    .description('the unit scorecard: how well each unit reported over a range of nights — timeliness, completeness, accuracy, identifiability — scored 0–100 and ranked')
    .option('--from <YYYY-MM-DD>', `the first night of the range (default: the ${DEFAULT_NIGHTS} nights ending on --to, from the first night anything was delivered if that is later)`)
    .option('--to <YYYY-MM-DD>', 'the last night of the range (default: the latest night anything was delivered)')
    .addOption(new Option('--format <format>', 'text for a terminal; md a Markdown table; csv every count, for a spreadsheet; json the whole scorecard').choices([...FORMATS]).default('text'))
    .option('--catalog <version|path>', 'the catalog whose units and deadlines are judged (default: the one the warehouse follows)')
    .option('--pipeline <name|file>', 'the pipeline whose deadlines, time zone and warehouse apply', 'nightly')
    .addOption(warehouseOption())
    .addHelpText('after', `
Nights are the inbox's night folders (YYYY-MM-DD) deliveries came in, --from to --to inclusive.
Only deadlines before today (in the pipeline's time zone) count.

timeliness       every period a unit owed with its deadline in the range: per data subject it
                 delivers, the pipeline's deadline for the subject's frequency, else the
                 catalog's (T+1, M+5, ...). On time: a loaded file of that subject from the unit,
                 its night from the period's first day to the deadline; late: the first came
                 after the deadline, by --to; missing: none by --to. Share: on time / owed.
completeness     the mean of (a) rows with every required item filled: rows read less rows
                 rejected for cell/required, over rows read, in the range's loaded files; and
                 (b) subjects with a period due in the range of which one was delivered, on
                 time or late, over those subjects.
accuracy         1 - rows rejected / rows read, over the range's loaded files. A quarantined
                 delivery's rows are unknown: it counts as not delivered (timeliness,
                 completeness), not here.
identifiability  of the record versions the range's loaded files brought and linked to an
                 entity, the share linked by a code (USCC, organisation code, old tax number,
                 registration number, resident ID) rather than by name. A record that created
                 its entity counts by what the entity was made from.
score            0-100: ${WEIGHTS.timeliness}% timeliness + ${WEIGHTS.completeness}% completeness + ${WEIGHTS.accuracy}% accuracy + ${WEIGHTS.identifiability}% identifiability,
                 over the measures that exist (a unit that loaded no rows has no accuracy), the
                 weights scaled up to 100%. A unit that owed deliveries and delivered none
                 scores 0. Ranked by score; equal scores share a rank (1, 2, 2, 4).
                 The score's weights are fixed; json and csv carry every count behind it.
A unit that owed nothing and delivered nothing in the range is listed last, unranked.

A line of the text output, and how its score comes about:
  2  SWJ  …  51.6  20.0% 2/10 on time, 3 late, 5 missing  65.0% items 80.0%, subjects 1/2
                   70.0% 3/10 rejected  57.1% 4/7 by code
  score = 30% × 20.0 + 30% × 65.0 + 25% × 70.0 + 15% × 57.1 = 51.6

Exit status: 0 the scorecard was printed; 1 it could not be (a bad date, --from after --to, no
warehouse, an unknown catalog or pipeline).

Examples:
  credit-etl report units
  credit-etl report units --from 2026-11-01 --to 2026-11-30 --format md > 2026-11-scorecard.md
  credit-etl report units --to 2026-11-30 --format csv --warehouse postgres://etl@db:5432/credit > scorecard.csv`)
    .action(async (flags: UnitsFlags, cmd: Command) => {
      // `report --warehouse X units` would score the default warehouse without a word.
      const misplaced = ['run', 'last', 'format', 'warehouse'].filter((o) => cmd.parent?.getOptionValueSource(o) === 'cli');
      if (misplaced.length > 0) {
        throw new UsageError(`${misplaced.map((o) => `--${o}`).join(', ')} given before \`units\` belongs to \`report\`: write the scorecard's options after it (credit-etl report units --format csv --warehouse …)`);
      }
      const pipeline = pipelineOption(flags.pipeline);
      await withCatalogWarehouse(flags.warehouse ?? pipeline.warehouse, async (wh, followed) => {
        // Files keep the night they were delivered in from schema 3 on.
        const { schemaVersion } = await schemaState(wh.knex);
        if ((schemaVersion ?? 0) < 3) {
          throw new WarehouseError(`the warehouse ${wh.shown} was built by an older credit-etl (schema ${schemaVersion ?? '?'}) and keeps no delivery nights: \`credit-etl run\` or \`warehouse init\` brings it up to date`);
        }
        const catalog = flags.catalog === undefined ? followed : loadCatalog(flags.catalog);
        let card;
        try {
          card = await unitScorecard(wh, catalog, {
            ...(flags.from !== undefined && { from: flags.from }), ...(flags.to !== undefined && { to: flags.to }),
            deadlines: pipeline.deadlines, today: today(pipeline.schedule?.timezone ?? 'Asia/Shanghai'),
          });
        } catch (e) {
          if (e instanceof ScorecardError) throw new UsageError(e.message);
          throw e;
        }
        if (flags.format === 'json') json(card);
        else out(renderScorecard(card, flags.format));
      });
    });
}
