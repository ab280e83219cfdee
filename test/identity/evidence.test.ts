import { describe, expect, it } from 'vitest';
import { embeddedOrgCode, recordKeys, usccEntityType } from '../../src/identity/evidence.js';
import { orgCodeCheckChar, usccCheckChar } from '../../src/validate/identifiers/checksums.js';

const orgCode = (body: string): string => body + orgCodeCheckChar(body)!;
const uscc = (first17: string): string => first17 + usccCheckChar(first17)!;

const ORG = orgCode('72438561');
const USCC = uscc(`91441302${ORG}`);

describe('usccEntityType', () => {
  it('reads GB 32100 department and category as our entity types', () => {
    expect(usccEntityType(uscc(`91441302${ORG}`))).toBe('org');
    expect(usccEntityType(uscc(`93441302${ORG}`))).toBe('org');
    expect(usccEntityType(uscc(`92441302${ORG}`))).toBe('individual-business');
    for (const p of ['11', '12', '13', '19']) expect(usccEntityType(uscc(`${p}441302${ORG}`))).toBe('institution');
    for (const p of ['51', '52', '53', '59']) expect(usccEntityType(uscc(`${p}441302${ORG}`))).toBe('social-org');
  });

  it('gives no type for a department the 2015 tables do not list', () => {
    expect(usccEntityType(uscc(`A1441302${ORG}`))).toBeUndefined();
    expect(usccEntityType(uscc(`94441302${ORG}`))).toBeUndefined();
  });
});

describe('recordKeys', () => {
  it('takes the organisation code from USCC characters 9–17', () => {
    expect(embeddedOrgCode(USCC)).toBe(ORG);
    const keys = recordKeys({ uscc: USCC });
    expect(keys.keys).toEqual([
      { kind: 'uscc', value: USCC, from: 'uscc' },
      { kind: 'org-code', value: ORG, from: 'org-code' },
    ]);
    expect(keys.type).toBe('org');
    expect(keys.warnings).toEqual([]);
  });

  it('takes the organisation code from an old tax number (division + code) and says it came from there', () => {
    const keys = recordKeys({ taxNo: `441302${ORG}` });
    expect(keys.keys).toEqual([{ kind: 'org-code', value: ORG, from: 'tax-no' }]);
    expect(keys.identifiers).toEqual([{ kind: 'tax-no', value: `441302${ORG}` }, { kind: 'org-code', value: ORG }]);
  });

  it('reads a tax number that is a USCC as the USCC', () => {
    const keys = recordKeys({ taxNo: USCC });
    expect(keys.keys.map((k) => k.kind)).toEqual(['uscc', 'org-code']);
    expect(keys.keys[0]!.value).toBe(USCC);
  });

  it('lets the USCC win over a stated type, an org code or a tax number that contradict it, and warns', () => {
    const other = orgCode('83726150');
    const keys = recordKeys({ type: 'person', uscc: USCC, orgCode: other, taxNo: `441302${other}` });
    expect(keys.type).toBe('org');
    expect(keys.keys.find((k) => k.kind === 'org-code')!.value).toBe(ORG);
    expect(keys.warnings).toHaveLength(2);
    expect(keys.warnings[0]).toMatch(/organisation code differs from the one inside the USCC/);
    expect(keys.warnings[1]).toMatch(/says person but its USCC says org/);
  });

  it('warns when a tax number that is a USCC differs from the record\'s USCC, or is not valid', () => {
    const other = uscc(`91441302${orgCode('83726150')}`);
    const keys = recordKeys({ uscc: USCC, taxNo: other });
    expect(keys.keys[0]!.value).toBe(USCC);
    expect(keys.warnings).toEqual([expect.stringMatching(/different USCC/)]);
    expect(recordKeys({ taxNo: 'ABC' }).warnings).toEqual([expect.stringMatching(/not valid/)]);
  });

  it('prefers the stated org code over a tax number that holds another, and warns', () => {
    const other = orgCode('83726150');
    const keys = recordKeys({ orgCode: ORG, taxNo: `441302${other}` });
    expect(keys.keys).toEqual([{ kind: 'org-code', value: ORG, from: 'org-code' }]);
    expect(keys.warnings).toHaveLength(1);
  });

  it('does not match on a resident ID in clear inside a tax number, nor on a registration number outside the 15-digit form', () => {
    const keys = recordKeys({ taxNo: '44052418800101001400', regNo: '4413001234567' });
    expect(keys.keys).toEqual([]);
    expect(keys.warnings).toHaveLength(2);
    // An individual's tax number is their ID: not kept as an identifier, so it can never be stored in clear.
    expect(keys.identifiers.map((i) => i.kind)).toEqual(['reg-no']);
    expect(JSON.stringify(keys)).not.toContain('440524188001010014');
  });

  it('matches on a 15-digit registration number and on the resident-ID hash', () => {
    const keys = recordKeys({ regNo: '441300000012345', residentIdHash: 'abc' });
    expect(keys.keys).toEqual([
      { kind: 'reg-no', value: '441300000012345', from: 'reg-no' },
      { kind: 'resident-id', value: 'abc', from: 'resident-id' },
    ]);
  });

  it('derives the name key from the display name when the caller gave none', () => {
    const keys = recordKeys({ name: '鸿达（惠州）五金有限公司' });
    expect(keys.name).toBe('鸿达（惠州）五金有限公司');
    expect(keys.nameKey).toBe('鸿达(惠州)五金有限公司');
    expect(recordKeys({ name: 'x', nameKey: 'given' }).nameKey).toBe('given');
  });
});
