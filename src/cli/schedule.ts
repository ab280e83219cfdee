// `credit-etl schedule`: stays in the foreground and runs the pipeline on its cron expression, in
// its time zone, never two runs at once; SIGTERM (or Ctrl-C) lets the file being loaded finish,
// starts no other, and exits cleanly.
import { Command, Option } from 'commander';
import cron from 'node-cron';
import type { LevelWithSilent } from 'pino';
import { LOG_LEVELS } from '../run/log.js';
import { err, out, UsageError } from './output.js';
import { runOnce, type RunFlags } from './run.js';
import { pipelineOption, warehouseOption } from './warehouse-option.js';

interface ScheduleFlags {
  pipeline: string;
  catalog?: string;
  warehouse?: string;
  logLevel: LevelWithSilent;
}

const stamp = (d: Date, timeZone: string): string =>
  `${d.toLocaleString('sv-SE', { timeZone, hour12: false })} ${timeZone}`;

export function scheduleCommand(): Command {
  return new Command('schedule')
    .description('run the pipeline on its cron expression, in the foreground, until SIGTERM')
    .option('--pipeline <name|file>', 'the pipeline whose schedule.cron and schedule.timezone to follow', 'nightly')
    .option('--catalog <version|path>', 'the catalog version (default: the pipeline\'s)')
    .addOption(warehouseOption())
    .addOption(new Option('--log-level <level>', 'least severe log lines written').choices([...LOG_LEVELS]).default('info'))
    .addHelpText('after', `
Each tick runs what \`credit-etl run\` runs. A tick that comes while a run is still going is
skipped, never run alongside. SIGTERM or SIGINT lets the file being loaded finish, starts no
other file and no other run, and exits 0; the next run takes what was left.

The pipeline's schedule: { "cron": "0 30 1 * * *", "timezone": "Asia/Shanghai" } runs at 01:30
Beijing time every night (fields: [second] minute hour day month weekday).

Instead of a process that stays up, cron or systemd can start \`credit-etl run\`; see the README.

Examples:
  credit-etl schedule
  credit-etl schedule --pipeline pipelines/nightly.json --warehouse postgres://etl@db:5432/credit`)
    .action(async (flags: ScheduleFlags) => {
      const pipeline = pipelineOption(flags.pipeline);
      if (!pipeline.schedule) throw new UsageError(`the pipeline ${pipeline.source} has no schedule: add "schedule": { "cron": "0 30 1 * * *", "timezone": "Asia/Shanghai" }`);
      const { cron: expression, timezone } = pipeline.schedule;
      const check = cron.validateDetailed(expression);
      if (!check.valid) {
        throw new UsageError(`the pipeline's schedule.cron "${expression}" is not a cron expression: ${check.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`);
      }
      let stopping = false;
      const flagsForRun: RunFlags = {
        pipeline: flags.pipeline, logLevel: flags.logLevel,
        ...(flags.catalog !== undefined && { catalog: flags.catalog }), ...(flags.warehouse !== undefined && { warehouse: flags.warehouse }),
      };
      const task = cron.schedule(expression, async () => {
        if (stopping) return;
        out(`${stamp(new Date(), timezone)}: run starts`);
        try {
          const status = await runOnce(flagsForRun, () => stopping);
          out(`${stamp(new Date(), timezone)}: run ends, exit status ${status}`);
        } catch (e) {
          err(`credit-etl: the run could not run: ${e instanceof Error ? e.message : String(e)}`);
        }
      }, {
        timezone, noOverlap: true, name: pipeline.name,
        logger: {
          info: () => undefined,
          debug: () => undefined,
          warn: (message) => err(`schedule: ${message}`),
          error: (message) => err(`schedule: ${message instanceof Error ? message.message : message}`),
        },
      });
      out(`scheduled ${pipeline.name}: "${expression}" in ${timezone}; next runs ${task.getNextRuns(3).map((d) => stamp(d, timezone)).join(', ')}`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          if (stopping) return;
          stopping = true;
          out(`${signal}: ${task.isBusy() ? 'finishing the file being loaded, then exiting' : 'exiting'}`);
          void (async () => {
            await task.stop();
            while (task.isBusy()) await new Promise((r) => setTimeout(r, 200));
            await task.destroy();
            resolve();
          })();
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      process.exitCode = 0;
    });
}
