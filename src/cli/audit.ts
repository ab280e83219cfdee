// `credit-etl audit verify|log`: prove the hash-chained audit trail is whole, and read it.
import { Command, Option } from 'commander';
import { dateProblem, timeProblem } from '../cleanse/calendar.js';
import { maskText } from '../mask.js';
import { fitWidth, formatTable } from '../text-table.js';
import { AUDIT_KINDS, auditLog, verifyAudit, type AuditEvent, type AuditKind } from '../warehouse/audit.js';
import { WarehouseError, type Warehouse } from '../warehouse/connect.js';
import { T } from '../warehouse/tables.js';
import { err, json, out, UsageError, type Format } from './output.js';
import { warehouseOption, withWarehouse } from './warehouse-option.js';

// A warehouse never built has no chain to blame.
async function withAuditTrail<R>(spec: string | undefined, work: (wh: Warehouse) => Promise<R>): Promise<R> {
  return withWarehouse(spec, async (wh) => {
    if (!(await wh.knex.schema.hasTable(T.audit)) || !(await wh.knex.schema.hasTable(T.auditHead))) {
      throw new WarehouseError(`the warehouse ${wh.shown} has no audit trail (no ${T.audit} table): nothing was ever loaded into it, or --warehouse names another database`);
    }
    return work(wh);
  }, { create: false });
}

const SINCE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** --since as the UTC ISO text events are stamped with, so it compares with them as text. */
function sinceInstant(text: string): string {
  const refuse = (why: string) => new UsageError(`--since ${JSON.stringify(text)} ${why}: give a day (2026-03-01) or an ISO time (2026-03-01T08:00:00+08:00; without an offset it is UTC, as the log shows times)`);
  const m = SINCE.exec(text);
  if (!m) throw refuse('is not a date or time');
  const n = (i: number): number => Number(m[i] ?? 0);
  const problem = dateProblem(n(1), n(2), n(3)) ?? timeProblem(n(4), n(5), n(6));
  if (problem) throw refuse(`is not a real date or time (${problem})`);
  // A bare day parses as UTC midnight; a time without offset would be local, hence the Z.
  return new Date(m[4] === undefined || m[7] !== undefined ? text : `${text}Z`).toISOString();
}

// Details should never hold an unmasked personal value; masking again on the way out makes sure.
// Checksums are hex, not personal: a digit run inside one would be "masked" into a wrong checksum.
const CHECKSUMS = new Set(['sha256', 'hash', 'prev_hash']);
function maskedDetails(details: string): unknown {
  try {
    return JSON.parse(details, (key, value: unknown) => (typeof value === 'string' && !CHECKSUMS.has(key) ? maskText(value) : value)) as unknown;
  } catch {
    return maskText(details);
  }
}

// Terminal columns, not characters: a line of Chinese details is twice as wide as its length.
const DETAILS_WIDTH = 100;

function shortDetails(details: string): string {
  const value = maskedDetails(details);
  const text = value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.entries(value).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')
    : typeof value === 'string' ? value : JSON.stringify(value);
  return fitWidth(text, DETAILS_WIDTH);
}

function ids(e: AuditEvent): string {
  return [e.batch_id !== null && `run ${e.batch_id}`, e.file_id !== null && `file ${e.file_id}`].filter(Boolean).join(' ') || '-';
}

function renderAuditLog(events: AuditEvent[]): string[] {
  return formatTable(events.map((e) => [`#${e.id}`, e.at, e.kind, ids(e), e.actor, shortDetails(e.details)]), '');
}

function verifyCommand(): Command {
  return new Command('verify')
    .description('walk the audit trail\'s hash chain from the first event and name the first edited, deleted or added one')
    .addOption(warehouseOption())
    .addHelpText('after', `
Each event carries the hash of the one before it, and the chain's head (${T.auditHead}) counts the
events and holds the last hash. An event edited after it was written no longer matches its hash;
one rewritten with a recomputed hash no longer matches the next event; a deleted one leaves a gap,
or a head that counts more. Safe to run while a load is writing.

Exit status: 0 the chain is intact; 2 it is broken (the event is named on stderr); 1 the check
could not run (no warehouse, no audit trail, a database error).

Examples:
  credit-etl audit verify
  credit-etl audit verify --warehouse postgres://etl@db:5432/credit || alert "audit trail tampered"`)
    .action(async (opts: { warehouse?: string }) => {
      const verdict = await withAuditTrail(opts.warehouse, (wh) => verifyAudit(wh.knex));
      if (verdict.broken) {
        err(`audit chain BROKEN at event ${verdict.broken.id}: ${verdict.broken.why}`);
        process.exitCode = 2;
        return;
      }
      out(`audit chain intact: ${verdict.events} events${verdict.first === undefined ? '' : `, first ${verdict.first}, last ${verdict.last}`}`);
    });
}

function logCommand(): Command {
  return new Command('log')
    .description('list audit events, oldest first: when, what, which run and file, who, and the details')
    .option('--since <day|time>', 'only events at or after this day (YYYY-MM-DD) or ISO time; UTC unless it carries an offset')
    .addOption(new Option('--kind <kind>', 'only events of this kind').choices(AUDIT_KINDS))
    .addOption(new Option('--format <format>', 'output format: one line per event, or a JSON array of whole events').choices(['text', 'json']).default('text'))
    .addOption(warehouseOption())
    .addHelpText('after', `
Text columns: event id, time written (UTC), kind, run and file ids, actor (user@host pid), details.
JSON carries every column, hashes included, with details as an object. Personal values are masked.
The log does not check the chain: \`credit-etl audit verify\` does.

Exit status: 0 listed (also when no event matches); 1 bad arguments or the warehouse could not be read.

Examples:
  credit-etl audit log --since 2026-03-01
  credit-etl audit log --since 2026-03-01T00:00:00+08:00 --kind file-quarantined
  credit-etl audit log --format json | jq '.[] | select(.kind == "entity-merge")'`)
    .action(async (opts: { since?: string; kind?: AuditKind; format: Format; warehouse?: string }) => {
      const since = opts.since === undefined ? undefined : sinceInstant(opts.since);
      const events = await withAuditTrail(opts.warehouse, (wh) => auditLog(wh.knex, since, opts.kind));
      if (opts.format === 'json') json(events.map((e) => ({ ...e, details: maskedDetails(e.details) })));
      else if (events.length === 0) out(`no audit events${opts.kind ? ` of kind ${opts.kind}` : ''}${since ? ` since ${since}` : ''}`);
      else out(renderAuditLog(events));
    });
}

export function auditCommand(): Command {
  return new Command('audit')
    .description('the tamper-evident audit trail: verify its hash chain, list its events')
    .addCommand(verifyCommand())
    .addCommand(logCommand());
}
