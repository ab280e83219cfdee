// Locks in the warehouse, so two runs never load the same unit at once, on one machine or several.
// SQLite has no server to ask: a row in etl_locks is the lock, and a dead holder's row is taken
// over. PostgreSQL and MySQL/MariaDB hold a server lock on a session of its own, which the server
// frees the moment that session dies (kill -9 included); there the row only says who holds it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type { Knex } from 'knex';
import { actor, appendAudit } from './audit.js';
import type { Warehouse } from './connect.js';
import { T } from './tables.js';

/** The lock a run takes before it loads a unit's deliveries. */
export const unitLockName = (unitCode: string): string => `unit:${unitCode}`;

/** etl_locks.name is a string(100). */
const NAME_MAX = 100;
const HEARTBEAT_MS = 30_000;
const STALE_AFTER_MS = 10 * 60_000;

export interface LockHolder {
  /** Who takes the locks, as people read it: 'run 12', 'warehouse migrate'. */
  what: string;
  batchId?: number;
}

export interface LockOptions {
  /** How often a holder says it is alive (default 30 s). */
  heartbeatMs?: number;
  /** SQLite, a holder on another host: how old its heartbeat may grow before it counts as dead (default 10 min). */
  staleAfterMs?: number;
}

export interface HeldLocks {
  /** The locks held, sorted. */
  readonly names: readonly string[];
  /** Gives the locks back (before the warehouse is closed); calling it again does nothing more. */
  release(): Promise<void>;
}

/** A row of etl_locks: who holds a lock, since when, and their last heartbeat. */
export interface LockRow {
  name: string;
  holder: string;
  host: string;
  pid: number;
  batch_id: number | null;
  acquired_at: string;
  heartbeat_at: string;
}

type OwnRow = Omit<LockRow, 'name'>;

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

function heldMessage(lock: string, row: LockRow | undefined): string {
  const what = lock.startsWith('unit:') ? `unit ${lock.slice('unit:'.length)} is being loaded` : `lock ${lock} is held`;
  if (!row) return `${what} by another session that has not yet written its ${T.locks} row; try again in a moment`;
  const since = row.acquired_at.replace(/\.\d+Z$/, 'Z');
  return `${what} by ${row.holder} since ${since}, last heartbeat ${ago(Date.now() - Date.parse(row.heartbeat_at))} ago; wait for it to finish, or stop it`;
}

/** Someone else holds a lock asked for; none of the locks asked for were taken. */
export class LockHeld extends Error {
  override name = 'LockHeld';
  /** The lock's name (`unit:SCJG`). */
  readonly lock: string;
  /** Who holds it: 'run 12 (alice@host-a pid 4242)'. The rest is unknown only in the instant before a holder writes its row. */
  readonly holder: string;
  readonly host: string | undefined;
  readonly pid: number | undefined;
  readonly acquiredAt: string | undefined;
  readonly heartbeatAt: string | undefined;

  constructor(lock: string, row: LockRow | undefined) {
    super(heldMessage(lock, row));
    this.lock = lock;
    this.holder = row?.holder ?? 'another session';
    this.host = row?.host;
    this.pid = row?.pid;
    this.acquiredAt = row?.acquired_at;
    this.heartbeatAt = row?.heartbeat_at;
  }
}

let lastStamp = 0;
// Distinct within the process (a millisecond later if need be): with the holder text, which names
// host and pid, it tells this acquisition's rows from any other's, even in the same process.
function acquisitionStamp(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString();
}

function ownRow(holder: LockHolder): OwnRow {
  const now = acquisitionStamp();
  return {
    holder: `${holder.what.slice(0, 120)} (${actor()})`.slice(0, 255),
    host: hostname(),
    pid: process.pid,
    batch_id: holder.batchId ?? null,
    acquired_at: now,
    heartbeat_at: now,
  };
}

const readRow = async (knex: Knex | Knex.Transaction, name: string): Promise<LockRow | undefined> =>
  (await knex(T.locks).where({ name }).first()) as LockRow | undefined;

/** Why the holder of `row` is dead, or undefined while it may live. */
type Gone = (row: LockRow) => string | undefined;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * When a process started (ms since the epoch), where Linux tells: /proc/<pid>/stat's start time in
 * clock ticks after boot (USER_HZ, 100 on every Linux architecture) plus /proc/stat's boot time.
 */
function processStartedAt(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    return Number.isFinite(ticks) && Number.isFinite(boot) ? (boot + ticks / 100) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

// A process id is reused once its process is gone: a live process that started after the lock
// was taken is not the one that took it (a killed run in a container whose node is always pid 1).
const START_SLACK_MS = 2000;

// On its own host a holder is dead exactly when its process is; from another host only a silent
// heartbeat tells, so it takes a while.
function goneFromSqlite(staleAfterMs: number): Gone {
  const here = hostname();
  return (row) => {
    if (row.host === here) {
      if (!processAlive(row.pid)) return `process ${row.pid} on ${row.host} no longer exists`;
      const started = processStartedAt(row.pid);
      return started !== undefined && started > Date.parse(row.acquired_at) + START_SLACK_MS
        ? `process ${row.pid} on ${row.host} started after the lock was taken: its holder is gone and the id reused`
        : undefined;
    }
    const silent = Date.now() - Date.parse(row.heartbeat_at);
    return silent > staleAfterMs ? `no heartbeat from ${row.host} for ${ago(silent)}` : undefined;
  };
}

// We hold the server lock, so whoever wrote the row lost its session.
const goneFromServer: Gone = () => 'its database session ended';

/** Writes our row for each name; takes over a dead holder's row, compare-and-swap, with an audit event. */
async function claimRows(trx: Knex.Transaction, names: readonly string[], mine: OwnRow, gone: Gone): Promise<void> {
  for (const name of names) {
    // A write first: in SQLite it takes the write lock now, before anything is read.
    await trx(T.locks).insert({ name, ...mine }).onConflict('name').ignore();
    const current = await readRow(trx, name);
    if (!current) throw new Error(`the ${T.locks} row of ${name} vanished while it was being taken; try again`);
    if (current.holder === mine.holder && current.acquired_at === mine.acquired_at) continue;
    const why = gone(current);
    if (why === undefined) throw new LockHeld(name, current);
    const swapped = await trx(T.locks).where({ name, holder: current.holder, heartbeat_at: current.heartbeat_at }).update(mine);
    if (swapped !== 1) throw new LockHeld(name, await readRow(trx, name));
    await appendAudit(trx, {
      kind: 'lock-taken-over',
      ...(mine.batch_id !== null && { batchId: mine.batch_id }),
      details: {
        lock: name,
        why,
        from: { holder: current.holder, host: current.host, pid: current.pid, batchId: current.batch_id, acquiredAt: current.acquired_at, heartbeatAt: current.heartbeat_at },
      },
    });
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const SERVER_LOCKS = {
  postgres: {
    database: 'select current_database() as v',
    take: 'select pg_try_advisory_lock(cast(? as bigint)) as v',
    wait: 'select 1 as v from (select pg_advisory_lock(cast(? as bigint))) as taken',
    free: 'select pg_advisory_unlock(cast(? as bigint)) as v',
    // Advisory locks are numbers: a stable 63-bit hash, positive as a signed bigint.
    key: (scoped: string) => (BigInt(`0x${sha256(scoped).slice(0, 16)}`) & 0x7fff_ffff_ffff_ffffn).toString(),
  },
  mysql: {
    database: 'select database() as v',
    take: 'select get_lock(?, 0) as v',
    // MariaDB takes no negative (endless) timeout: a year is as good.
    wait: 'select get_lock(?, 31536000) as v',
    free: 'select release_lock(?) as v',
    // GET_LOCK names are server-wide (hence the database) and at most 64 characters.
    key: (scoped: string) => (scoped.length <= 64 ? scoped : sha256(scoped)),
  },
} as const;

async function scalar(wh: Warehouse, conn: unknown, sql: string, bindings: readonly string[]): Promise<unknown> {
  const result: unknown = await wh.knex.raw(sql, bindings).connection(conn);
  const rows = wh.dialect === 'postgres' ? (result as { rows: { v: unknown }[] }).rows : (result as [{ v: unknown }[]])[0];
  return rows[0]?.v;
}

/** A connection of its own, taken from the warehouse's pool: the server locks live exactly as long as its session. */
class ServerSession {
  private readonly taken: string[] = [];
  private constructor(
    private readonly wh: Warehouse,
    private readonly sql: (typeof SERVER_LOCKS)['postgres' | 'mysql'],
    readonly conn: unknown,
    private readonly database: string,
  ) {}

  static async open(wh: Warehouse, dialect: 'postgres' | 'mysql'): Promise<ServerSession> {
    const sql = SERVER_LOCKS[dialect];
    const conn: unknown = await wh.knex.client.acquireConnection();
    try {
      return new ServerSession(wh, sql, conn, String(await scalar(wh, conn, sql.database, [])));
    } catch (error) {
      await wh.knex.client.releaseConnection(conn);
      throw error;
    }
  }

  private value(sql: string, bindings: readonly string[]): Promise<unknown> {
    return scalar(this.wh, this.conn, sql, bindings);
  }

  private key(name: string): string {
    return this.sql.key(`${this.database}:${name}`);
  }

  /** True when the lock is now ours; false when another session holds it. */
  async take(name: string): Promise<boolean> {
    const v = await this.value(this.sql.take, [this.key(name)]);
    if (v === true || v === 1) {
      this.taken.push(name);
      return true;
    }
    return false;
  }

  /** Waits until the lock is ours, however long another session holds it. */
  async wait(name: string): Promise<void> {
    const v = await this.value(this.sql.wait, [this.key(name)]);
    if (v !== 1) throw new Error(`lock ${name}: the server did not grant it (${String(v)})`);
    this.taken.push(name);
  }

  /** Frees the server locks and gives the connection back; a failed unlock closes the session instead. */
  async end(): Promise<void> {
    try {
      for (const name of this.taken) await this.value(this.sql.free, [this.key(name)]);
    } catch {
      // A session that may still hold locks must not go back to the pool: closing it frees them
      // on the server, and the pool discards a closed connection.
      try {
        await (this.conn as { end(): unknown }).end();
      } catch {
        // Already closed.
      }
    }
    this.taken.length = 0;
    await this.wh.knex.client.releaseConnection(this.conn);
  }
}

// The holder takes its server lock a moment before it writes its row: give it that moment.
async function whoHolds(knex: Knex, name: string): Promise<LockRow | undefined> {
  for (let attempt = 1; ; attempt++) {
    const row = await readRow(knex, name);
    if (row || attempt === 10) return row;
    await delay(100);
  }
}

function hold(wh: Warehouse, names: readonly string[], mine: OwnRow, session: ServerSession | undefined, heartbeatMs: number): HeldLocks {
  const ours = () => {
    const q = wh.knex(T.locks).whereIn('name', names).where({ holder: mine.holder, acquired_at: mine.acquired_at });
    return session ? q.connection(session.conn) : q;
  };
  const warn = (message: string) => process.emitWarning(message, 'LockWarning');
  let beat: Promise<void> | undefined;
  const timer = setInterval(() => {
    // SQLite's one connection is inside someone's transaction (a file being loaded): a heartbeat
    // there would commit or vanish with it. Skip it; on one host the pid says whether we live.
    if (beat || wh.sqlite?.inTransaction) return;
    beat = ours().update({ heartbeat_at: new Date().toISOString() }).then(
      (n) => {
        if (n < names.length) warn(`locks ${names.join(', ')}: ${names.length - n} of them were taken over by another run; stop this one`);
      },
      (error: unknown) => warn(`locks ${names.join(', ')}: the heartbeat failed (${error instanceof Error ? error.message : String(error)}); it is retried in ${ago(heartbeatMs)}`),
    ).finally(() => {
      beat = undefined;
    });
  }, heartbeatMs);
  timer.unref();
  let released: Promise<void> | undefined;
  return {
    names,
    release: () => (released ??= (async () => {
      clearInterval(timer);
      await beat;
      try {
        await ours().del();
      } finally {
        await session?.end();
      }
    })()),
  };
}

/**
 * Takes every lock in `names`, or none: throws LockHeld naming who holds the first one that is
 * taken. Locks are taken in sorted order, so two runs asking for overlapping sets cannot deadlock.
 */
export async function acquireLocks(wh: Warehouse, names: readonly string[], holder: LockHolder, options: LockOptions = {}): Promise<HeldLocks> {
  const wanted = [...new Set(names)].sort();
  for (const name of wanted) {
    if (name.length === 0 || name.length > NAME_MAX) throw new RangeError(`lock name "${name}" has ${name.length} characters; a lock name has 1 to ${NAME_MAX}`);
  }
  const mine = ownRow(holder);
  const session = wh.dialect === 'sqlite' ? undefined : await ServerSession.open(wh, wh.dialect);
  try {
    if (session) {
      for (const name of wanted) if (!(await session.take(name))) throw new LockHeld(name, await whoHolds(wh.knex, name));
    }
    const gone = session ? goneFromServer : goneFromSqlite(options.staleAfterMs ?? STALE_AFTER_MS);
    await wh.knex.transaction((trx) => claimRows(trx, wanted, mine, gone), session && { connection: session.conn });
  } catch (error) {
    await session?.end();
    throw error;
  }
  return hold(wh, wanted, mine, session, options.heartbeatMs ?? HEARTBEAT_MS);
}

/**
 * Runs `work` holding the server lock `name`, waiting while another session holds it: for work
 * that processes starting together must do one at a time. SQLite runs it at once.
 */
export async function whileLocked<T>(wh: Warehouse, name: string, work: () => Promise<T>): Promise<T> {
  if (wh.dialect === 'sqlite') return work();
  const session = await ServerSession.open(wh, wh.dialect);
  try {
    await session.wait(name);
    return await work();
  } finally {
    await session.end();
  }
}
