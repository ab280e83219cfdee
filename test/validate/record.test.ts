import { describe, expect, it } from 'vitest';
import { compileCatalog, compileSubject, recordChecker } from '../../src/validate/index.js';
import { column, columns, ORG_USCC, penalty, row, usccCheck, v2 } from './rows.js';

const check = recordChecker(compileSubject(penalty, v2), columns, '行政处罚.xlsx');
const codes = (r: ReturnType<typeof check>) => r.rejections.map((x) => x.code);

describe('record checker: cleanse then validate one 行政处罚 row', () => {
  it('passes a clean organisation row unchanged, with typed values', () => {
    const r = check(row(5));
    expect(r.rejections).toEqual([]);
    expect(r.repairs).toEqual([]);
    expect(r.record).toMatchObject({ CF_XDR_SHXYM: ORG_USCC, CF_NR_FK: 0.2, CF_JDRQ: '2019-03-05', CF_CFLB: '罚款' });
  });

  it('repairs what units really send and records each repair (item, raw, clean)', () => {
    const r = check(row(6, {
      统一社会信用代码: ` ${ORG_USCC.toLowerCase().replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))} `,
      处罚决定日期: '2019年3月5日',
      '罚款金额（万元）': '罚款2000元',
      处罚类别: '警告、罚款',
      行政相对人类别: '02',
      备注: '无',
    }));
    expect(r.rejections).toEqual([]);
    expect(r.record).toMatchObject({ CF_XDR_SHXYM: ORG_USCC, CF_JDRQ: '2019-03-05', CF_NR_FK: 0.2, CF_CFLB: '警告；罚款', CF_XDR_LB: '法人及非法人组织' });
    expect(r.record['BZ']).toBeUndefined();
    expect(r.repairs).toEqual(expect.arrayContaining([
      { item: 'CF_JDRQ', raw: '2019年3月5日', clean: '2019-03-05' },
      { item: 'CF_NR_FK', raw: '罚款2000元', clean: '0.2' },
      { item: 'CF_CFLB', raw: '警告、罚款', clean: '警告；罚款' },
      { item: 'CF_XDR_LB', raw: '02', clean: '法人及非法人组织' },
      { item: 'BZ', raw: '无', clean: '' },
    ]));
  });

  it('names file, row, item and value when a USCC fails its check character', () => {
    const bad = '91441300123456789' + (usccCheck('91441300123456789') === '0' ? '1' : '0');
    const r = check(row(57, { 统一社会信用代码: bad }));
    expect(r.rejections).toEqual([{
      code: 'identity/uscc-check', severity: 'reject', item: 'CF_XDR_SHXYM',
      message: `row 57 of 行政处罚.xlsx: 统一社会信用代码 ${bad} fails its check character (expected ${usccCheck('91441300123456789')})`,
    }]);
  });

  it('keeps an early Fujian pilot USCC with a warning', () => {
    const r = check(row(8, { 统一社会信用代码: '91350100M0001TGQXM' }));
    expect(r.rejections).toEqual([]);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'identity/uscc-check', severity: 'warn', item: 'CF_XDR_SHXYM' })]);
    expect(r.record['CF_XDR_SHXYM']).toBe('91350100M0001TGQXM');
  });

  it('applies the conditional rules: 法定代表人 for organisations, 证件 for persons, no organisation codes for persons', () => {
    expect(check(row(9, { 法定代表人: '' })).rejections).toEqual([expect.objectContaining({
      code: 'cell/required', item: 'CF_FRDB',
      message: 'row 9 of 行政处罚.xlsx: 法定代表人 is empty but required when 行政相对人类别 is 法人及非法人组织',
    })]);
    const person = check(row(10, { 行政相对人名称: '张三', 行政相对人类别: '自然人', 法定代表人: '' }));
    expect(codes(person).sort()).toEqual(['cell/not-empty', 'cell/required', 'cell/required']);
    expect(person.rejections.map((x) => x.message)).toEqual(expect.arrayContaining([
      'row 10 of 行政处罚.xlsx: 证件类型 is empty but required when 行政相对人类别 is 自然人',
      `row 10 of 行政处罚.xlsx: 统一社会信用代码 must be empty when 行政相对人类别 is 自然人 (holds ${ORG_USCC})`,
    ]));
  });

  it('checks a person\'s 证件号码 as a resident ID when 证件类型 is 身份证, and never shows it in clear', () => {
    const id = '440524188001010015';
    const r = check(row(11, { 行政相对人名称: '张三', 行政相对人类别: '自然人', 法定代表人: '', 统一社会信用代码: '', 证件类型: '身份证', 证件号码: id }));
    expect(codes(r)).toEqual(['identity/resident-id-check']);
    expect(r.rejections[0]!.message).toMatch(/^row 11 of 行政处罚.xlsx: 证件号码 440524\*{8}0015 fails/);
    expect(JSON.stringify(r)).not.toContain(id);
    const passport = check(row(12, { 行政相对人名称: 'John Smith', 行政相对人类别: '自然人', 法定代表人: '', 统一社会信用代码: '', 证件类型: '护照', 证件号码: 'e 1234 5678' }));
    expect(passport.rejections).toEqual([]);
    expect(passport.record).toMatchObject({ CF_XDR_ZJLX: '护照号', CF_XDR_ZJHM: 'E12345678' });
  });

  it('checks a resident-ID-shaped 证件号码 even when 证件类型 is empty or says passport', () => {
    const person = { 行政相对人名称: '张三', 行政相对人类别: '自然人', 法定代表人: '', 统一社会信用代码: '' };
    expect(codes(check(row(20, { ...person, 证件类型: '', 证件号码: '440524188001010015' })))).toContain('identity/resident-id-check');
    expect(codes(check(row(21, { ...person, 证件类型: '护照', 证件号码: '4.41302E+17' })))).toEqual(['identity/corrupted-by-excel']);
  });

  it('records repairs of personal values masked on both sides', () => {
    const id = '440524188001010014';
    const fullWidth = id.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    const r = check(row(22, { 行政相对人名称: '张三', 行政相对人类别: '自然人', 法定代表人: '', 统一社会信用代码: '', 证件类型: '身份证', 证件号码: fullWidth }));
    expect(r.rejections).toEqual([]);
    expect(r.record['CF_XDR_ZJHM']).toBe(id);
    expect(r.repairs).toContainEqual({ item: 'CF_XDR_ZJHM', raw: expect.not.stringContaining('1880'), clean: '440524********0014' });
  });

  it('rejects impossible dates, unknown code-table values, over-long text and unreadable amounts', () => {
    const r = check(row(13, { 处罚决定日期: '2019-02-30', 处罚类别: '罚金', 处罚机关: '局'.repeat(201), '罚款金额（万元）': '两千元' }));
    expect(codes(r).sort()).toEqual(['cell/amount', 'cell/code-table', 'cell/date', 'cell/too-long']);
    expect(r.rejections.find((x) => x.code === 'cell/too-long')!.message).toBe('row 13 of 行政处罚.xlsx: 处罚机关 has 201 characters; at most 200');
  });

  it('counts a length in characters: a name of rare characters outside the BMP is not twice as long', () => {
    // 𠮷 is one character and two UTF-16 code units: 200 of them fit a 200-character item.
    expect(codes(check(row(15, { 处罚机关: '𠮷'.repeat(200) })))).toEqual([]);
    const r = check(row(16, { 处罚机关: '𠮷'.repeat(201) }));
    expect(r.rejections.map((x) => x.message)).toEqual(['row 16 of 行政处罚.xlsx: 处罚机关 has 201 characters; at most 200']);
    expect(r.record['CF_CFJG']).toBeUndefined();
  });

  it('rejects an identifier Excel already destroyed, on the reader\'s note', () => {
    const r = check(row(14, { 统一社会信用代码: '9.14413E+17' }, [{ column: column('统一社会信用代码'), kind: 'corrupted-by-excel', detail: '9.14413E+17 is scientific notation' }]));
    expect(r.rejections).toEqual([expect.objectContaining({ code: 'identity/corrupted-by-excel', item: 'CF_XDR_SHXYM' })]);
  });

  it('recognises a CSV identifier Excel wrote in scientific notation', () => {
    const r = check(row(19, { 行政相对人名称: '张三', 行政相对人类别: '自然人', 法定代表人: '', 统一社会信用代码: '', 证件类型: '身份证', 证件号码: '4.41302E+17' }));
    expect(r.rejections).toEqual([expect.objectContaining({ code: 'identity/corrupted-by-excel', item: 'CF_XDR_ZJHM' })]);
  });

  it('takes an Excel date cell by its date, whatever its display', () => {
    const r = check(row(15, { 处罚决定日期: '3/5/19' }, [{ column: column('处罚决定日期'), kind: 'excel-date', iso: '2019-03-05' }]));
    expect(r.rejections).toEqual([]);
    expect(r.record['CF_JDRQ']).toBe('2019-03-05');
  });

  it('rejects an organisation code that is not the one inside the USCC', () => {
    const r = check(row(16, { 组织机构代码: 'D2143569-X' }));
    expect(r.rejections).toEqual([expect.objectContaining({ code: 'row/conflicting-codes', item: 'CF_XDR_ZZJG' })]);
    expect(check(row(17, { 组织机构代码: ORG_USCC.slice(8, 17) })).rejections).toEqual([]);
  });

  it('passes a ragged row\'s problem through as its rejection', () => {
    const r = check({ row: 18, cells: ['a'], problem: { code: 'row/ragged', severity: 'reject', message: 'row 18 of 行政处罚.xlsx: 1 cells where the header has 30' } });
    expect(codes(r)).toEqual(['row/ragged']);
  });

  it('compiles every subject of catalog v2', () => {
    const all = compileCatalog(v2);
    expect(all.size).toBe(147);
    expect(all.get('XZCF')!.validate({ CF_WSH: 'x' })).toBe(false);
  });
});
