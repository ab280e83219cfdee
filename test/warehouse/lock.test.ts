import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { auditLog, verifyAudit } from '../../src/warehouse/audit.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import { acquireLocks, LockHeld, unitLockName, type HeldLocks, type LockRow } from '../../src/warehouse/lock.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { T } from '../../src/warehouse/tables.js';
import { WAREHOUSE_KINDS, type TestWarehouse } from './servers.js';

const v2 = loadCatalog('v2');
const HOLDER = fileURLToPath(new URL('./hold-lock.ts', import.meta.url));


const lockRows = async (wh: Warehouse, ...names: string[]) => (await wh.knex(T.locks).whereIn('name', names).orderBy('name')) as LockRow[];

async function takeovers(wh: Warehouse, lock: string): Promise<{ batchId: number | null; details: Record<string, unknown> }[]> {
  return (await auditLog(wh.knex))
    .filter((e) => e.kind === 'lock-taken-over')
    .map((e) => ({ batchId: e.batch_id, details: JSON.parse(e.details) as Record<string, unknown> }))
    .filter((e) => e.details.lock === lock);
}

async function heldError(attempt: Promise<unknown>): Promise<LockHeld> {
  const error = await attempt.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(LockHeld);
  return error as LockHeld;
}

describe.each(WAREHOUSE_KINDS)('unit locks on $name', (kind) => {
  let place: TestWarehouse;
  const open: Warehouse[] = [];
  const held: HeldLocks[] = [];
  const children: ChildProcess[] = [];

  // One warehouse for the suite, as building its tables is the slow part: each test takes locks of
  // its own names and gives back everything it took.
  beforeAll(async () => {
    place = await kind.create();
    const wh = await openWarehouse(place.spec);
    try {
      await ensureSchema(wh, v2);
    } finally {
      await wh.close();
    }
  });
  afterAll(() => place.drop());
  afterEach(async () => {
    for (const child of children.splice(0)) await killed(child, 'SIGKILL');
    for (const h of held.splice(0)) await h.release();
    for (const wh of open.splice(0)) await wh.close();
  });

  /** `n` separate connections to the warehouse, as `n` runs would have. */
  async function warehouses(n: number): Promise<Warehouse[]> {
    const mine: Warehouse[] = [];
    for (let i = 0; i < n; i++) mine.push(await openWarehouse(place.spec));
    open.push(...mine);
    return mine;
  }

  async function take(...args: Parameters<typeof acquireLocks>): Promise<HeldLocks> {
    const h = await acquireLocks(...args);
    held.push(h);
    return h;
  }

  /** Another process holding `names` (it prints 'held' once it does). */
  async function holderProcess(...names: string[]): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, place.spec, ...names], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('held')) resolve();
      });
      child.once('exit', (code, signal) => reject(new Error(`the holder process ended (${code ?? signal}) before it held ${names.join(', ')}`)));
    });
    return child;
  }

  async function killed(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exit = once(child, 'exit');
    child.kill(signal);
    await exit;
  }

  it('refuses a held unit to a second run, naming who holds it and since when, and gives it once released', async () => {
    const [first, second] = await warehouses(2);
    const scjg = unitLockName('SCJG');
    expect(scjg).toBe('unit:SCJG');
    const h = await take(first!, [scjg], { what: 'run 12', batchId: 12 });
    expect(h.names).toEqual(['unit:SCJG']);
    const [row] = await lockRows(first!, scjg);
    expect(row).toMatchObject({ name: 'unit:SCJG', host: hostname(), pid: process.pid, batch_id: 12 });
    expect(row!.holder).toMatch(new RegExp(`^run 12 \\(.+@${hostname()} pid ${process.pid}\\)$`));

    const error = await heldError(acquireLocks(second!, [scjg], { what: 'run 13', batchId: 13 }));
    expect(error).toMatchObject({ lock: 'unit:SCJG', holder: row!.holder, host: hostname(), pid: process.pid, acquiredAt: row!.acquired_at, heartbeatAt: row!.heartbeat_at });
    expect(error.message).toMatch(/^unit SCJG is being loaded by run 12 \(.+ pid \d+\) since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, last heartbeat \d+ s ago; wait for it to finish, or stop it$/);

    await h.release();
    await h.release();
    expect(await lockRows(first!, scjg)).toEqual([]);
    await take(second!, [scjg], { what: 'run 13', batchId: 13 });
    expect((await lockRows(first!, scjg)).map((r) => r.batch_id)).toEqual([13]);
  });

  it('takes all the locks asked for or none: a run wanting A and B while B is held leaves A free', async () => {
    const [first, second, third] = await warehouses(3);
    await take(first!, ['unit:B'], { what: 'run 1', batchId: 1 });
    const error = await heldError(acquireLocks(second!, ['unit:B', 'unit:A'], { what: 'run 2', batchId: 2 }));
    expect(error.lock).toBe('unit:B');
    expect((await lockRows(first!, 'unit:A', 'unit:B')).map((r) => [r.name, r.batch_id])).toEqual([['unit:B', 1]]);
    // Through yet another connection: the failed run kept no lock on A, not even a server one.
    const a = await take(third!, ['unit:A'], { what: 'run 3', batchId: 3 });
    expect(a.names).toEqual(['unit:A']);
  });

  it('takes over the lock of a run killed with SIGKILL, and says so in the audit trail', async () => {
    const [wh] = await warehouses(1);
    const child = await holderProcess('unit:SWJ');
    const before = await heldError(acquireLocks(wh!, ['unit:SWJ'], { what: 'run 8', batchId: 8 }));
    expect(before).toMatchObject({ lock: 'unit:SWJ', pid: child.pid, holder: expect.stringMatching(/^run 7 \(/) });

    await killed(child, 'SIGKILL');
    // A server notices the closed socket of a dead client within moments, not at once.
    let h: HeldLocks | undefined;
    for (let tries = 0; !h; tries++) {
      try {
        h = await take(wh!, ['unit:SWJ'], { what: 'run 8', batchId: 8 });
      } catch (error) {
        if (!(error instanceof LockHeld) || tries === 50) throw error;
        await delay(100);
      }
    }
    expect((await lockRows(wh!, 'unit:SWJ')).map((r) => [r.pid, r.batch_id])).toEqual([[process.pid, 8]]);
    const events = await takeovers(wh!, 'unit:SWJ');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ batchId: 8, details: { from: { pid: child.pid, batchId: 7, host: hostname() } } });
    expect((await verifyAudit(wh!.knex)).broken).toBeUndefined();
  });

  it('never takes over a live holder in another process, however old its heartbeat', async () => {
    const [wh] = await warehouses(1);
    const child = await holderProcess('unit:HBJ');
    // As if its heartbeat had stopped: on its own host, the living process is what counts.
    await wh!.knex(T.locks).where({ name: 'unit:HBJ' }).update({ heartbeat_at: '2020-01-01T00:00:00.000Z' });
    const error = await heldError(acquireLocks(wh!, ['unit:HBJ'], { what: 'run 8' }, { staleAfterMs: 0 }));
    expect(error).toMatchObject({ lock: 'unit:HBJ', pid: child.pid });
    expect(error.message).toMatch(/since \S+Z, last heartbeat \d+ h ago; wait for it to finish, or stop it$/);
    expect(await takeovers(wh!, 'unit:HBJ')).toEqual([]);
  });

  it('beats its heartbeat while held, and stops when released', async () => {
    const [wh] = await warehouses(1);
    const names = ['unit:C', 'unit:D'];
    const h = await take(wh!, names, { what: 'run 1' }, { heartbeatMs: 20 });
    let rows = await lockRows(wh!, ...names);
    for (let tries = 0; rows.some((r) => r.heartbeat_at === r.acquired_at) && tries < 100; tries++) {
      await delay(20);
      rows = await lockRows(wh!, ...names);
    }
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r.heartbeat_at > r.acquired_at).toBe(true);
    await h.release();
    expect(await lockRows(wh!, ...names)).toEqual([]);
    // A heartbeat still beating would find its rows gone and warn that they were taken over.
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      await delay(100);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it.runIf(kind.dialect === 'sqlite')('takes over a holder on another host only once its heartbeat is older than staleAfterMs', async () => {
    const [wh] = await warehouses(1);
    const fiveMinutesAgo = new Date(Date.now() - 5 * 60_000).toISOString();
    const theirs = { holder: 'run 5 (bob@elsewhere pid 99)', host: 'elsewhere', pid: 99, batch_id: 5, acquired_at: fiveMinutesAgo, heartbeat_at: fiveMinutesAgo };
    await wh!.knex(T.locks).insert({ name: 'unit:HGJ', ...theirs });

    const error = await heldError(acquireLocks(wh!, ['unit:HGJ'], { what: 'run 6', batchId: 6 }));
    expect(error).toMatchObject({ host: 'elsewhere', pid: 99 });
    expect(error.message).toContain('by run 5 (bob@elsewhere pid 99) since');
    expect(error.message).toContain('last heartbeat 5 min ago');

    await take(wh!, ['unit:HGJ'], { what: 'run 6', batchId: 6 }, { staleAfterMs: 60_000 });
    expect(await takeovers(wh!, 'unit:HGJ')).toEqual([{
      batchId: 6,
      details: {
        lock: 'unit:HGJ',
        why: 'no heartbeat from elsewhere for 5 min',
        from: { holder: theirs.holder, host: 'elsewhere', pid: 99, batchId: 5, acquiredAt: fiveMinutesAgo, heartbeatAt: fiveMinutesAgo },
      },
    }]);
  });

  it.runIf(kind.dialect === 'sqlite')('takes over a lock whose pid now belongs to a process started after it was taken (pid reused)', async () => {
    const [wh] = await warehouses(1);
    // What a killed run leaves when the next process on this host (this test) gets its pid.
    const longAgo = new Date(Date.now() - 77 * 3600_000).toISOString();
    await wh!.knex(T.locks).insert({ name: 'unit:YJGLJ', holder: 'run 7 (etl@vm pid 1)', host: hostname(), pid: process.pid, batch_id: 7, acquired_at: longAgo, heartbeat_at: longAgo });
    await take(wh!, ['unit:YJGLJ'], { what: 'run 8', batchId: 8 });
    expect(await takeovers(wh!, 'unit:YJGLJ')).toEqual([expect.objectContaining({
      details: expect.objectContaining({ why: `process ${process.pid} on ${hostname()} started after the lock was taken: its holder is gone and the id reused` }),
    })]);
  });
});
