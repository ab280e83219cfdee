// `credit-etl report`: what a run did, for analysts — the same model the run wrote to
// <reports>/<run id>/, built again from the warehouse and rendered as asked; `report units`
// scores each unit's reporting over a range of nights.
import { Command, InvalidArgumentError, Option } from 'commander';
import { buildRunReport, lastRunId, ReportError } from '../report/build.js';
import { renderHtml } from '../report/html.js';
import { renderMarkdown } from '../report/markdown.js';
import { renderText } from '../report/text.js';
import { out, UsageError } from './output.js';
import { reportUnitsCommand } from './report-units.js';
import { warehouseOption, withCatalogWarehouse } from './warehouse-option.js';

const FORMATS = ['text', 'json', 'md', 'html'] as const;

interface ReportFlags {
  run?: number;
  last?: boolean;
  format: (typeof FORMATS)[number];
  warehouse?: string;
}

function runId(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`"${value}" is not a run id (a number of 1 or more)`);
  return Number(value);
}

export function reportCommand(): Command {
  return new Command('report')
    .description('what a run did: files, rows by outcome, rejection reasons, repairs, entities, missing and late deliveries')
    .option('--run <id>', 'the run to report on (`credit-etl audit log` lists runs)', runId)
    .option('--last', 'the latest run (the default when --run is not given)')
    .addOption(new Option('--format <format>', 'text for a terminal; json as report.json (schemas/report.schema.json); md; html (one self-contained file)').choices([...FORMATS]).default('text'))
    .addOption(warehouseOption())
    .enablePositionalOptions()
    .addCommand(reportUnitsCommand())
    .addHelpText('after', `
Every run already writes its report to <reports>/<run id>/report.json, report.html and report.md
(the pipeline's folders.reports, var/reports for the bundled pipeline) and a receipt for every
delivery to <receipts>/<unit>/<night>/<file>.receipt.xlsx and .csv. This command builds the same report
again from the warehouse, for any run.

Rows by outcome always add up: read = loaded + updated + unchanged + duplicate + rejected (the
ledger identity); the report says so plainly when they do not. Personal values are masked.

Examples:
  credit-etl report                       the latest run, in the terminal
  credit-etl report --run 12 --format html > run-12.html
  credit-etl report units --from 2026-11-01 --to 2026-11-30`)
    .action(async (flags: ReportFlags) => {
      if (flags.run !== undefined && flags.last) throw new UsageError('--run and --last name different runs: give one');
      await withCatalogWarehouse(flags.warehouse, async (wh, catalog) => {
        const id = flags.run ?? (await lastRunId(wh.knex));
        if (id === undefined) throw new UsageError(`the warehouse ${wh.shown} has no runs yet: \`credit-etl run\` makes one`);
        let report;
        try {
          report = await buildRunReport(wh, catalog, id);
        } catch (e) {
          if (e instanceof ReportError) throw new UsageError(e.message);
          throw e;
        }
        if (flags.format === 'json') out(JSON.stringify(report, null, 2));
        else if (flags.format === 'md') out(renderMarkdown(report));
        else if (flags.format === 'html') out(renderHtml(report));
        else out(renderText(report));
      });
    });
}
