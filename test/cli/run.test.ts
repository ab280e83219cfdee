// The nightly run end to end, as a data engineer runs it: the README's main command in a fresh
// working folder holding a copy of the fixture nights, each command a process of its own.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import createKnex from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { loadCatalog } from '../../src/catalog/index.js';
import { maskText } from '../../src/mask.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import { ledgerIdentity } from '../../src/warehouse/ledger.js';
import { penaltyRow } from '../../scripts/penalty-rows.js';
import { clean, CLI, files, node, REPO, TSX } from './processes.js';

const NIGHTS = ['2026-11-25', '2026-11-26', '2026-11-27'];
const places: string[] = [];

/** A working folder as a fresh clone has it: the fixture nights, nothing else (pipelines and catalogs come from the package). */
function workFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'credit-etl-run-'));
  places.push(dir);
  cpSync(join(REPO, 'fixtures', 'nights'), join(dir, 'fixtures', 'nights'), { recursive: true });
  return dir;
}

afterAll(() => {
  for (const dir of places) rmSync(dir, { recursive: true, force: true });
});

const seed = (cwd: string) => node(cwd, [join(REPO, 'scripts', 'seed-var.ts')]);
const run = (cwd: string, ...args: string[]) => node(cwd, [CLI, 'run', '--catalog', 'v2', ...args]);

/** Everything a person can read in the run's reports and receipts (workbooks as their cells' text). */
function publishedText(cwd: string): string {
  const texts: string[] = [];
  for (const folder of ['reports', 'receipts']) {
    for (const f of files(join(cwd, 'var', folder))) {
      const path = join(cwd, 'var', folder, f);
      if (f.endsWith('.xlsx')) {
        const book = XLSX.read(readFileSync(path));
        texts.push(...book.SheetNames.map((n) => XLSX.utils.sheet_to_csv(book.Sheets[n]!)));
      } else texts.push(readFileSync(path, 'utf8'));
    }
  }
  return texts.join('\n');
}

async function withWarehouse<T>(cwd: string, work: (wh: Warehouse) => Promise<T>): Promise<T> {
  const wh = await openWarehouse(join(cwd, 'var', 'warehouse', 'credit.db'), { create: false });
  try {
    return await work(wh);
  } finally {
    await wh.close();
  }
}

async function count(wh: Warehouse, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const [{ n }] = (await wh.knex(table).where(where).count({ n: '*' })) as [{ n: number | string }];
  return Number(n);
}

/** What the warehouse holds, in figures that must not move when the same deliveries come again. */
async function state(cwd: string) {
  return withWarehouse(cwd, async (wh) => ({
    xzcf: await count(wh, 'xzcf'), xzxk: await count(wh, 'xzxk'), openXzxk: await count(wh, 'xzxk', { _valid_to: null }),
    entities: await count(wh, 'etl_entities'), loadedFiles: await count(wh, 'etl_files', { outcome: 'loaded' }),
    distinctLoaded: Number(((await wh.knex('etl_files').where({ outcome: 'loaded' }).countDistinct({ n: 'sha256' })) as [{ n: number }])[0].n),
  }));
}

describe('credit-etl run on the fixture nights', () => {
  const cwd = workFolder();

  it('runs the README\'s main command: every night loaded, archived or quarantined with its reason, exit 2', async () => {
    const s = seed(cwd);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('var/inbox: a copy of fixtures/nights');
    expect(statSync(join(cwd, 'var', 'id.key')).mode & 0o777).toBe(0o600);

    const r = run(cwd);
    expect(r.stderr).not.toMatch(/"level":(50|60)/);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^run 1: 19 file\(s\)\n/);
    expect(r.stdout).toContain('15 loaded · 1 duplicate deliveries · 3 quarantined · 0 failed · 74 rows read');
    expect(r.stdout).toMatch(/2026-11-26\/SCJG\/行政处罚信息_20261125\.csv +loaded +5 read: 3 loaded, 1 updated, 1 unchanged, 0 duplicate, 0 rejected/);
    expect(r.stdout).toMatch(/2026-11-27\/STHJ\/行政处罚_20261124\(1\)\.xls +duplicate +the same bytes as 行政处罚_20261124\.xls/);

    // The inbox is empty; every file is in the archive or in quarantine beside its reason.
    expect(files(join(cwd, 'var', 'inbox'))).toEqual([]);
    expect(files(join(cwd, 'var', 'archive'))).toHaveLength(16);
    expect(files(join(cwd, 'var', 'quarantine'))).toEqual([
      '2026-11-26/TJJ/行政处罚_20261125.xlsx', '2026-11-26/TJJ/行政处罚_20261125.xlsx.reason.json',
      '2026-11-27/RSJ/工资发放明细_202611.csv', '2026-11-27/RSJ/工资发放明细_202611.csv.reason.json',
      '2026-11-27/XFJY/行政处罚决定_20261126.xlsx', '2026-11-27/XFJY/行政处罚决定_20261126.xlsx.reason.json',
    ]);
    const why = JSON.parse(readFileSync(join(cwd, 'var', 'quarantine', '2026-11-27/XFJY/行政处罚决定_20261126.xlsx.reason.json'), 'utf8')) as Record<string, unknown>;
    expect(why).toMatchObject({ file: '2026-11-27/XFJY/行政处罚决定_20261126.xlsx', code: 'file/error-limit', run: 1 });
    // Committed fixtures are never touched.
    expect(files(join(cwd, 'fixtures', 'nights')).filter((f) => !f.endsWith('README.md'))).toHaveLength(19);

    expect(await state(cwd)).toEqual({ xzcf: 45, xzxk: 23, openXzxk: 21, entities: 45, loadedFiles: 15, distinctLoaded: 15 });
    await withWarehouse(cwd, async (wh) => {
      const loaded = (await wh.knex('etl_files').where({ outcome: 'loaded' }).select('id')) as { id: number }[];
      for (const { id } of loaded) expect((await ledgerIdentity(wh, Number(id))).holds, `file ${id}`).toBe(true);
      // The person of night 1 (18-digit ID) and night 2 (15-digit form) is one entity.
      const huang = (await wh.knex('xzcf').where({ cf_xdr_mc: '黄建华' }).select('_entity_id', '_link_rule')) as { _entity_id: number; _link_rule: string }[];
      expect(new Set(huang.map((h) => Number(h._entity_id))).size).toBe(1);
      expect(huang.map((h) => h._link_rule)).toContain('resident-id');
    });

    // Deliveries owed and not made: CGJ sent no 行政处罚 on the 25th or 26th (due the 26th, T+1);
    // SCJG sent one each of those nights. Recorded once each, and named in the summary.
    expect(r.stdout).toMatch(/\n\d+ deliveries missing past their deadline, from \d+ unit\(s\): recorded in etl_missing/);
    await withWarehouse(cwd, async (wh) => {
      const owed = (await wh.knex('etl_missing').select('unit', 'subject', 'period_start', 'due')) as { unit: string; subject: string; period_start: string; due: string }[];
      const has = (unit: string, subject: string, due: string) => owed.some((m) => m.unit === unit && m.subject === subject && m.due === due);
      expect(has('CGJ', 'XZCF', '2026-11-26')).toBe(true);
      expect(has('SCJG', 'XZCF', '2026-11-26')).toBe(false);
      expect(has('SCJG', 'XZCF', '2026-11-27')).toBe(false);
      expect(has('SCJG', 'XZXK', '2026-11-26')).toBe(false);
      expect(new Set(owed.map((m) => `${m.unit} ${m.subject} ${m.period_start}`)).size).toBe(owed.length);
    });

    // The run's report, in three renderings, and a receipt (xlsx and csv) for each of the 19 deliveries.
    expect(files(join(cwd, 'var', 'reports'))).toEqual(['1/report.html', '1/report.json', '1/report.md']);
    expect(r.stdout).toContain(`report: ${join(cwd, 'var', 'reports', '1', 'report.html')}`);
    expect(r.stdout).toContain('rows: 74 read = ');
    const report = JSON.parse(readFileSync(join(cwd, 'var', 'reports', '1', 'report.json'), 'utf8')) as { totals: { rowsRead: number; files: Record<string, number> }; generatedAt: string };
    const ajv = new Ajv({ strict: true });
    addFormats.default(ajv);
    expect(ajv.validate(JSON.parse(readFileSync(join(REPO, 'schemas', 'report.schema.json'), 'utf8')) as object, report), ajv.errorsText()).toBe(true);
    expect(report.totals).toMatchObject({ rowsRead: 74, files: { loaded: 15, duplicate: 1, quarantined: 3, failed: 0, unavailable: 0 } });
    const receipts = files(join(cwd, 'var', 'receipts'));
    expect(receipts.filter((f) => f.endsWith('.receipt.xlsx'))).toHaveLength(19);
    expect(receipts.filter((f) => f.endsWith('.receipt.csv'))).toHaveLength(19);
    const xfjy = readFileSync(join(cwd, 'var', 'receipts', 'XFJY', '2026-11-27', '行政处罚决定_20261126.xlsx.receipt.csv'), 'utf8');
    // The unit's receipt for its quarantined file names the reason in Chinese and each of its 10 rejected rows.
    expect(xfjy).toContain('"处理结果","已退回（隔离）"');
    expect(xfjy).toContain('拒绝行数超过限额');
    expect(new Set([...xfjy.matchAll(/^"(\d+)","处罚决定",/gm)].map((m) => m[1])).size).toBe(10);
    // `report` builds the same model again from the warehouse.
    const again = node(cwd, [CLI, 'report', '--last', '--format', 'json']);
    expect(again.code).toBe(0);
    expect({ ...(JSON.parse(again.stdout) as typeof report), generatedAt: '' }).toEqual({ ...report, generatedAt: '' });

    // No resident ID or phone reaches a log line (on stderr or in the run's log file), a report or a receipt.
    const logs = files(join(cwd, 'var', 'log'));
    expect(logs).toHaveLength(1);
    for (const text of [r.stderr, readFileSync(join(cwd, 'var', 'log', logs[0]!), 'utf8'), publishedText(cwd)]) {
      expect(text.length).toBeGreaterThan(1000);
      expect(maskText(text)).toBe(text);
    }
  }, 120_000);

  it('is safe to run again: nothing waiting, nothing changed, exit 0', async () => {
    const before = await state(cwd);
    expect(seed(cwd).stdout).toContain('var/inbox is there already');
    const r = run(cwd);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run 2: no deliveries waiting in /);
    expect(await state(cwd)).toEqual(before);
    // A run with nothing to load still has its report, listing what it judged missing (recorded by run 1).
    const report = JSON.parse(readFileSync(join(cwd, 'var', 'reports', '2', 'report.json'), 'utf8')) as { totals: { rowsRead: number; missing: number } };
    const said = /\n(\d+) deliveries missing past their deadline/.exec(r.stdout);
    expect(report.totals).toMatchObject({ rowsRead: 0, missing: said ? Number(said[1]) : 0 });
  }, 60_000);

  it('changes nothing when night 2 is delivered again: its files are duplicates, its broken file quarantined again', async () => {
    const before = await state(cwd);
    cpSync(join(cwd, 'fixtures', 'nights', '2026-11-26'), join(cwd, 'var', 'inbox', '2026-11-26'), { recursive: true });
    const r = run(cwd, '--date', '2026-11-26');
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('0 loaded · 5 duplicate deliveries · 1 quarantined · 0 failed');
    expect(await state(cwd)).toEqual(before);
    // Names already taken in the archive get a number; nothing is overwritten.
    expect(files(join(cwd, 'var', 'archive', '2026-11-26', 'SCJG'))).toEqual(['行政处罚信息_20261125.1.csv', '行政处罚信息_20261125.csv']);
  }, 60_000);

  it('--dry-run checks and loads everything, then commits nothing and moves nothing', async () => {
    const dry = workFolder();
    seed(dry);
    const r = run(dry, '--dry-run', '--date', '2026-11-25');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^dry run \(nothing committed, nothing moved\): 6 file\(s\)/);
    expect(files(join(dry, 'var', 'inbox'))).toHaveLength(19);
    expect(existsSync(join(dry, 'var', 'archive'))).toBe(false);
    await withWarehouse(dry, async (wh) => {
      expect(await count(wh, 'xzcf')).toBe(0);
      expect(await count(wh, 'etl_files')).toBe(0);
      expect(await count(wh, 'etl_entities')).toBe(0);
    });
  }, 60_000);

  it('exits 1 with a clear message when there is no key and no key file', () => {
    const bare = workFolder();
    mkdirSync(join(bare, 'var', 'inbox'), { recursive: true });
    const r = run(bare);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`names the resident-ID key file ${join(bare, 'var', 'id.key')}, which does not exist`);
    expect(r.stderr).toContain('openssl rand -hex 32');
  });

  it('finishes the rest after a kill -9 mid-night, loading nothing twice', async () => {
    const killed = workFolder();
    seed(killed);
    // Killed once the third file is in: the fourth may be half loaded, or loaded and not yet moved.
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, ['--import', TSX, CLI, 'run', '--catalog', 'v2'], { cwd: killed, env: clean });
      let loaded = 0;
      child.stderr.on('data', (b: Buffer) => {
        loaded += (b.toString().match(/"msg":"loaded"/g) ?? []).length;
        if (loaded >= 3 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(files(join(killed, 'var', 'inbox')).length).toBeGreaterThan(0);
    const again = run(killed);
    expect(again.code).toBe(2);
    expect(files(join(killed, 'var', 'inbox'))).toEqual([]);
    expect(await state(killed)).toEqual({ xzcf: 45, xzxk: 23, openXzxk: 21, entities: 45, loadedFiles: 15, distinctLoaded: 15 });
    expect(files(join(killed, 'var', 'quarantine')).filter((f) => !f.endsWith('.reason.json'))).toHaveLength(3);
  }, 120_000);
});

describe('credit-etl schedule', () => {
  function pipelineWith(cwd: string, schedule: unknown): void {
    const nightly = JSON.parse(readFileSync(join(REPO, 'pipelines', 'nightly.json'), 'utf8')) as Record<string, unknown>;
    mkdirSync(join(cwd, 'pipelines'), { recursive: true });
    writeFileSync(join(cwd, 'pipelines', 'nightly.json'), JSON.stringify({ ...nightly, $schema: undefined, schedule }));
  }

  it('runs the pipeline on its cron expression, in its time zone, and exits 0 on SIGTERM', async () => {
    const cwd = workFolder();
    seed(cwd);
    pipelineWith(cwd, { cron: '*/2 * * * * *', timezone: 'Asia/Shanghai' });
    const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', TSX, CLI, 'schedule', '--log-level', 'warn'], { cwd, env: clean });
      let stdout = '';
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
        // Two runs: the night's files, then an empty inbox.
        if ((stdout.match(/run ends/g) ?? []).length === 2 && !child.killed) child.kill('SIGTERM');
      });
      child.on('exit', (code) => resolve({ code, stdout }));
    });
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^scheduled nightly: "\*\/2 \* \* \* \* \*" in Asia\/Shanghai; next runs \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} Asia\/Shanghai/);
    expect(out.stdout).toContain('run 1: 19 file(s)');
    expect(out.stdout).toMatch(/Asia\/Shanghai: run ends, exit status 2\n/);
    expect(out.stdout).toContain('run 2: no deliveries waiting');
    expect(out.stdout).toMatch(/SIGTERM: (exiting|finishing the file being loaded, then exiting)\n$/);
  }, 60_000);

  it('refuses a schedule that is not a cron expression, and a pipeline without one', () => {
    const cwd = workFolder();
    pipelineWith(cwd, { cron: '61 * * * * *' });
    const bad = node(cwd, [CLI, 'schedule']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('schedule.cron "61 * * * * *" is not a cron expression');
    pipelineWith(cwd, undefined);
    const none = node(cwd, [CLI, 'schedule']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('has no schedule: add "schedule"');
  });
});

describe('credit-etl run pulling a unit\'s live PostgreSQL database', () => {
  const admin = createKnex({ client: 'pg', connection: 'postgres://postgres@127.0.0.1:5432/test', pool: { min: 0, max: 1 } });
  const table = `live_xzcf_${Date.now().toString(36)}`;
  const codes = loadCatalog('v2').subjects.find((s) => s.code === 'XZCF')!.items.map((i) => i.code.toLowerCase());
  const rowsFrom = (from: number, count: number, at: string) => Array.from({ length: count }, (_, i) => ({
    ...Object.fromEntries(penaltyRow(from + i).map((v, c) => [codes[c]!, v])), updated_at: at,
  }));

  afterAll(async () => {
    await admin.schema.dropTableIfExists(table);
    await admin.destroy();
  });

  it('loads the rows whose watermark grew since the last committed pull, and says when a source is down', async () => {
    await admin.schema.createTable(table, (t) => {
      for (const c of codes) t.text(c);
      t.timestamp('updated_at', { useTz: false }).notNullable();
    });
    await admin(table).insert(rowsFrom(0, 3, '2026-11-25 20:00:00'));
    const cwd = workFolder();
    seed(cwd);
    rmSync(join(cwd, 'var', 'inbox'), { recursive: true });
    mkdirSync(join(cwd, 'var', 'inbox'));
    const nightly = JSON.parse(readFileSync(join(REPO, 'pipelines', 'nightly.json'), 'utf8')) as Record<string, unknown>;
    const write = (sources: unknown[]) => {
      mkdirSync(join(cwd, 'pipelines'), { recursive: true });
      writeFileSync(join(cwd, 'pipelines', 'nightly.json'), JSON.stringify({ ...nightly, $schema: undefined, sources }));
    };
    write([{ id: 'SCJG/live', unit: 'SCJG', subject: 'XZCF', url: 'postgres://postgres@127.0.0.1:5432/test', table, watermark: 'updated_at' }]);

    const first = run(cwd, '--date', '2026-11-26');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/2026-11-26\/SCJG\/database SCJG\/live +loaded +3 read: 3 loaded/);
    const again = run(cwd, '--date', '2026-11-26');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/database SCJG\/live +nothing-new/);
    await admin(table).insert(rowsFrom(3, 2, '2026-11-26 21:00:00'));
    const next = run(cwd, '--date', '2026-11-27');
    expect(next.stdout).toMatch(/database SCJG\/live +loaded +2 read: 2 loaded/);
    await withWarehouse(cwd, async (wh) => {
      expect(await count(wh, 'xzcf')).toBe(5);
      expect(await count(wh, 'etl_files', { format: 'database', outcome: 'loaded' })).toBe(2);
    });

    write([{ id: 'SCJG/down', unit: 'SCJG', url: 'postgres://postgres@127.0.0.1:1/test', table, watermark: 'updated_at' }]);
    const down = run(cwd, '--date', '2026-11-27');
    expect(down.code).toBe(2);
    expect(down.stdout).toMatch(/database SCJG\/down +unavailable +/);
    expect(down.stdout).toContain('1 database sources unavailable');
    // The run's report says so too, with the reason.
    const report = node(cwd, [CLI, 'report', '--last', '--format', 'json']);
    const model = JSON.parse(report.stdout) as { totals: { files: Record<string, number> }; units: { files: { name: string; outcome: string; reason: string }[] }[] };
    expect(model.totals.files).toMatchObject({ unavailable: 1, loaded: 0 });
    expect(model.units.flatMap((u) => u.files)).toEqual([expect.objectContaining({ name: 'database SCJG/down', outcome: 'unavailable', reason: expect.stringMatching(/\S/) })]);
  }, 120_000);
});

describe('credit-etl run, night by night', () => {
  it('runs the three nights in order with their own exit statuses, ending where one run of all three ends, and stops cleanly on SIGTERM', async () => {
    const cwd = workFolder();
    seed(cwd);
    expect(NIGHTS.map((night) => run(cwd, '--date', night).code)).toEqual([0, 2, 2]);
    expect(await state(cwd)).toEqual({ xzcf: 45, xzxk: 23, openXzxk: 21, entities: 45, loadedFiles: 15, distinctLoaded: 15 });

    // SIGTERM mid-run: the file being loaded is finished, no other starts, and the next run takes the rest.
    const stopped = workFolder();
    seed(stopped);
    const out = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', TSX, CLI, 'run', '--catalog', 'v2'], { cwd: stopped, env: clean });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (/"msg":"loaded"/.test(stderr) && !child.killed) child.kill('SIGTERM');
      });
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    expect(out.stderr).toContain('stopping: the file being loaded finishes');
    expect(out.code).not.toBeNull();
    expect(files(join(stopped, 'var', 'inbox')).length).toBeGreaterThan(0);
    expect(run(stopped).code).toBe(2);
    expect(await state(stopped)).toEqual({ xzcf: 45, xzxk: 23, openXzxk: 21, entities: 45, loadedFiles: 15, distinctLoaded: 15 });
  }, 120_000);
});

describe('credit-etl run on awkward inboxes', () => {
  it('loads nights in order whatever their size, and quarantines pipes, dangling links and personal names without reading them or leaking them', async () => {
    const cwd = workFolder();
    seed(cwd);
    rmSync(join(cwd, 'var', 'inbox'), { recursive: true });
    const header = loadCatalog('v2').subjects.find((s) => s.code === 'XZCF')!.items.map((i) => i.name);
    const fine = header.indexOf('罚款金额（万元）');
    const csv = (rows: string[][]) => [header, ...rows].map((r) => r.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')).join('\r\n');
    const big = Array.from({ length: 3000 }, (_, n) => penaltyRow(n));
    big[0]![fine] = '2';
    const correction = [[...penaltyRow(0)]];
    correction[0]![fine] = '1.5';
    mkdirSync(join(cwd, 'var', 'inbox', '2026-11-25', 'SCJG'), { recursive: true });
    mkdirSync(join(cwd, 'var', 'inbox', '2026-11-26', 'SCJG'), { recursive: true });
    writeFileSync(join(cwd, 'var', 'inbox', '2026-11-25', 'SCJG', 'a.csv'), csv(big));
    writeFileSync(join(cwd, 'var', 'inbox', '2026-11-26', 'SCJG', 'b.csv'), csv(correction));
    const ID = '441302197904120317';
    writeFileSync(join(cwd, 'var', 'inbox', '2026-11-26', 'SCJG', `补录_${ID}_13912345678.csv`), 'not,a,delivery\n1,2,3\n');
    expect(spawnSync('mkfifo', [join(cwd, 'var', 'inbox', '2026-11-26', 'SCJG', 'pipe.csv')]).status).toBe(0);
    symlinkSync(join(cwd, 'nowhere.csv'), join(cwd, 'var', 'inbox', '2026-11-26', 'SCJG', 'link.csv'));

    const r = run(cwd);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/2026-11-26\/SCJG\/b\.csv +loaded +1 read: 0 loaded, 1 updated/);
    expect(files(join(cwd, 'var', 'quarantine', '2026-11-26', 'SCJG')).filter((f) => !f.endsWith('.reason.json')).sort())
      .toEqual(['link.csv', 'pipe.csv', `补录_${ID}_13912345678.csv`].sort());
    await withWarehouse(cwd, async (wh) => {
      const versions = (await wh.knex('xzcf').where('cf_wsh', big[0]![header.indexOf('行政处罚决定书文号')]!).orderBy('_id').select('cf_nr_fk', '_valid_to')) as { cf_nr_fk: number; _valid_to: string | null }[];
      expect(versions.map((v) => [Number(v.cf_nr_fk), v._valid_to === null])).toEqual([[2, false], [1.5, true]]);
    });
    const logs = files(join(cwd, 'var', 'log')).map((f) => readFileSync(join(cwd, 'var', 'log', f), 'utf8')).join('');
    const reasons = files(join(cwd, 'var', 'quarantine')).filter((f) => f.endsWith('.reason.json')).map((f) => readFileSync(join(cwd, 'var', 'quarantine', f), 'utf8')).join('');
    for (const text of [r.stdout, r.stderr, logs, reasons, publishedText(cwd)]) {
      expect(text).not.toContain(ID);
      expect(text).not.toContain('13912345678');
    }
  }, 120_000);
});
