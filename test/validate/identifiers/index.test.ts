import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ITEM_TYPES } from '../../../src/catalog/index.js';
import {
  checkIdentifier, checkOrgCode, checkPhone, checkRegNo, checkResidentId, checkTaxNo, checkUscc, isIdentifierType,
  type IdentifierType,
} from '../../../src/validate/identifiers/index.js';
import { CONFORMANCE_DIR, conformanceText, invalidVectors } from './conformance.js';

describe('checkIdentifier', () => {
  const samples: [IdentifierType, string, (input: string) => unknown][] = [
    ['uscc', '91350100M000100Y43', checkUscc],
    ['org-code', 'D2143569-X', checkOrgCode],
    ['reg-no', '110108000000016', checkRegNo],
    ['tax-no', '350100M000100Y4', checkTaxNo],
    ['resident-id', '150102880730303', checkResidentId],
    ['phone', '0752-2345678转801', checkPhone],
  ];

  it.each(samples)('runs the %s check', (type, input, check) => {
    expect(checkIdentifier(type, input)).toEqual(check(input));
    expect(checkIdentifier(type, input).valid).toBe(true);
  });

  it('runs a different check per type on the same text', () => {
    expect(checkIdentifier('resident-id', '110108000000016').valid).toBe(false);
    expect(checkIdentifier('reg-no', '110108000000016').valid).toBe(true);
  });

  it('knows which catalog item types are identifiers', () => {
    expect(ITEM_TYPES.filter(isIdentifierType)).toEqual(['uscc', 'org-code', 'reg-no', 'tax-no', 'resident-id', 'phone']);
    expect(isIdentifierType('toString')).toBe(false);
  });
});

describe('the conformance vectors in fixtures/conformance', () => {
  const files = readdirSync(CONFORMANCE_DIR).filter((name) => name.endsWith('.txt')).sort();

  it('hold as many lines as SOURCES.md says, for every file it lists and no other', () => {
    const counts = Object.fromEntries([...conformanceText('SOURCES.md').matchAll(/^\| (cn-[\w-]+\.txt) \| (\d+) \|/gm)].map((m) => [m[1]!, Number(m[2])]));
    expect(Object.keys(counts).sort()).toEqual(files);
    for (const file of files) expect([file, conformanceText(file).split('\n').length - 1]).toEqual([file, counts[file]]);
  });

  it('split cn-uscc-invalid.txt as SOURCES.md says: 6 hard-invalid, 4 real-nonconforming, 1 org-check, 2 policy', () => {
    const vectors = invalidVectors('cn-uscc-invalid.txt');
    const tally = (test: (reason: string) => boolean) => vectors.filter((v) => test(v.reason)).length;
    expect(conformanceText('SOURCES.md')).toContain('6 hard-invalid, 4 real-nonconforming, 1 org-check, 2 policy');
    expect([
      tally((r) => !/^(policy|real-nonconforming|org-check):/.test(r)),
      tally((r) => r.startsWith('real-nonconforming:')),
      tally((r) => r.startsWith('org-check:')),
      tally((r) => r.startsWith('policy:')),
    ]).toEqual([6, 4, 1, 2]);
  });

  it('each feed a test of this folder', () => {
    const here = new URL('.', import.meta.url);
    const sources = readdirSync(here).filter((name) => name.endsWith('.test.ts')).map((name) => readFileSync(new URL(name, here), 'utf8')).join('\n');
    expect(files.filter((file) => !sources.includes(`'${file}'`))).toEqual([]);
  });
});
