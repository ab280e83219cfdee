import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { appendAudit, eventHash } from '../../src/warehouse/audit.js';

const SHA = `9f2ab13812345678cd0e${'0'.repeat(44)}`;
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { T } from '../../src/warehouse/tables.js';
import { SQLITE, type TestWarehouse } from '../warehouse/servers.js';
import { cli } from './capture.js';

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/.source;

describe('credit-etl audit (CLI)', () => {
  let place: TestWarehouse;
  beforeEach(async () => {
    place = await SQLITE.create();
    const wh = await openWarehouse(place.spec);
    await ensureSchema(wh, loadCatalog('v2'));
    await wh.close();
  });
  afterEach(async () => {
    await place.drop();
  });

  /** Writes through a connection of the test's own, closed before the command opens the file. */
  async function inWarehouse<R>(work: (wh: Warehouse) => Promise<R>): Promise<R> {
    const wh = await openWarehouse(place.spec);
    try {
      return await work(wh);
    } finally {
      await wh.close();
    }
  }

  const load = () => inWarehouse(async (wh) => [
    await appendAudit(wh.knex, { kind: 'run-started', batchId: 1, details: { catalog: 'v2' } }),
    await appendAudit(wh.knex, { kind: 'file-accepted', batchId: 1, fileId: 4, details: { unit: 'SCJG', name: '行政处罚-三月.xlsx', rows: 120, sha256: SHA } }),
    // A details value that should have been masked by its writer is masked on the way out anyway.
    await appendAudit(wh.knex, { kind: 'correction', batchId: 1, fileId: 4, details: { note: '更正 440524188001010014 的记录', by: '13812345678' } }),
    await appendAudit(wh.knex, { kind: 'migration', details: { note: '说明'.repeat(60) } }),
  ]);

  it('verify: a fresh warehouse has an intact, empty chain', async () => {
    const r = await cli('audit', 'verify', '--warehouse', place.spec);
    expect(r).toEqual({ code: 0, stdout: 'audit chain intact: 0 events\n', stderr: '' });
  });

  it('verify: counts the events and says when the first and last were written', async () => {
    const events = await load();
    const r = await cli('audit', 'verify', '--warehouse', place.spec);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`audit chain intact: 4 events, first ${events[0]!.at}, last ${events[3]!.at}\n`);
  });

  it('verify: exit 2 and the broken event on stderr after tampering', async () => {
    await load();
    await inWarehouse((wh) => wh.knex(T.audit).where({ id: 2 }).update({ details: JSON.stringify({ unit: 'SCJG', rows: 1 }) }));
    const r = await cli('audit', 'verify', '--warehouse', place.spec);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^audit chain BROKEN at event 2: event 2 \\(file-accepted, ${ISO}\\) was changed after it was written`));
  });

  it('verify: exit 2 for an edit whose hash was recomputed, naming the event after it', async () => {
    const events = await load();
    const { hash: _old, ...content } = { ...events[0]!, details: '{}' };
    await inWarehouse((wh) => wh.knex(T.audit).where({ id: 1 }).update({ details: '{}', hash: eventHash(content) }));
    const r = await cli('audit', 'verify', '--warehouse', place.spec);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^audit chain BROKEN at event 2: event 2 does not follow event 1/);
  });

  it('log: one line per event with id, time, kind, run and file, actor and masked details', async () => {
    const events = await load();
    const r = await cli('audit', 'log', '--warehouse', place.spec);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^#1\\s+${events[0]!.at}\\s+run-started\\s+run 1\\s+\\S+@\\S+ pid \\d+\\s+catalog=v2$`));
    expect(lines[1]).toMatch(/^#2\s+\S+\s+file-accepted\s+run 1 file 4\s+.+\s+unit=SCJG name=行政处罚-三月\.xlsx rows=120 sha256=9f2ab13812345678cd0e0/);
    expect(lines[2]).toMatch(/note=更正 440524\*{8}0014 的记录 by=138\*{4}5678$/);
    expect(r.stdout).not.toMatch(/440524188001010014|by=13812345678/);
    // Long details are cut to 100 terminal columns, a Chinese character counting two.
    expect(lines[3]).toMatch(/migration\s+-\s+.+\s+note=(说明){23}说…$/);
  });

  it('log: --kind and --since filter, json gives whole events with details as objects', async () => {
    const events = await load();
    const j = await cli('audit', 'log', '--kind', 'file-accepted', '--format', 'json', '--warehouse', place.spec);
    expect(j.code).toBe(0);
    // A checksum is shown whole, though it holds a phone-shaped run of digits.
    expect(JSON.parse(j.stdout)).toEqual([{ ...events[1]!, details: { unit: 'SCJG', name: '行政处罚-三月.xlsx', rows: 120, sha256: SHA } }]);
    const masked = JSON.parse((await cli('audit', 'log', '--kind', 'correction', '--format', 'json', '--warehouse', place.spec)).stdout) as [{ details: unknown }];
    expect(masked[0].details).toEqual({ note: '更正 440524********0014 的记录', by: '138****5678' });

    expect(JSON.parse((await cli('audit', 'log', '--since', '2000-01-01', '--format', 'json', '--warehouse', place.spec)).stdout)).toHaveLength(4);
    const none = await cli('audit', 'log', '--since', '2999-12-31T23:00:00+08:00', '--warehouse', place.spec);
    expect(none).toEqual({ code: 0, stdout: 'no audit events since 2999-12-31T15:00:00.000Z\n', stderr: '' });
    expect(JSON.parse((await cli('audit', 'log', '--since', '2999-12-31', '--format', 'json', '--warehouse', place.spec)).stdout)).toEqual([]);
  });

  it('log: a bad --since or --kind is refused with what to give instead', async () => {
    const notADate = await cli('audit', 'log', '--since', 'yesterday', '--warehouse', place.spec);
    expect(notADate.code).toBe(1);
    expect(notADate.stderr).toMatch(/--since "yesterday" is not a date or time: give a day \(2026-03-01\) or an ISO time/);
    const notReal = await cli('audit', 'log', '--since', '2026-02-30', '--warehouse', place.spec);
    expect(notReal.code).toBe(1);
    expect(notReal.stderr).toMatch(/--since "2026-02-30" is not a real date or time \(February 2026 has 28 days\)/);
    const kind = await cli('audit', 'log', '--kind', 'deleted', '--warehouse', place.spec);
    expect(kind.code).toBe(1);
    expect(kind.stderr).toMatch(/Allowed choices are run-started, run-finished/);
  });

  it('exit 1 with a reason when there is no warehouse or it has no audit trail, creating nothing', async () => {
    const missing = place.spec.replace(/credit\.db$/, 'typo.db');
    const r = await cli('audit', 'verify', '--warehouse', missing);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no warehouse at .*typo\.db: check --warehouse/);
    expect((await cli('audit', 'log', '--warehouse', missing)).code).toBe(1);
    expect(existsSync(missing)).toBe(false);
    await inWarehouse((wh) => wh.knex.schema.dropTable(T.audit));
    const bare = await cli('audit', 'verify', '--warehouse', place.spec);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toMatch(/has no audit trail \(no etl_audit table\)/);
  });

  it('--help teaches the exit codes and gives examples', async () => {
    const r = await cli('audit', 'verify', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Exit status: 0 the chain is intact; 2 it is broken/);
    expect(r.stdout).toMatch(/credit-etl audit verify --warehouse/);
    const log = await cli('audit', 'log', '--help');
    expect(log.stdout).toMatch(/--since <day\|time>/);
    expect(log.stdout).toMatch(/credit-etl audit log --since 2026-03-01/);
  });
});
