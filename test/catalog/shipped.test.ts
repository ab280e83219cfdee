// The shipped catalogs are real data: these tests hold them to FACTS.md §5 and to the scale the
// credit centre publishes.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countCatalog, deliveringUnits, loadCatalog, type Catalog, type DataSubject } from '../../src/catalog/index.js';

const v1 = loadCatalog('v1');
const v2 = loadCatalog('v2');
const subject = (c: Catalog, code: string): DataSubject => c.subjects.find((s) => s.code === code)!;
const codes = (s: DataSubject) => s.items.map((i) => i.code);

describe('catalog v2', () => {
  it('has 33 units, 147 data subjects and 1,400 data items (distinct definitions)', () => {
    expect(countCatalog(v2)).toEqual({ units: 33, subjects: 147, items: 1400 });
  });

  it('carries the v2 双公示 licensing items of FACTS §5.3, in order', () => {
    expect(codes(subject(v2, 'XZXK'))).toEqual([
      'XK_XDR_MC', 'XK_XDR_LB', 'XK_XDR_SHXYM', 'XK_XDR_GSZC', 'XK_XDR_ZZJG', 'XK_XDR_SWDJ', 'XK_XDR_SYDW', 'XK_XDR_SHZZ',
      'XK_FRDB', 'XK_FR_ZJLX', 'XK_FR_ZJHM', 'XK_XDR_ZJLX', 'XK_XDR_ZJHM', 'XK_XKWS', 'XK_WSH', 'XK_XKLB', 'XK_XKZS', 'XK_XKBH',
      'XK_NR', 'XK_JDRQ', 'XK_YXQZ', 'XK_YXQZI', 'XK_XKJG', 'XK_XKJGDM', 'XK_ZT', 'XK_LYDW', 'XK_LYDWDM', 'BZ',
    ]);
  });

  it('carries the v2 双公示 penalty items of FACTS §5.3, in order, with amounts in 万元', () => {
    const cf = subject(v2, 'XZCF');
    expect(codes(cf)).toEqual([
      'CF_XDR_MC', 'CF_XDR_LB', 'CF_XDR_SHXYM', 'CF_XDR_GSZC', 'CF_XDR_ZZJG', 'CF_XDR_SWDJ', 'CF_XDR_SYDW', 'CF_XDR_SHZZ',
      'CF_FRDB', 'CF_FR_ZJLX', 'CF_FR_ZJHM', 'CF_XDR_ZJLX', 'CF_XDR_ZJHM', 'CF_WSH', 'CF_WFXW', 'CF_SY', 'CF_YJ', 'CF_CFLB',
      'CF_NR', 'CF_NR_FK', 'CF_NR_WFFF', 'CF_NR_ZKDX', 'CF_JDRQ', 'CF_YXQ', 'CF_GSJZQ', 'CF_CFJG', 'CF_CFJGDM', 'CF_SJLY',
      'CF_SJLYDM', 'BZ',
    ]);
    const fk = cf.items.find((i) => i.code === 'CF_NR_FK')!;
    expect(fk).toMatchObject({ type: 'decimal', unit: '万元', precision: 18, scale: 6 });
    expect(cf.businessKey).toEqual(['CF_WSH', 'CF_CFJGDM']);
  });

  it('states the cross-field rules of §5.3: organisations need USCC and 法定代表人, persons 证件类型 and 证件号码', () => {
    for (const [code, p] of [['XZXK', 'XK'], ['XZCF', 'CF']] as const) {
      const items = new Map(subject(v2, code).items.map((i) => [i.code, i]));
      const org = { when: `${p}_XDR_LB`, in: ['法人及非法人组织'] };
      const person = { when: `${p}_XDR_LB`, in: ['自然人'] };
      expect(items.get(`${p}_XDR_SHXYM`)?.required).toEqual(org);
      expect(items.get(`${p}_FRDB`)?.required).toEqual(org);
      expect(items.get(`${p}_XDR_ZJLX`)?.required).toEqual(person);
      expect(items.get(`${p}_XDR_ZJHM`)?.required).toEqual(person);
      for (const n of ['SHXYM', 'GSZC', 'ZZJG', 'SWDJ', 'SYDW', 'SHZZ']) expect(items.get(`${p}_XDR_${n}`)?.emptyWhen).toEqual(person);
    }
  });

  it('says which 行政许可 rows withdraw their record: 当前状态 无效, which 撤销 and 注销 also spell', () => {
    const xk = subject(v2, 'XZXK');
    expect(xk.withdrawnWhen).toEqual({ when: 'XK_ZT', in: ['无效'] });
    expect(xk.items.find((i) => i.code === 'XK_ZT')).toMatchObject({ type: 'enum', codeTable: 'ZT' });
    expect(v2.codeTables.find((t) => t.code === 'ZT')!.entries).toContainEqual({ code: '2', label: '无效', aliases: ['撤销', '注销'] });
  });

  it('uses the code tables of §5.4', () => {
    const labels = (code: string) => v2.codeTables.find((t) => t.code === code)!.entries.map((e) => e.label);
    expect(labels('XDR_LB')).toEqual(['法人及非法人组织', '自然人', '个体工商户']);
    expect(labels('XKLB')).toEqual(['普通', '特许', '认可', '核准', '登记', '其他']);
    expect(labels('ZJLX')).toEqual(['身份证', '护照号', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '外国人永久居留身份证']);
    expect(labels('CFLB')).toEqual(expect.arrayContaining(['警告', '通报批评', '罚款', '没收违法所得', '没收非法财物', '暂扣许可证件', '降低资质等级', '吊销许可证件', '限制开展生产经营活动', '责令停产停业', '责令关闭', '限制从业', '行政拘留', '其他']));
  });

  it('defines each shared subject once, adopted by many units', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
    const yaml = files('catalog/v2').filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(f, 'utf8'));
    for (const code of ['XZXK', 'XZCF']) {
      expect(yaml.filter((text) => text.includes(`code: ${code}\n`)).length).toBe(1);
      expect(deliveringUnits(v2).get(code)!.length).toBeGreaterThanOrEqual(25);
    }
  });

  it('has no placeholders: every name is a real name, unit and subject names distinct', () => {
    const placeholder = /(数据项|字段|单位|主题|项目|名称|测试)\s*\d+$|^(TODO|TBD|xxx)/i;
    const names = [
      ...v2.units.map((u) => u.name), ...v2.subjects.map((s) => s.name),
      ...v2.subjects.flatMap((s) => s.items.flatMap((i) => [i.name, ...i.aliases])),
    ];
    expect(names.filter((n) => placeholder.test(n))).toEqual([]);
    expect(new Set(v2.units.map((u) => u.name)).size).toBe(v2.units.length);
    expect(new Set(v2.subjects.map((s) => s.name)).size).toBe(v2.subjects.length);
    expect(new Set(v2.units.map((u) => u.uscc)).size).toBe(v2.units.length);
  });

  it('every subject names its entity, and personal data is never public', () => {
    for (const s of v2.subjects) {
      expect(s.items.some((i) => i.identity === 'entity-name'), s.code).toBe(true);
      expect(s.items.some((i) => ['uscc', 'id-number', 'org-code', 'reg-no'].includes(i.identity ?? '')), s.code).toBe(true);
      for (const i of s.items.filter((x) => x.personal)) expect(i.openness, `${s.code}.${i.code}`).not.toBe('public');
    }
  });
});

describe('catalog v1', () => {
  it('is the earlier, smaller catalog of about 20 units, superseded by v2', () => {
    expect(v1.units.length).toBeGreaterThanOrEqual(18);
    expect(v1.units.length).toBeLessThanOrEqual(22);
    expect(v2.version.supersedes).toBe('v1');
    for (const u of v1.units) expect(v2.units.map((x) => x.code)).toContain(u.code);
  });

  it('carries the v1 双公示 items of FACTS §5.2: legacy codes, no subject type', () => {
    expect(codes(subject(v1, 'XZXK'))).toEqual([
      'XK_WSH', 'XK_XMMC', 'XK_SPLB', 'XK_NR', 'XK_XDR', 'XK_XDR_SHXYM', 'XK_XDR_ZDM', 'XK_XDR_GSDJ', 'XK_XDR_SWDJ', 'XK_XDR_SFZ',
      'XK_FR', 'XK_JDRQ', 'XK_JZQ', 'XK_XZJG', 'XK_ZT', 'DFBM', 'SJC', 'BZ',
    ]);
    expect(codes(subject(v1, 'XZCF'))).toEqual([
      'CF_WSH', 'CF_CFMC', 'CF_CFLB1', 'CF_CFLB2', 'CF_SY', 'CF_YJ', 'CF_XDR_MC', 'CF_XDR_SHXYM', 'CF_XDR_ZDM', 'CF_XDR_GSDJ',
      'CF_XDR_SWDJ', 'CF_XDR_SFZ', 'CF_FR', 'CF_JG', 'CF_JDRQ', 'CF_XZJG', 'CF_ZT', 'DFBM', 'SJC', 'BZ',
    ]);
    for (const s of v1.subjects) expect(s.items.some((i) => i.identity === 'entity-type'), s.code).toBe(false);
  });
});
