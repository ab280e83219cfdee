import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadCatalog, type DataSubject } from '../../src/catalog/index.js';
import { KEY_ENV, KEY_FILE_ENV } from '../../src/identity/id-key.js';
import { mapHeaders } from '../../src/read/index.js';
import { regNoCheckChar, residentIdCheckChar } from '../../src/validate/identifiers/checksums.js';
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
const LOANER_ID = `44130219850612123${residentIdCheckChar('44130219850612123')}`;
/** A 个体工商户 whose 税务登记号 is its owner's resident ID with 00 after it, as tax bureaus issued them. */
const OWNER_TAX_NO = `${`44130219800505123${residentIdCheckChar('44130219800505123')}`}00`;

/** A 住房公积金 loan default: every item of the subject is for government eyes only. */
const LOAN_HEADER = ['借款人姓名', '证件类型', '证件号码', '借款合同编号', '贷款金额（元）', '累计逾期期数', '逾期本金（元）', '统计截止日期'];
const loanRow = ['王秀英', '身份证', LOANER_ID, 'HZ-GJJ-2019-0001', '300000', '3', '4500', '2026-10-31'];

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
  const l = await FileLoad.begin(wh, { batchId: 1, unit: code === 'XZXK' ? 'ZJJ' : code === 'GJJ_DKYQ' ? 'GJJ' : 'SCJG', path: `/inbox/${name}`, name, sha256: name.padEnd(64, '0'), bytes: 1 }, { registry });
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
    const shop = row(10, { lb: '个体工商户', name: '惠州市惠阳区明记小吃店', reg: '441300000054321'.slice(0, 14) + regNoCheckChar('44130000005432') });
    shop[PENALTY_HEADER.indexOf('税务登记号')] = OWNER_TAX_NO;
    await load(wh, registry, 'd.csv', 'XZCF', PENALTY_HEADER, [shop]);
    await load(wh, registry, 'dkyq.csv', 'GJJ_DKYQ', LOAN_HEADER, [loanRow]);
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

  it('never shows an individual\'s tax number (their resident ID) in clear, nor keeps it as an identifier', async () => {
    for (const role of ['public', 'government']) {
      const r = await show('惠州市惠阳区明记小吃店', '--role', role);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(OWNER_TAX_NO.slice(0, 18));
      expect(r.stdout).not.toMatch(/^\s+tax-no/m);
      if (role === 'government') expect(r.stdout).toContain(`税务登记号: 441302**********${OWNER_TAX_NO.slice(-4)}`);
    }
  });

  it('shows a role nothing of a subject it may see no item of: not the record, not the name, not that the entity exists', async () => {
    const pub = await show('王秀英');
    expect(pub).toMatchObject({ code: 2, stdout: 'no entity is known by name 王秀英\n' });
    const byId = await show(LOANER_ID, '--role', 'authorised');
    expect(byId.code).toBe(2);
    expect(byId.stdout).toContain(`no entity is known by resident-id 441302********${LOANER_ID.slice(-4)}`);
    const gov = await show('王秀英', '--role', 'government');
    expect(gov.code).toBe(0);
    expect(gov.stdout).toMatch(/^entity \d+ · 自然人 · 王秀英\n/);
    expect(gov.stdout).toContain('GJJ_DKYQ 住房公积金个人贷款逾期信息');
  });

  it('reads a name with a house number as a name, and masks every reading of an ID-shaped key', async () => {
    const wrongCheck = `${ID18.slice(0, 17)}${ID18.endsWith('0') ? '1' : '0'}`;
    const r = await show(wrongCheck);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain(wrongCheck);
    expect((await show('惠州市惠城区1234567号五金店')).stdout).toBe('no entity is known by name 惠州市惠城区1234567号五金店\n');
  });

  it('teaches itself in --help', async () => {
    const r = await cli('entity', 'show', '--help');
    expect(r.stdout).toContain('--role <role>');
    expect(r.stdout).toContain('Exit status: 0 one entity shown; 2 none found');
    expect(r.stdout).toContain('credit-etl entity show 91441302MA5X00011X');
  });
});
