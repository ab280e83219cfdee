import { describe, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../../src/validate/identifiers/checksums.js';
import { checkResidentId, checkTaxNo, checkUscc, upgradeResidentId15 } from '../../../src/validate/identifiers/index.js';
import { invalidVectors, validVectors } from './conformance.js';

// Tax numbers are built from the other codes, so the other codes' vectors test them.
const uscc = validVectors('cn-uscc-valid.txt');
const usccInvalid = invalidVectors('cn-uscc-invalid.txt');
const ids = validVectors('cn-ric-valid.txt');
const ids15 = validVectors('cn-ric15-valid.txt');
const idsInvalid = invalidVectors('cn-ric-invalid.txt').filter((v) => v.treatment === 'reject' && /^\d{17}[\dX]$/.test(v.value));

describe('checkTaxNo: organisations', () => {
  it.each(uscc)('accepts the USCC %s as a tax number (SAT 2015/66), with its organisation code', (code) => {
    expect(checkTaxNo(code)).toEqual({ valid: true, value: code, kind: 'uscc', orgCode: code.slice(8, 17), warnings: [] });
  });

  it.each(uscc)('accepts the old division + organisation code form of %s (characters 3–17)', (code) => {
    expect(checkTaxNo(code.slice(2, 17))).toEqual({ valid: true, value: code.slice(2, 17), kind: 'division-org-code', orgCode: code.slice(8, 17), warnings: [] });
  });

  it.each(usccInvalid.filter((v) => v.treatment === 'reject'))('rejects the invalid USCC $value ($reason)', ({ value }) => {
    const verdict = checkTaxNo(value);
    expect(verdict).toMatchObject({ valid: false, failure: checkUscc(value).failure });
  });

  it.each(usccInvalid.filter((v) => v.treatment !== 'reject'))('keeps $value with the warning the USCC check gives', ({ value }) => {
    const verdict = checkTaxNo(value);
    expect(verdict).toMatchObject({ valid: true, kind: 'uscc', warnings: checkUscc(value).warnings });
    expect(verdict.warnings).toHaveLength(1);
  });

  it('reads the printed form with hyphens and full-width characters', () => {
    expect(checkTaxNo('441302-D2143569-X')).toMatchObject({ valid: true, value: '441302D2143569X', orgCode: 'D2143569X' });
    expect(checkTaxNo('４４１３０２ｄ２１４３５６９ｘ')).toMatchObject({ valid: true, value: '441302D2143569X' });
  });

  it('checks the organisation code in it and names its check character', () => {
    expect(checkTaxNo('441302D21435690')).toMatchObject({
      valid: false, failure: 'org-check', expected: 'X',
      detail: 'its organisation code (characters 7–15) fails its check character (expected X)',
    });
  });

  it('checks the division code in front', () => {
    expect(checkTaxNo('991302D2143569X')).toMatchObject({ valid: false, failure: 'province', detail: 'its division code starts with 99, which is no province' });
    expect(checkTaxNo('4413A2D2143569X')).toMatchObject({ valid: false, failure: 'format', detail: 'has "A" at position 5, which a tax registration number never has' });
    expect(checkTaxNo('441302D21435*9X')).toMatchObject({ valid: false, failure: 'format', detail: expect.stringContaining('"*" at position 13') });
  });
});

describe('checkTaxNo: individuals', () => {
  it.each(ids)('accepts the resident ID %s alone, + 00 and + 01', (id) => {
    for (const taxNo of [id, `${id}00`, `${id}01`]) {
      expect(checkTaxNo(taxNo)).toEqual({ valid: true, value: taxNo, kind: 'resident-id', residentId: id, warnings: checkResidentId(id).warnings });
    }
  });

  it.each(ids15)('accepts the 15-digit ID %s + 00 (17) and + 00000 (20), linked to its 18-digit form', (id15) => {
    for (const taxNo of [`${id15}00`, `${id15}01`, `${id15}00000`]) {
      expect(checkTaxNo(taxNo)).toEqual({ valid: true, value: taxNo, kind: 'resident-id', residentId: upgradeResidentId15(id15), warnings: [] });
    }
  });

  it.each(idsInvalid)('rejects $value + 00 for its resident-ID part ($reason)', ({ value }) => {
    const id = checkResidentId(value);
    expect(checkTaxNo(`${value}00`)).toMatchObject({ valid: false, failure: id.failure, detail: `its resident-ID part ${id.detail}` });
  });

  it('rejects a sequence that is not two digits', () => {
    expect(checkTaxNo('11010519491231002XA1')).toMatchObject({ valid: false, failure: 'format', detail: 'has "A1" after its resident ID where a 2-digit sequence (00, 01, …) belongs' });
  });

  it('blames the ID reading of an 18-digit number whose MOD 11-2 check character holds', () => {
    const body = '11010519911301002'; // month 13
    const taxNo = body + residentIdCheckChar(body);
    expect(checkTaxNo(taxNo)).toMatchObject({ valid: false, failure: 'date', detail: expect.stringMatching(/^its resident-ID part .*no such month/) });
  });

  it('blames the USCC reading otherwise', () => {
    expect(checkTaxNo('91110000600037341N')).toMatchObject({
      valid: false, failure: 'checksum', expected: 'L',
      detail: 'is not a valid unified social credit code: fails its check character (expected L)',
    });
  });
});

describe('checkTaxNo: lengths', () => {
  it('rejects lengths no form has', () => {
    for (const taxNo of ['4413021234', '4413021234567890', '1101051949123100200', '110105194912310020001']) {
      expect(checkTaxNo(taxNo)).toMatchObject({ valid: false, failure: 'length', detail: `has ${taxNo.length} characters; a tax registration number has 15, 17, 18 or 20` });
    }
  });
});
