// The audit trail: append-only events, each carrying the hash of the one before, so an event
// edited or deleted after the fact breaks the chain where it happened (`credit-etl audit verify`).
import { createHash } from 'node:crypto';
import { hostname, userInfo } from 'node:os';
import type { Knex } from 'knex';
import { T } from './tables.js';

export const AUDIT_KINDS = [
  'run-started', 'run-finished', 'file-accepted', 'file-quarantined', 'file-duplicate', 'file-failed', 'file-unavailable',
  'migration', 'entity-merge', 'correction', 'lock-taken-over',
] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** The previous hash of the first event. */
export const GENESIS = '0'.repeat(64);

export interface AuditInput {
  kind: AuditKind;
  batchId?: number;
  fileId?: number;
  /** What happened, for people and for `audit log`; never an unmasked personal value. */
  details: Record<string, unknown>;
}

export interface AuditEvent {
  id: number;
  at: string;
  kind: string;
  batch_id: number | null;
  file_id: number | null;
  actor: string;
  details: string;
  prev_hash: string;
  hash: string;
}

let actorName: string | undefined;
/** Who acts: the OS user, host and process; the same for every event of a process. */
export function actor(): string {
  if (actorName === undefined) {
    let user = 'unknown';
    try {
      user = userInfo().username;
    } catch {
      // No passwd entry (some containers): the host and pid still say who.
    }
    actorName = `${user}@${hostname()} pid ${process.pid}`;
  }
  return actorName;
}

/** The hash of an event as stored: every column but the hash itself, in a fixed order. */
export function eventHash(e: Omit<AuditEvent, 'hash'>): string {
  const fields = [e.id, e.at, e.kind, e.batch_id ?? null, e.file_id ?? null, e.actor, e.details, e.prev_hash];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Makes the chain's head row (once, when the warehouse is built). */
export async function ensureAuditHead(knex: Knex): Promise<void> {
  const head = await knex(T.auditHead).where({ id: 1 }).first();
  if (!head) await knex(T.auditHead).insert({ id: 1, seq: 0, hash: GENESIS });
}

interface ChainHead { seq: number; hash: string }

async function readHead(knex: Knex | Knex.Transaction): Promise<ChainHead | undefined> {
  const head = (await knex(T.auditHead).where({ id: 1 }).first('seq', 'hash')) as { seq: number | string; hash: string } | undefined;
  return head && { seq: Number(head.seq), hash: head.hash };
}

async function append(trx: Knex.Transaction, input: AuditInput): Promise<AuditEvent> {
  // Taking the head row first (an UPDATE: a write lock in SQLite, a row lock in PostgreSQL and
  // MySQL) makes concurrent appenders queue here instead of both chaining onto one event.
  await trx(T.auditHead).where({ id: 1 }).increment('seq', 1);
  const head = await readHead(trx);
  if (!head) throw new Error('the warehouse has no audit chain head (etl_audit_head): build it with ensureSchema');
  const event: Omit<AuditEvent, 'hash'> = {
    id: head.seq,
    at: new Date().toISOString(),
    kind: input.kind,
    batch_id: input.batchId ?? null,
    file_id: input.fileId ?? null,
    actor: actor(),
    details: JSON.stringify(input.details),
    prev_hash: head.hash,
  };
  const full: AuditEvent = { ...event, hash: eventHash(event) };
  await trx(T.audit).insert(full);
  await trx(T.auditHead).where({ id: 1 }).update({ hash: full.hash });
  return full;
}

/**
 * Appends one event. Inside a load's transaction (`trx`), the event commits or vanishes with the
 * load; given the warehouse's knex, it is a transaction of its own.
 */
export async function appendAudit(knex: Knex | Knex.Transaction, input: AuditInput): Promise<AuditEvent> {
  if ('commit' in knex && typeof knex.commit === 'function') return append(knex as Knex.Transaction, input);
  return knex.transaction((trx) => append(trx, input));
}

export interface AuditBreak {
  /** The first event that cannot be trusted (or where one is missing). */
  id: number;
  why: string;
}

export interface AuditVerdict {
  /** Events verified, from the first on: all of them, or those before the break. */
  events: number;
  /** An intact chain's first and last events: when they were written. */
  first?: string;
  last?: string;
  broken?: AuditBreak;
}

const PAGE = 5000;

/** How far a walk along the chain got: the next id expected and the hash it must name. */
interface Walk { next: number; prev: string; first?: string; last?: string }

const gap = (from: number, to: number): string => (from === to ? `event ${from} is missing` : `events ${from}–${to} are missing`);

/** Checks events from `w.next` on, as far as there are rows; the first break, if any. */
async function walk(knex: Knex, w: Walk): Promise<AuditBreak | undefined> {
  for (;;) {
    const page = (await knex(T.audit).where('id', '>=', w.next).orderBy('id').limit(PAGE)) as AuditEvent[];
    for (const raw of page) {
      const e = { ...raw, id: Number(raw.id) };
      if (e.id !== w.next) return { id: w.next, why: `${gap(w.next, e.id - 1)}: the chain goes from event ${w.next - 1} to ${e.id}` };
      if (e.prev_hash !== w.prev) {
        return { id: e.id, why: `event ${e.id} does not follow event ${e.id - 1}: it names a previous hash ${e.prev_hash.slice(0, 12)}…, but event ${e.id - 1} hashes to ${w.prev.slice(0, 12)}… (one of the two was rewritten after event ${e.id} was written)` };
      }
      if (eventHash(e) !== e.hash) return { id: e.id, why: `event ${e.id} (${e.kind}, ${e.at}) was changed after it was written: its content no longer matches its hash` };
      w.prev = e.hash;
      w.first ??= e.at;
      w.last = e.at;
      w.next++;
    }
    if (page.length < PAGE) return undefined;
  }
}

/** Walks the chain from the first event; names the first edited, deleted, added or reordered one. */
export async function verifyAudit(knex: Knex): Promise<AuditVerdict> {
  const w: Walk = { next: 1, prev: GENESIS };
  let broken = await walk(knex, w);
  // The head is read after the walk, so every event it counts has committed and is visible; when
  // appenders committed meanwhile the head is ahead, and the walk goes on instead of crying wolf.
  while (!broken) {
    const head = await readHead(knex);
    const written = w.next - 1;
    if (!head) {
      broken = { id: w.next, why: `the chain's head (${T.auditHead} row 1) is missing: nothing shows whether events after ${written} were written and deleted` };
    } else if (head.seq < written) {
      broken = { id: head.seq + 1, why: `event ${head.seq + 1} was not written through the chain's head, which counts ${head.seq} events` };
    } else if (head.seq === written) {
      if (head.hash !== w.prev) broken = { id: written, why: `event ${written} was changed after it was written: the chain's head holds another hash for it` };
      break;
    } else {
      broken = await walk(knex, w);
      if (!broken && w.next === written + 1) broken = { id: w.next, why: `the chain ends at event ${written}, but ${head.seq} were written: ${gap(written + 1, head.seq)}` };
    }
  }
  if (broken) return { events: broken.id - 1, broken };
  return { events: w.next - 1, ...(w.first !== undefined && { first: w.first, last: w.last }) };
}

/** Events at or after `since` (ISO date or UTC time, compared as text), of one kind if given; oldest first. */
export async function auditLog(knex: Knex, since?: string, kind?: AuditKind): Promise<AuditEvent[]> {
  const q = knex(T.audit).orderBy('id');
  if (since) q.where('at', '>=', since);
  if (kind) q.where({ kind });
  return ((await q) as AuditEvent[]).map((e) => ({ ...e, id: Number(e.id), batch_id: e.batch_id === null ? null : Number(e.batch_id), file_id: e.file_id === null ? null : Number(e.file_id) }));
}
