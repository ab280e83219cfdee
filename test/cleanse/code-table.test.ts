import { describe, expect, it } from 'vitest';
import { type CodeTable, readCatalog } from '../../src/catalog/index.js';
import { compileCodeTable } from '../../src/cleanse/index.js';

const catalog = readCatalog('v2').catalog!;
const table = (code: string): CodeTable => catalog.codeTables.find((t) => t.code === code)!;

describe('compileCodeTable on the code tables of catalog v2', () => {
  it('maps every label, code and alias of every table to its label; a label reports no repair', () => {
    let spellings = 0;
    for (const t of catalog.codeTables) {
      const clean = compileCodeTable(t);
      for (const e of t.entries) {
        expect(clean(e.label), `${t.code} ${e.label}`).toEqual({ ok: true, value: e.label, repaired: false });
        for (const s of [e.code, ...e.aliases].filter((s) => s !== e.label)) {
          expect(clean(s), `${t.code} ${s}`).toEqual({ ok: true, value: e.label, repaired: true });
          spellings++;
        }
      }
    }
    expect(spellings).toBeGreaterThan(100);
  });

  it.each([
    ['1', '法人及非法人组织'],
    ['02', '法人及非法人组织'],
    ['01', '自然人'],
    ['法人', '法人及非法人组织'],
    ['１', '法人及非法人组织'],
    ['０４', '个体工商户'],
    [' 自然人 ', '自然人'],
    ['自然人\u3000', '自然人'],
    ['个体\u200b工商户', '个体工商户'],
  ])('行政相对人类别: %j → %s', (raw, label) => {
    expect(compileCodeTable(table('XDR_LB'))(raw)).toEqual({ ok: true, value: label, repaired: true });
  });

  it('matches through headerKey: width, case, blanks and bracket styles do not matter', () => {
    const sf = compileCodeTable(table('SF'));
    for (const raw of ['Ｙ', 'ｙ', 'y', 'true', 'ＴＲＵＥ']) expect(sf(raw), raw).toEqual({ ok: true, value: '是', repaired: true });
    const companyTypes = compileCodeTable({
      code: 'QYLX', name: '企业类型', entries: [{ code: '1151', label: '有限责任公司（自然人独资）', aliases: [] }],
    });
    for (const raw of ['有限责任公司(自然人独资)', '有限责任公司 【自然人独资】', '有限责任公司[自然人独资]', '１１５１']) {
      expect(companyTypes(raw), raw).toEqual({ ok: true, value: '有限责任公司（自然人独资）', repaired: true });
    }
  });

  it('names the value and the table when nothing matches', () => {
    expect(compileCodeTable(table('XDR_LB'))(' 企业 ')).toEqual({ ok: false, failure: '"企业" is not a label, code or alias in code table 行政相对人类别 (XDR_LB)' });
    expect(compileCodeTable(table('CFLB'))('警告；罚款')).toEqual({ ok: false, failure: '"警告；罚款" is not a label, code or alias in code table 处罚类别 (CFLB)' });
  });

  it('returns the same answer on a repeat, memoised or not', () => {
    const clean = compileCodeTable(table('CFLB'), { multiple: true });
    const first = clean('警告,罚款');
    expect(clean('警告,罚款')).toEqual(first);
    expect(first).toEqual({ ok: true, value: '警告；罚款', repaired: true });
  });
});

describe('compileCodeTable with multiple: true (处罚类别)', () => {
  const clean = compileCodeTable(table('CFLB'), { multiple: true });

  it.each(['罚款', '警告；罚款', '警告；罚款；没收违法所得'])('leaves the clean list %j alone', (raw) => {
    expect(clean(raw)).toEqual({ ok: true, value: raw, repaired: false });
  });

  it.each([
    ['a code', '03', '罚款'],
    ['half-width semicolon', '警告;罚款', '警告；罚款'],
    ['comma', '警告,罚款', '警告；罚款'],
    ['full-width comma', '警告，罚款', '警告；罚款'],
    ['enumeration comma', '警告、罚款', '警告；罚款'],
    ['blanks', '警告 罚款', '警告；罚款'],
    ['mixed separators with blanks', ' 警告 ；, 罚款 ', '警告；罚款'],
    ['codes in a list', '01,03', '警告；罚款'],
    ['full-width codes', '０１、０３', '警告；罚款'],
    ['a repeated entry', '罚款；罚款', '罚款'],
    ['label and code of one entry', '罚款；03', '罚款'],
    ['pre-2021 pair of labels joined by 、', '没收违法所得、没收非法财物', '没收违法所得；没收非法财物'],
    ['an alias that contains 、, alone', '暂扣许可证、执照', '暂扣许可证件'],
    ['an alias that contains 、, inside a list', '警告、暂扣许可证、执照', '警告；暂扣许可证件'],
    ['two such aliases', '暂扣许可证、执照，吊销许可证、执照', '暂扣许可证件；吊销许可证件'],
    ['an alias after its list', '罚款、吊销许可证、执照、警告', '罚款；吊销许可证件；警告'],
  ])('repairs %s', (_case, raw, value) => {
    expect(clean(raw)).toEqual({ ok: true, value, repaired: true });
  });

  it.each([
    ['警告；执照', '"执照" is not a label, code or alias in code table 处罚类别 (CFLB)'],
    ['警告、拘役', '"拘役" is not a label, code or alias in code table 处罚类别 (CFLB)'],
    ['；、', '"；、" names no entry of code table 处罚类别 (CFLB)'],
  ])('refuses %j', (raw, failure) => {
    expect(clean(raw)).toEqual({ ok: false, failure });
  });
});

describe('compileCodeTable: the whole text first', () => {
  // A table whose label contains a separator, as a local 处罚类别 from before 2021 has.
  const oldPenalties: CodeTable = {
    code: 'CFLB_OLD', name: '处罚类别（2021年前）', entries: [
      { code: '1', label: '警告', aliases: [] },
      { code: '3', label: '没收违法所得、没收非法财物', aliases: ['没收'] },
      { code: '4', label: '没收违法所得', aliases: [] },
    ],
  };
  const clean = compileCodeTable(oldPenalties, { multiple: true });

  it('keeps a label containing 、 whole instead of splitting it', () => {
    expect(clean('没收违法所得、没收非法财物')).toEqual({ ok: true, value: '没收违法所得、没收非法财物', repaired: false });
    expect(clean('警告；没收违法所得、没收非法财物')).toEqual({ ok: true, value: '警告；没收违法所得、没收非法财物', repaired: false });
    expect(clean('没收违法所得')).toEqual({ ok: true, value: '没收违法所得', repaired: false });
  });

  it('without multiple, a list is not a value', () => {
    expect(compileCodeTable(oldPenalties)('警告；没收')).toEqual({ ok: false, failure: '"警告；没收" is not a label, code or alias in code table 处罚类别（2021年前） (CFLB_OLD)' });
  });
});
