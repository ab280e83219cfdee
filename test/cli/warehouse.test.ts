import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWarehouse } from '../../src/warehouse/connect.js';
import { acquireLocks, unitLockName } from '../../src/warehouse/lock.js';
import { schemaState } from '../../src/warehouse/schema.js';
import { SQLITE, type TestWarehouse } from '../warehouse/servers.js';
import { cli } from './capture.js';

const lineage = { _key: 'k', _hash: 'h', _batch_id: 1, _file_id: 1, _source_row: 3, _unit: 'SCJG', _change: 'loaded', _valid_from: '2025-06-30T00:00:00.000Z' };

describe('credit-etl warehouse (CLI, SQLite file)', () => {
  let place: TestWarehouse;
  beforeEach(async () => {
    place = await SQLITE.create();
  });
  afterEach(() => place.drop());

  async function insertPenalties(): Promise<void> {
    const wh = await openWarehouse(place.spec);
    try {
      await wh.knex('xzcf').insert([
        { cf_wsh: '惠市监罚〔2024〕17号', cf_xdr_zdm: '12345678-9', cf_cfmc: '食品安全违法案', ...lineage, _valid_to: '2025-07-01T00:00:00.000Z' },
        { cf_wsh: '惠市监罚〔2024〕17号', cf_xdr_zdm: '12345678-9', cf_cfmc: '食品安全违法案（更正）', ...lineage, _change: 'updated' },
      ]);
    } finally {
      await wh.close();
    }
  }

  async function catalogHeld(): Promise<string | undefined> {
    const wh = await openWarehouse(place.spec);
    try {
      return (await schemaState(wh.knex)).catalog;
    } finally {
      await wh.close();
    }
  }

  it('init builds the tables once and says what it created', async () => {
    const r = await cli('warehouse', 'init', '--catalog', 'v1', '--warehouse', place.spec);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^built the warehouse .*credit\.db for catalog v1: created 59 tables\n  toolkit \(15\): etl_meta, .*\n  data subjects \(44\): .*\bxzcf\b/);
    const again = await cli('warehouse', 'init', '--catalog', 'v1', '--warehouse', place.spec);
    expect(again.stdout).toMatch(/already follows catalog v1: nothing to create/);
    const other = await cli('warehouse', 'init', '--catalog', 'v2', '--warehouse', place.spec);
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/holds catalog v1 data, not v2: move it with `credit-etl warehouse migrate --catalog v2`/);
  });

  it('status shows versions, record versions per subject with rows, runs and files', async () => {
    const unbuilt = await cli('warehouse', 'status', '--warehouse', place.spec);
    expect(unbuilt.code).toBe(1);
    expect(unbuilt.stderr).toMatch(/no warehouse at .*credit\.db: .*build one with `credit-etl warehouse init --catalog v2`/);
    await cli('warehouse', 'init', '--catalog', 'v1', '--warehouse', place.spec);
    expect((await cli('warehouse', 'status', '--warehouse', place.spec)).stdout).toMatch(/catalog v1 · schema version 3 · 0 runs · 0 files\n\nno data-subject table holds records yet/);
    await insertPenalties();
    const r = await cli('warehouse', 'status', '--warehouse', place.spec);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/data subjects with records \(1\):\n  SUBJECT\s+TABLE\s+CURRENT\s+HISTORIC\n  XZCF\s+xzcf\s+1\s+1\n/);
    const j = JSON.parse((await cli('warehouse', 'status', '--warehouse', place.spec, '--format', 'json')).stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ dialect: 'sqlite', catalog: 'v1', schemaVersion: 3, runs: 0, files: 0, subjects: [{ subject: 'XZCF', table: 'xzcf', current: 1, historic: 1 }] });
  });

  it('migrate --dry-run prints the plan with breaking steps and their rows, and changes nothing', async () => {
    await cli('warehouse', 'init', '--catalog', 'v1', '--warehouse', place.spec);
    await insertPenalties();
    const r = await cli('warehouse', 'migrate', '--catalog', 'v2', '--warehouse', place.spec, '--dry-run');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^migrate .*credit\.db from catalog v1 to v2: \d+ steps, \d+ breaking; \d+ catalog changes need no table change/);
    expect(r.stdout).toMatch(/BREAKING \(\d+\): applied only with --accept-breaking; REFUSED ones never\n(.*\n)*  keep-column\s+BREAKING 2 rows\s+keep column xzcf\.cf_cfmc: XZCF\.CF_CFMC .*\(2 rows hold a value\)/);
    expect(r.stdout).toMatch(/  rename-column\s+rename column xzcf\.cf_xdr_zdm → cf_xdr_zzjg: its values stay/);
    expect(r.stdout).toMatch(/  alter-column\s+change xzcf\.cf_xdr_mc varchar\(128\) → varchar\(200\) .*SQLite enforces no length or type, so no DDL/);
    expect(r.stdout).toMatch(/dry run: nothing changed\n$/);
    expect(await catalogHeld()).toBe('v1');
  });

  it('migrate refuses breaking steps without --accept-breaking, then applies them with it', async () => {
    await cli('warehouse', 'init', '--catalog', 'v1', '--warehouse', place.spec);
    await insertPenalties();
    const refused = await cli('warehouse', 'migrate', '--catalog', 'v2', '--warehouse', place.spec);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing to migrate .* from catalog v1 to v2: \d+ breaking changes\n(.*\n)*  - keep column xzcf\.cf_cfmc: .*\n(.*\n)*Read the list; .*rerun with --accept-breaking/);
    expect(await catalogHeld()).toBe('v1');

    const done = await cli('warehouse', 'migrate', '--catalog', 'v2', '--warehouse', place.spec, '--accept-breaking');
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/migrated .*credit\.db from catalog v1 to v2: \d+ steps applied, \d+ breaking accepted; recorded in the audit trail/);
    expect(await catalogHeld()).toBe('v2');
    const again = await cli('warehouse', 'migrate', '--catalog', 'v2', '--warehouse', place.spec);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already follows catalog v2: nothing to migrate/);
  });

  it('migrate waits for no one: a unit locked by a running load exits 4, naming the holder, and changes nothing', async () => {
    await cli('warehouse', 'init', '--catalog', 'v1', '--warehouse', place.spec);
    const wh = await openWarehouse(place.spec);
    const held = await acquireLocks(wh, [unitLockName('SCJG')], { what: 'run 7' });
    try {
      const locked = await cli('warehouse', 'migrate', '--catalog', 'v2', '--warehouse', place.spec, '--accept-breaking');
      expect(locked.code).toBe(4);
      expect(locked.stderr).toMatch(/^credit-etl: unit SCJG is being loaded by run 7 \(.*pid \d+\) since .*; wait for it to finish, or stop it\n$/);
      expect(await catalogHeld()).toBe('v1');
    } finally {
      await held.release();
      await wh.close();
    }
  });

  it('--help teaches each command with examples', async () => {
    for (const sub of ['init', 'status', 'migrate']) {
      const r = await cli('warehouse', sub, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples:\n  credit-etl warehouse /);
      expect(r.stdout).toMatch(/--warehouse <url\|path>/);
    }
    expect((await cli('warehouse', 'migrate', '--help')).stdout).toMatch(/--accept-breaking[\s\S]*--dry-run/);
  });
});
