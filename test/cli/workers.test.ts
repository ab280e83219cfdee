// Several `credit-etl run --unit …` workers at once on one database-server warehouse, as several
// machines run them: one landing zone every machine mounts (the shared inbox, archive and
// quarantine), each machine its own working folder (logs, reports, receipts) and its own units.
// The units' deliveries name the same enterprises and people, each in another form (a USCC, the
// organisation code, the registration number, the old tax number, the name alone, an 18- or
// 15-digit resident ID), so the workers create, link and merge the same entities at the same time.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { regNoCheckChar, residentIdCheckChar } from '../../src/validate/identifiers/checksums.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import { ledgerIdentity } from '../../src/warehouse/ledger.js';
import { delimited, orgCode, PENALTY_HEADER, penaltyRow, uscc } from '../../scripts/penalty-rows.js';
import { MARIADB, POSTGRES, type TestWarehouse, type WarehouseKind } from '../warehouse/servers.js';
import { clean, CLI, files, node, REPO, TSX, type Ran } from './processes.js';

const NIGHT = '2026-11-25';
const UNITS = ['SCJG', 'STHJ', 'SWJ'] as const;
/** Enterprises, 个体工商户 and people each: every unit delivers one 行政处罚 about each of them. */
const PER_KIND = 1000;
const ROWS = 3 * PER_KIND;
/** A unit's rows in this many files: the workers' files interleave on the registry. */
const FILES = 3;
/** The second unit's first rows carry the first unit's decision numbers: the same records, delivered twice. */
const SHARED_KEYS = 100;
const KEY = 'c3'.repeat(32);
const env = { ...clean, CREDIT_ETL_ID_KEY: KEY };
/** Holds locks from a process of its own, as another run would. */
const HOLD_LOCK = join(REPO, 'test', 'warehouse', 'hold-lock.ts');

const catalog = loadCatalog('v2');
const ITEMS = catalog.subjects.find((s) => s.code === 'XZCF')!.items.map((i) => i.code);
const authority = (unit: string) => catalog.units.find((u) => u.code === unit)!;

type Form = 'uscc' | 'uscc+org' | 'uscc+tax' | 'org' | 'reg' | 'org+reg' | 'tax' | 'name' | 'id18' | 'id15';
// What each unit's row about an entity carries: a row of forms per entity, rotated by unit. Each
// row of forms is connected (a registration number alone comes with a row carrying it beside the
// organisation code), so each entity's records end up as one entity whichever file loads first.
const ENTERPRISE: Form[][] = [['uscc', 'uscc+org', 'uscc+tax']];
const SHOP: Form[][] = [['uscc', 'org', 'org+reg'], ['reg', 'org+reg', 'uscc'], ['tax', 'name', 'uscc'], ['name', 'reg', 'org+reg']];
const PERSON: Form[][] = [['id18', 'id15', 'id18']];
const DIVISIONS = ['441302', '441303', '441322', '441323', '441324'];
// People share names: only their resident IDs tell them apart.
const PEOPLE = ['陈伟', '李秀英', '张建华', '黄海燕', '刘志强'];
const TRADES = ['鸿达', '粤惠', '东江', '西湖', '罗浮', '金山', '华鑫', '永盛', '联创', '宏图', '德润', '嘉禾'];

/** Row `n` of the unit at `u` in UNITS: about entity n (enterprise, 个体工商户 or person by n mod 3). */
function deliveredRow(u: number, n: number): string[] {
  const cells = penaltyRow(n);
  const set = (code: string, value: string) => { cells[ITEMS.indexOf(code)] = value; };
  for (const code of ['CF_XDR_SHXYM', 'CF_XDR_GSZC', 'CF_XDR_ZZJG', 'CF_XDR_SWDJ', 'CF_FRDB', 'CF_FR_ZJLX', 'CF_FR_ZJHM', 'CF_XDR_ZJLX', 'CF_XDR_ZJHM']) set(code, '');
  const i = Math.floor(n / 3);
  const division = DIVISIONS[i % DIVISIONS.length]!;
  const kind = n % 3;
  const form = (forms: Form[][]) => forms[i % forms.length]![(i + u) % 3]!;
  if (kind === 2) {
    const id = `441302${1950 + (i % 40)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i).padStart(3, '0')}`;
    const id18 = id + residentIdCheckChar(id)!;
    set('CF_XDR_LB', '自然人');
    set('CF_XDR_MC', PEOPLE[i % PEOPLE.length]!);
    set('CF_XDR_ZJLX', '身份证');
    set('CF_XDR_ZJHM', form(PERSON) === 'id15' ? id18.slice(0, 6) + id18.slice(8, 17) : id18);
  } else {
    const org = orgCode(`${kind === 0 ? 'MC' : 'MB'}${String(i).padStart(6, '0')}`);
    const f = form(kind === 0 ? ENTERPRISE : SHOP);
    const has = (part: string) => f.split('+').includes(part);
    set('CF_XDR_LB', kind === 0 ? '法人及非法人组织' : '个体工商户');
    set('CF_XDR_MC', kind === 0 ? `惠州市${TRADES[i % TRADES.length]}第${i}实业有限公司` : `惠州市${TRADES[i % TRADES.length]}${i}号五金店`);
    if (has('uscc')) set('CF_XDR_SHXYM', uscc(`${kind === 0 ? '91' : '92'}${division}${org}`));
    if (has('org')) set('CF_XDR_ZZJG', org);
    if (has('tax')) set('CF_XDR_SWDJ', division + org);
    if (has('reg')) set('CF_XDR_GSZC', `441300${String(i).padStart(8, '0')}${regNoCheckChar(`441300${String(i).padStart(8, '0')}`)!}`);
    if (kind === 0) set('CF_FRDB', '叶志强');
  }
  // The first unit's decision numbers are its own; the second unit delivers SHARED_KEYS of them again.
  const decidedBy = u === 1 && n < SHARED_KEYS ? 0 : u;
  const by = authority(UNITS[decidedBy]!);
  const from = authority(UNITS[u]!);
  set('CF_WSH', `${UNITS[decidedBy]}罚字〔2026〕第${n}号`);
  set('CF_CFJG', by.name);
  set('CF_CFJGDM', by.uscc);
  set('CF_SJLY', from.name);
  set('CF_SJLYDM', from.uscc);
  return cells;
}

interface Landing {
  root: string;
  /** The shared landing zone's folders, as every machine mounts them. */
  inbox: string;
  archive: string;
  /** Each machine's working folder, with its pipeline `worker`. */
  machines: string[];
}

const places: string[] = [];
afterAll(() => {
  for (const dir of places) rmSync(dir, { recursive: true, force: true });
});

/** The night's deliveries of `units` in the landing zone, and a working folder per machine. */
function landing(units: readonly string[], machines: number): Landing {
  const root = mkdtempSync(join(tmpdir(), 'credit-etl-workers-'));
  places.push(root);
  const shared = join(root, 'landing');
  for (const unit of units) {
    const u = UNITS.indexOf(unit as (typeof UNITS)[number]);
    const dir = join(shared, 'inbox', NIGHT, unit);
    mkdirSync(dir, { recursive: true });
    const per = ROWS / FILES;
    for (let f = 0; f < FILES; f++) {
      const rows = Array.from({ length: per }, (_, k) => deliveredRow(u, f * per + k));
      writeFileSync(join(dir, `行政处罚_${NIGHT.replaceAll('-', '')}_${f + 1}.csv`), delimited([PENALTY_HEADER, ...rows], ',', '\r\n'));
    }
  }
  const pipeline = {
    name: 'worker', catalog: 'v2',
    folders: { inbox: join(shared, 'inbox'), archive: join(shared, 'archive'), quarantine: join(shared, 'quarantine'), logs: 'var/log', reports: 'var/reports', receipts: 'var/receipts' },
  };
  return {
    root, inbox: join(shared, 'inbox'), archive: join(shared, 'archive'),
    machines: Array.from({ length: machines }, (_, m) => {
      const dir = join(root, `machine-${m + 1}`);
      mkdirSync(join(dir, 'pipelines'), { recursive: true });
      writeFileSync(join(dir, 'pipelines', 'worker.json'), JSON.stringify(pipeline));
      return dir;
    }),
  };
}

/** A credit-etl process started now; `watch` sees its stderr as it comes. */
function launch(cwd: string, args: string[], watch?: (stderr: string) => void): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      watch?.(stderr);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const worker = (spec: string, ...units: string[]) => ['run', '--pipeline', 'worker', '--warehouse', spec, '--unit', ...units];

async function opened<T>(spec: string, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await openWarehouse(spec);
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

describe.each([POSTGRES, MARIADB])('several `credit-etl run --unit …` workers on one $name warehouse', (kind: WarehouseKind) => {
  const made: TestWarehouse[] = [];
  afterAll(async () => {
    for (const place of made) await place.drop();
  });
  const fresh = async () => {
    const place = await kind.create();
    made.push(place);
    return place.spec;
  };

  it('load deliveries naming the same entities at once, on a warehouse none of them has built: no entity twice, every ledger identity holds, the audit chain verifies', async () => {
    const spec = await fresh();
    const land = landing(UNITS, UNITS.length);
    const runs = await Promise.all(UNITS.map((unit, m) => launch(land.machines[m]!, worker(spec, unit))));
    for (const r of runs) expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(files(land.inbox)).toEqual([]);
    expect(files(land.archive)).toHaveLength(UNITS.length * FILES);

    await opened(spec, async (wh) => {
      const loaded = (await wh.knex('etl_files').select('id', 'batch_id', 'outcome', 'started_at', 'finished_at', 'loaded', 'updated', 'unchanged', 'duplicate', 'rejected')) as Row[];
      expect(loaded.map((f) => f['outcome'])).toEqual(Array(UNITS.length * FILES).fill('loaded'));
      for (const f of loaded) expect((await ledgerIdentity(wh, Number(f['id']))).holds, `file ${String(f['id'])}`).toBe(true);
      const total = (o: string) => loaded.reduce((n, f) => n + Number(f[o]), 0);
      // Every row a new record but the shared decision numbers' second delivery, whichever came first.
      expect({ loaded: total('loaded'), updated: total('updated'), unchanged: total('unchanged'), duplicate: total('duplicate'), rejected: total('rejected') })
        .toEqual({ loaded: UNITS.length * ROWS - SHARED_KEYS, updated: SHARED_KEYS, unchanged: 0, duplicate: 0, rejected: 0 });

      // The workers truly ran together: each one's span of files overlaps every other's, and their
      // files, taking turns at the registry, finished interleaved rather than one worker's after another's.
      const batches = [...new Set(loaded.map((f) => Number(f['batch_id'])))];
      expect(batches).toHaveLength(UNITS.length);
      const span = (b: number) => {
        const own = loaded.filter((f) => Number(f['batch_id']) === b);
        return { from: Math.min(...own.map((f) => Date.parse(String(f['started_at'])))), to: Math.max(...own.map((f) => Date.parse(String(f['finished_at'])))) };
      };
      const spans = batches.map(span);
      expect(Math.max(...spans.map((s) => s.from))).toBeLessThan(Math.min(...spans.map((s) => s.to)));
      const order = [...loaded].sort((a, b) => String(a['finished_at']).localeCompare(String(b['finished_at']))).map((f) => Number(f['batch_id']));
      expect(order.filter((b, k) => k > 0 && b !== order[k - 1]).length).toBeGreaterThanOrEqual(UNITS.length);

      const entities = new Map(((await wh.knex('etl_entities').select('id', 'merged_into', 'resolved_to', 'uscc')) as Row[]).map((e) => [Number(e['id']), e]));
      const live = (id: number | null) => id !== null && entities.has(id) && entities.get(id)!['merged_into'] === null;
      // Every identifier belongs to one live entity, and no two live entities share a USCC.
      const identifiers = (await wh.knex('etl_identifiers').select('entity_id', 'kind', 'value')) as Row[];
      expect(identifiers.filter((i) => !live(num(i['entity_id'])))).toEqual([]);
      const holders = new Map<string, Set<number>>();
      for (const i of identifiers) holders.set(`${String(i['kind'])} ${String(i['value'])}`, (holders.get(`${String(i['kind'])} ${String(i['value'])}`) ?? new Set()).add(Number(i['entity_id'])));
      expect([...holders].filter(([, ids]) => ids.size > 1)).toEqual([]);
      const usccs = [...entities.values()].filter((e) => e['merged_into'] === null && e['uscc'] !== null).map((e) => e['uscc']);
      expect(new Set(usccs).size).toBe(usccs.length);
      const [conflicts] = (await wh.knex('etl_entity_conflicts').count({ n: '*' })) as Row[];
      expect(Number(conflicts!['n'])).toBe(0);

      // Every record links to a live entity; through a name-only entity's resolution, the records
      // about one enterprise or person all reach one entity, and records about two never share one.
      const records = (await wh.knex('xzcf').select('cf_wsh', '_entity_id', '_key', '_valid_to')) as Row[];
      expect(records).toHaveLength(UNITS.length * ROWS);
      expect(records.filter((r) => !live(num(r['_entity_id'])))).toEqual([]);
      const unchangedOrRejected = (await wh.knex('etl_ledger').whereNotNull('entity_id').select('entity_id')) as Row[];
      expect(unchangedOrRejected.filter((l) => !live(num(l['entity_id'])))).toEqual([]);
      const resolve = (id: number): number => {
        const e = entities.get(id)!;
        const next = num(e['merged_into']) ?? num(e['resolved_to']);
        return next === null || next === id ? id : resolve(next);
      };
      const byTruth = new Map<number, Set<number>>();
      for (const r of records) {
        const n = Number(/第(\d+)号/.exec(String(r['cf_wsh']))![1]);
        byTruth.set(n, (byTruth.get(n) ?? new Set()).add(resolve(Number(r['_entity_id']))));
      }
      expect([...byTruth].filter(([, ids]) => ids.size !== 1)).toEqual([]);
      expect(new Set([...byTruth.values()].map((ids) => [...ids][0])).size).toBe(ROWS);

      // One version in force per business key: the shared decision numbers have two, one closed.
      const open = new Map<string, number>();
      for (const r of records) if (r['_valid_to'] === null) open.set(String(r['_key']), (open.get(String(r['_key'])) ?? 0) + 1);
      expect(open.size).toBe(UNITS.length * ROWS - SHARED_KEYS);
      expect([...open.values()].every((n) => n === 1)).toBe(true);
    });

    const audit = node(land.root, [CLI, 'audit', 'verify', '--warehouse', spec], env);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
  }, 600_000);

  it('with overlapping --unit sets, a worker exits 4 while another holds a unit it needs, and loads nothing twice when another took its files while it waited', async () => {
    const spec = await fresh();
    const land = landing(['SCJG'], 1);
    const [machine] = land.machines as [string];
    const init = node(machine, [CLI, 'warehouse', 'init', '--catalog', 'v2', '--warehouse', spec], env);
    expect(init.code, init.stderr).toBe(0);
    const waiting = files(land.inbox);

    // Another run holds SCJG: this one takes none of its units and touches nothing.
    const holder = spawn(process.execPath, ['--import', TSX, HOLD_LOCK, spec, 'unit:SCJG'], { stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const refused = await launch(machine, worker(spec, 'STHJ', 'SCJG'));
    holder.stdin.end();
    await new Promise((resolve) => holder.once('close', resolve));
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toMatch(/unit SCJG is being loaded by run 7 /);
    expect(files(land.inbox)).toEqual(waiting);

    // Between this run's look at the inbox and its locks (held up here at the audit chain's head),
    // another run sharing the inbox loads SCJG's files and archives them.
    await opened(spec, async (wh) => {
      const trx = await wh.knex.transaction();
      await trx('etl_audit_head').where({ id: 1 }).forUpdate().first();
      let taken = false;
      const late = await launch(machine, worker(spec, 'SCJG'), (stderr) => {
        if (taken || !stderr.includes('"msg":"inbox scanned"')) return;
        taken = true;
        mkdirSync(join(land.archive, NIGHT, 'SCJG'), { recursive: true });
        for (const f of waiting) renameSync(join(land.inbox, f), join(land.archive, f));
        void trx.rollback();
      });
      expect(late.code, late.stderr.slice(-2000)).toBe(0);
      expect(late.stdout).toMatch(/^run \d+: no deliveries waiting/);
      const [{ n }] = (await wh.knex('etl_files').count({ n: '*' })) as [{ n: number | string }];
      expect(Number(n)).toBe(0);
    });
  }, 120_000);
});
