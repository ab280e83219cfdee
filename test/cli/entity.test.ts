import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCatalog, type DataSubject } from '../../src/catalog/index.js';
import { KEY_ENV, KEY_FILE_ENV } from '../../src/identity/id-key.js';
import { mapHeaders } from '../../src/read/index.js';
import { residentIdCheckChar } from '../../src/validate/identifiers/checksums.js';
import { FileCheck } from '../../src/validate/index.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/connect.js';
import { FileLoad } from '../../src/warehouse/load.js';
import { EntityRegistry } from '../../src/warehouse/registry.js';
import { ensureSchema } from '../../src/warehouse/schema.js';
import { LICENSING_HEADER, licensingRow, PENALTY_HEADER } from '../../scripts/penalty-rows.js';
import { FILE_1, FILE_2, ID15, ID18, KEY, ORG, REG, row, SHOP, USCC } from '../warehouse/entity-rows.js';
import { SQLITE, type TestWarehouse } from '../warehouse/servers.js';
import { cli } from './capture.js';

const catalog = loadCatalog('v2');
const subject = (code: string): DataSubject => catalog.subjects.find((s) => s.code === code)!;
const OTHER_ID = `44130219900101002${residentIdCheckChar('44130219900101002')}`;

/** The shop's licence, delivered by another unit: one more data subject in its record. */
function licence(): string[] {
  const cells = licensingRow(1, SHOP);
  cells[LICENSING_HEADER.indexOf('行政相对人类别')] = '个体工商户';
  cells[LICENSING_HEADER.indexOf('统一社会信用代码')] = USCC;
  cells[LICENSING_HEADER.indexOf('法定代表人')] = '';
  return cells;
}

let place: TestWarehouse;

async function load(wh: Warehouse, registry: EntityRegistry, name: string, code: string, header: string[], cells: string[][]): Promise<void> {
  const check = new FileCheck(catalog, name).table(mapHeaders(header, subject(code)));
  const l = await FileLoad.begin(wh, { batchId: 1, unit: code === 'XZXK' ? 'ZJJ' : 'SCJG', path: `/inbox/${name}`, name, sha256: name.padEnd(64, '0'), bytes: 1 }, { registry });
  await l.add(subject(code), cells.map((c, i) => ({ checked: check({ row: i + 2, cells: c }), cells: c })));
  expect(l.tally.rejected).toBe(0);
  await l.commit();
}

beforeAll(async () => {
  place = await SQLITE.create();
  const wh = await openWarehouse(place.spec);
  try {
    await ensureSchema(wh, catalog);
    const registry = await EntityRegistry.open(wh, catalog, KEY);
    await load(wh, registry, 'a.csv', 'XZCF', PENALTY_HEADER, FILE_1);
    await load(wh, registry, 'b.csv', 'XZCF', PENALTY_HEADER, FILE_2);
    await load(wh, registry, 'licences.xlsx', 'XZXK', LICENSING_HEADER, [licence()]);
    await load(wh, registry, 'c.csv', 'XZCF', PENALTY_HEADER, [row(9, { lb: '自然人', name: '陈伟', id: OTHER_ID })]);
  } finally {
    await wh.close();
  }
  vi.stubEnv(KEY_ENV, KEY.toString('hex'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await place.drop();
});

const show = (...args: string[]) => cli('entity', 'show', ...args, '--warehouse', place.spec);

describe('credit-etl entity show', () => {
  it('shows the consolidated record across data subjects, found by its USCC, with sources and the rule behind each link', async () => {
    const r = await show(USCC);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(new RegExp(`^entity 1 · 个体工商户 · ${SHOP} · ${USCC}\n`));
    expect(out).toContain('also holds the records of: entity 2');
    expect(out).toMatch(new RegExp(`identifiers:\n    uscc +${USCC}  first seen a\\.csv row 3 .*, last seen licences\\.xlsx row 2 \\(ZJJ, `));
    expect(out).toMatch(new RegExp(`\n    org-code +${ORG}  first seen a\\.csv row 3`));
    expect(out).toMatch(new RegExp(`reg-no +${REG}  first seen a\\.csv row 2 \\(SCJG, \\d{4}-\\d{2}-\\d{2}\\), last seen b\\.csv row 2`));
    expect(out).toContain('records: 4 (role public');
    expect(out).toMatch(/XZCF 行政处罚信息\n {4}#1 in force · SCJG a\.csv row 2 · loaded \d{4}-\d{2}-\d{2} · created an entity when loaded\n/);
    // It created entity 2, which b.csv merged into 1: the record followed.
    expect(out).toMatch(/#2 in force · SCJG a\.csv row 3 .* created an entity when loaded\n/);
    expect(out).toContain(`SCJG b.csv row 2 · loaded`);
    expect(out).toContain(`linked by org-code ${ORG}`);
    expect(out).toMatch(/XZXK 行政许可信息\n {4}#1 in force · ZJJ licences\.xlsx row 2 .* linked by uscc/);
  });

  it('finds the same entity by every code it is known by and by its name, written either way', async () => {
    for (const key of [REG, ORG, `${ORG.slice(0, 8)}-${ORG.slice(8)}`, `441302${ORG}`, SHOP, ` 惠州市 惠城区鸿达五金店 `, USCC.toLowerCase()]) {
      const r = await show(key, '--format', 'json');
      expect(r.code, key).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ id: 1, uscc: USCC });
    }
  });

  it('finds a person by either form of the resident ID, and shows it to nobody in clear', async () => {
    for (const role of ['public', 'authorised', 'government']) {
      for (const key of [ID18, ID15]) {
        const r = await show(key, '--role', role);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^entity 3 · 自然人 · 陈伟\n/);
        expect(r.stdout).toContain(`resident-id  441302********${ID18.slice(-4)}`);
        expect(r.stdout).toContain(`linked by resident-id 441302********${ID18.slice(-4)}`);
        for (const clear of [ID18, ID15, OTHER_ID]) expect(r.stdout + r.stderr).not.toContain(clear);
        // 证件号码 is a government item: masked for government, left out for the others.
        if (role === 'government') expect(r.stdout).toContain(`证件号码: 441302********${ID18.slice(-4)}`);
        else expect(r.stdout).not.toContain('证件号码:');
      }
    }
  });

  it('masks by the catalog\'s openness: public sees only 公开 items', async () => {
    const pub = JSON.parse((await show(USCC, '--format', 'json')).stdout) as { records: { values: { item: string }[] }[]; hidden: number };
    const gov = JSON.parse((await show(USCC, '--format', 'json', '--role', 'government')).stdout) as typeof pub;
    const items = (r: typeof pub) => new Set(r.records.flatMap((x) => x.values.map((v) => v.item)));
    const hiddenItems = subject('XZCF').items.filter((i) => i.openness !== 'public').map((i) => i.code);
    expect(hiddenItems.length).toBeGreaterThan(0);
    for (const code of hiddenItems) expect(items(pub).has(code)).toBe(false);
    expect(pub.hidden).toBeGreaterThan(0);
    expect(gov.hidden).toBe(0);
    expect(items(gov).size).toBeGreaterThanOrEqual(items(pub).size);
  });

  it('lists the entities a shared name belongs to and asks for a code: exit 2', async () => {
    const r = await show('陈伟');
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^2 entities are known by name 陈伟: look one up by a code\n  entity 3 · 自然人 · 陈伟\n  entity 4 · 自然人 · 陈伟\n$/);
  });

  it('says when no entity is known by a key: exit 2', async () => {
    const r = await show('惠州市不存在有限公司');
    expect(r).toMatchObject({ code: 2, stdout: 'no entity is known by name 惠州市不存在有限公司\n' });
  });

  it('refuses a resident-ID lookup without the key, naming where to set it, and prints no ID', async () => {
    vi.stubEnv(KEY_ENV, '');
    vi.stubEnv(KEY_FILE_ENV, '');
    try {
      const r = await show(ID18);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(KEY_FILE_ENV);
      expect(r.stdout + r.stderr).not.toContain(ID18);
    } finally {
      vi.stubEnv(KEY_ENV, KEY.toString('hex'));
    }
  });

  it('teaches itself in --help', async () => {
    const r = await cli('entity', 'show', '--help');
    expect(r.stdout).toContain('--role <role>');
    expect(r.stdout).toContain('Exit status: 0 one entity shown; 2 none found');
    expect(r.stdout).toContain('credit-etl entity show 91441302MA5X00011X');
  });
});
