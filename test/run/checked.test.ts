// Reading and checking on a worker thread while the loading thread loads: the rows that arrive
// are the rows that were checked, and a night loaded that way ends exactly as one loaded on one thread.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/index.js';
import { runNight } from '../../src/run/night.js';
import { loadPipeline } from '../../src/run/pipeline.js';
import { decodeRows, encodeRows } from '../../src/run/row-batch.js';
import type { Reason } from '../../src/reasons.js';
import type { CleanRecord } from '../../src/validate/index.js';
import type { Warehouse } from '../../src/warehouse/connect.js';
import type { LoadRow } from '../../src/warehouse/load.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { freshWarehouse, SQLITE } from '../warehouse/servers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const catalog = loadCatalog('v2');
const penalty = catalog.subjects.find((s) => s.code === 'XZCF')!;
const places: string[] = [];
afterAll(() => {
  for (const p of places) rmSync(p, { recursive: true, force: true });
});

describe('a batch of checked rows as one string', () => {
  it('comes back as it went: values of every kind, reasons, repairs, and the cells of rejected rows', () => {
    const nasty = ['', ' ', 'a\u001fb', 'c\u001ed', '\u0000', '\u0002 12', '\u0003"x"', '"quoted"', 'line\nbreak', '惠州市\u0001公司', '{"json":1}'];
    const rows: LoadRow[] = Array.from({ length: 40 }, (_, n) => {
      const record: Record<string, string | number | undefined> = {};
      penalty.items.forEach((item, i) => {
        const pick = (n + i) % 5;
        record[item.code] = pick === 0 ? undefined : pick === 1 ? (n * 7 + i) / 4 : pick === 2 ? -0.5 : nasty[(n + i) % nasty.length];
      });
      const rejected = n % 3 === 0;
      const reasons: Reason[] = rejected ? [{ code: 'cell/required', severity: 'reject', message: `row ${n} of a.csv: 行政相对人名称 is empty\u001f`, item: 'CF_XDR_MC' }] : [];
      return {
        checked: {
          row: n + 2, record: record as CleanRecord, rejections: reasons, warnings: n % 4 === 0 ? [{ code: 'identity/phone', severity: 'warn', message: 'not a phone' }] : [],
          repairs: n % 2 === 0 ? [{ item: 'CF_NR', raw: 'a;b\u001e', clean: 'a；b' }] : [], withdrawn: n % 7 === 0,
        },
        cells: rejected ? [`cell ${n}`, '', 'x\u001fy', '=1+1'] : [],
      };
    });
    const back = decodeRows(penalty, encodeRows(penalty, rows));
    expect(back).toEqual(rows.map((r) => ({ ...r, checked: { ...r.checked, record: Object.fromEntries(penalty.items.map((i) => [i.code, r.checked.record[i.code]])) } })));
    // One shape per subject: the record's own keys are the items, in order.
    expect(Object.keys(back[0]!.checked.record)).toEqual(penalty.items.map((i) => i.code));
    expect(decodeRows(penalty, encodeRows(penalty, []))).toEqual([]);
  });
});

function workFolder(): { dir: string; pipeline: ReturnType<typeof loadPipeline> } {
  const dir = mkdtempSync(join(tmpdir(), 'credit-etl-threads-'));
  places.push(dir);
  cpSync(join(REPO, 'fixtures', 'nights'), join(dir, 'inbox'), { recursive: true, filter: (from) => !from.endsWith('README.md') });
  writeFileSync(join(dir, 'pipeline.json'), JSON.stringify({
    name: 'threads', catalog: 'v2', folders: { inbox: 'inbox', archive: 'archive', quarantine: 'quarantine', reports: 'reports', receipts: 'receipts' },
    errorLimits: { maxRejectedRows: 1000, maxRejectedPercent: 50 },
  }));
  return { dir, pipeline: loadPipeline(join(dir, 'pipeline.json'), dir) };
}

const idKey = randomBytes(32);

/** What a night leaves behind, without ids and times. */
async function outcome(wh: Warehouse) {
  const files = (await wh.knex('etl_files').orderBy(['night', 'unit', 'name'])
    .select('unit', 'name', 'night', 'outcome', 'reason', 'format', 'encoding', 'subjects', 'rows_read', 'loaded', 'updated', 'unchanged', 'duplicate', 'rejected', 'repairs'));
  const ledger = (await wh.knex('etl_ledger as l').join('etl_files as f', 'f.id', 'l.file_id').orderBy(['f.name', 'l.row'])
    .select('f.name', 'l.row', 'l.sheet', 'l.subject', 'l.outcome', 'l.reasons', 'l.raw'));
  const records = (await wh.knex('xzcf').orderBy(['_key', '_valid_from']).select('cf_wsh', 'cf_xdr_mc', 'cf_nr_fk', '_hash', '_source_row', '_change', '_link_rule'));
  const repairs = (await wh.knex('etl_repairs').count({ n: '*' }))[0];
  return { files, ledger, records, repairs };
}

describe('a night read and checked on worker threads (SQLite)', () => {
  const open = freshWarehouse(SQLITE);

  it('ends exactly as the same night on one thread: files, ledger, records, repairs, quarantines', async () => {
    const ends = [];
    for (const threadFrom of [Infinity, 0]) {
      const wh = await open();
      await ensureSchema(wh, catalog);
      const { pipeline } = workFolder();
      const result = await runNight({ wh, catalog, pipeline, log: pino({ level: 'silent' }), idKey, threadFrom });
      expect(result.files.map((f) => f.outcome).sort()).toEqual([...Array(15).fill('loaded'), 'duplicate', ...Array(3).fill('quarantined')].sort());
      ends.push(await outcome(wh));
    }
    expect(ends[1]).toEqual(ends[0]);
    expect(ends[0]!.ledger.length).toBeGreaterThan(0);
  });

  it('gives up a worker whose file failed to load, and the next file loads on a fresh one', async () => {
    const wh = await open();
    await ensureSchema(wh, catalog);
    const { pipeline } = workFolder();
    rmSync(pipeline.folders.inbox, { recursive: true });
    for (const [night, unit, from] of [['2026-11-25', 'SCJG', '2026-11-25/SCJG/行政许可信息_20261124.csv'], ['2026-11-26', 'SWJ', '2026-11-25/SWJ/行政处罚信息20261124.csv']] as const) {
      mkdirSync(join(pipeline.folders.inbox, night, unit), { recursive: true });
      cpSync(join(REPO, 'fixtures', 'nights', from), join(pipeline.folders.inbox, night, unit, from.split('/').at(-1)!));
    }
    await wh.knex.schema.renameTable('xzxk', 'xzxk_elsewhere');
    const result = await runNight({ wh, catalog, pipeline, log: pino({ level: 'silent' }), idKey, threadFrom: 0 });
    expect(result.files.map((f) => [f.unit, f.outcome])).toEqual([['SCJG', 'failed'], ['SWJ', 'loaded']]);
    expect(result.files[1]!.counts!.rowsRead).toBe(4);
  });
});
