import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { appendAudit, auditLog, eventHash, GENESIS, verifyAudit, type AuditEvent, type AuditInput } from '../../src/warehouse/audit.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { T } from '../../src/warehouse/tables.js';
import { WAREHOUSE_KINDS, type TestWarehouse } from './servers.js';

const v2 = loadCatalog('v2');

const EVENTS: AuditInput[] = [
  { kind: 'run-started', batchId: 1, details: { catalog: 'v2', pipeline: 'nightly' } },
  { kind: 'file-accepted', batchId: 1, fileId: 1, details: { unit: 'SCJG', name: '行政处罚-2026年3月.xlsx', rows: 120, subject: '𠮷野家餐饮' } },
  { kind: 'file-quarantined', batchId: 1, fileId: 2, details: { unit: 'SWJ', reason: '文件编码无法识别' } },
  { kind: 'entity-merge', details: { into: 7, from: [9, 11], rule: 'uscc' } },
  { kind: 'run-finished', batchId: 1, details: { status: 'partial', files: 2 } },
];

describe.each(WAREHOUSE_KINDS)('audit trail on $name', (kind) => {
  let place: TestWarehouse | undefined;
  let wh: Warehouse | undefined;
  afterEach(async () => {
    await wh?.close();
    wh = undefined;
    await place?.drop();
    place = undefined;
  });

  async function fresh(): Promise<Warehouse> {
    place = await kind.create();
    wh = await openWarehouse(place.spec);
    await ensureSchema(wh, v2);
    return wh;
  }

  async function withEvents(): Promise<{ wh: Warehouse; written: AuditEvent[] }> {
    const w = await fresh();
    const written: AuditEvent[] = [];
    for (const e of EVENTS) written.push(await appendAudit(w.knex, e));
    return { wh: w, written };
  }

  it('chains events as written and verifies them all; the log gives them back in order', async () => {
    const { wh, written } = await withEvents();
    expect(written.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    expect(written[0]!.prev_hash).toBe(GENESIS);
    for (let i = 1; i < written.length; i++) expect(written[i]!.prev_hash).toBe(written[i - 1]!.hash);

    expect(await verifyAudit(wh.knex)).toEqual({ events: 5, first: written[0]!.at, last: written[4]!.at });

    const log = await auditLog(wh.knex);
    expect(log).toEqual(written);
    expect(JSON.parse(log[1]!.details)).toEqual(EVENTS[1]!.details);
    expect(log[3]).toMatchObject({ kind: 'entity-merge', batch_id: null, file_id: null });
    expect(log[2]).toMatchObject({ kind: 'file-quarantined', batch_id: 1, file_id: 2 });
  });

  it('an empty chain is intact', async () => {
    const wh = await fresh();
    expect(await verifyAudit(wh.knex)).toEqual({ events: 0 });
    expect(await auditLog(wh.knex)).toEqual([]);
  });

  it('filters the log by time (at or after `since`) and by kind', async () => {
    const wh = await fresh();
    // Three events stamped on known days, so `since` has something to cut between.
    const days = ['2026-03-01T01:00:00.000Z', '2026-03-02T00:00:00.000Z', '2026-03-02T09:30:00.000Z'];
    for (const [i, at] of days.entries()) await stampedAppend(wh, EVENTS[i]!, at);
    expect(await verifyAudit(wh.knex)).toEqual({ events: 3, first: days[0], last: days[2] });
    expect((await auditLog(wh.knex, '2026-03-02')).map((e) => e.at)).toEqual(days.slice(1));
    expect((await auditLog(wh.knex, '2026-03-02T09:30:00.000Z')).map((e) => e.at)).toEqual(days.slice(2));
    expect(await auditLog(wh.knex, '2026-03-03')).toEqual([]);
    expect((await auditLog(wh.knex, undefined, 'file-accepted')).map((e) => e.id)).toEqual([2]);
    expect((await auditLog(wh.knex, '2026-03-02', 'run-started'))).toEqual([]);
  });

  it('an event appended in a transaction that rolls back leaves no trace, and the head rolls back with it', async () => {
    const { wh, written } = await withEvents();
    await expect(wh.knex.transaction(async (trx) => {
      const e = await appendAudit(trx, { kind: 'file-accepted', batchId: 2, fileId: 3, details: { name: '回滚.csv' } });
      expect(e.id).toBe(6);
      throw new Error('the load failed');
    })).rejects.toThrow('the load failed');
    expect(await auditLog(wh.knex)).toEqual(written);
    expect(await verifyAudit(wh.knex)).toMatchObject({ events: 5 });
    expect(await wh.knex(T.auditHead).where({ id: 1 }).first('hash')).toEqual({ hash: written[4]!.hash });
    // The next event takes the id the rolled-back one had, and the chain still holds.
    expect((await appendAudit(wh.knex, { kind: 'run-finished', details: {} })).id).toBe(6);
    expect(await verifyAudit(wh.knex)).toMatchObject({ events: 6 });
  });

  it('names the event whose details were edited', async () => {
    const { wh } = await withEvents();
    await wh.knex(T.audit).where({ id: 2 }).update({ details: JSON.stringify({ ...EVENTS[1]!.details, rows: 119 }) });
    const verdict = await verifyAudit(wh.knex);
    expect(verdict).toEqual({ events: 1, broken: { id: 2, why: expect.any(String) } });
    expect(verdict.broken?.why).toMatch(/^event 2 \(file-accepted, .*\) was changed after it was written/);
  });

  it('names an event deleted from the middle as missing', async () => {
    const { wh } = await withEvents();
    await wh.knex(T.audit).where({ id: 3 }).delete();
    const verdict = await verifyAudit(wh.knex);
    expect(verdict).toMatchObject({ events: 2, broken: { id: 3 } });
    expect(verdict.broken?.why).toMatch(/event 3 is missing: the chain goes from event 2 to 4/);
  });

  it('notices the last event deleted: the head says more were written', async () => {
    const { wh } = await withEvents();
    await wh.knex(T.audit).where({ id: 5 }).delete();
    const verdict = await verifyAudit(wh.knex);
    expect(verdict).toMatchObject({ events: 4, broken: { id: 5 } });
    expect(verdict.broken?.why).toMatch(/the chain ends at event 4, but 5 were written/);
  });

  it('catches an edit whose hash was recomputed: the next event no longer follows it', async () => {
    const { wh, written } = await withEvents();
    const forged = { ...written[2]!, details: JSON.stringify({ unit: 'SWJ', reason: 'nothing happened' }) };
    const { hash: _old, ...content } = forged;
    await wh.knex(T.audit).where({ id: 3 }).update({ details: forged.details, hash: eventHash(content) });
    const verdict = await verifyAudit(wh.knex);
    expect(verdict).toMatchObject({ events: 3, broken: { id: 4 } });
    expect(verdict.broken?.why).toMatch(/^event 4 does not follow event 3/);
  });

  it('catches the last event rewritten with a recomputed hash: the head holds the old one', async () => {
    const { wh, written } = await withEvents();
    const { hash: _old, ...content } = { ...written[4]!, details: JSON.stringify({ status: 'ok' }) };
    await wh.knex(T.audit).where({ id: 5 }).update({ details: content.details, hash: eventHash(content) });
    const verdict = await verifyAudit(wh.knex);
    expect(verdict).toMatchObject({ events: 4, broken: { id: 5 } });
    expect(verdict.broken?.why).toMatch(/^event 5 was changed after it was written/);
  });

  it('catches an event added behind the chain head\'s back', async () => {
    const { wh, written } = await withEvents();
    const content = { ...written[4]!, id: 6, prev_hash: written[4]!.hash, details: '{}' };
    await wh.knex(T.audit).insert({ ...content, hash: eventHash(content) });
    const verdict = await verifyAudit(wh.knex);
    expect(verdict).toMatchObject({ events: 5, broken: { id: 6 } });
    expect(verdict.broken?.why).toMatch(/event 6 was not written through the chain's head/);
  });

  it('catches a deleted chain head', async () => {
    const { wh } = await withEvents();
    await wh.knex(T.auditHead).delete();
    expect(await verifyAudit(wh.knex)).toMatchObject({ events: 5, broken: { id: 6, why: expect.stringMatching(/head .* is missing/) } });
  });

  it('20 concurrent appenders get ids 1..20 without gaps and one intact chain', async () => {
    const wh = await fresh();
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(wh.knex, { kind: 'file-accepted', batchId: 1, fileId: i + 1, details: { n: i } })));
    expect(all.map((e) => e.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await verifyAudit(wh.knex)).toMatchObject({ events: 20 });
    expect(new Set((await auditLog(wh.knex)).map((e) => e.file_id)).size).toBe(20);
  });

  it('verifying while appenders write never reports a break', async () => {
    const wh = await fresh();
    const writing = Array.from({ length: 30 }, (_, i) => appendAudit(wh.knex, { kind: 'file-accepted', fileId: i + 1, details: { n: i } }));
    const verdicts = await Promise.all([verifyAudit(wh.knex), verifyAudit(wh.knex), verifyAudit(wh.knex)]);
    await Promise.all(writing);
    for (const v of verdicts) expect(v.broken).toBeUndefined();
    expect(await verifyAudit(wh.knex)).toMatchObject({ events: 30 });
  });
});

/** Appends through appendAudit, then moves the event to a chosen time, re-chaining it as if written then. */
async function stampedAppend(wh: Warehouse, input: AuditInput, at: string): Promise<void> {
  const e = await appendAudit(wh.knex, input);
  const { hash: _old, ...content } = { ...e, at };
  const hash = eventHash(content);
  await wh.knex(T.audit).where({ id: e.id }).update({ at, hash });
  await wh.knex(T.auditHead).where({ id: 1 }).update({ hash });
}
