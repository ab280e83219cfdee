import { describe, expect, it } from 'vitest';
import { accepted, canonicalIdentifier, digitsOnly, rejected, shapeFailure } from '../../../src/validate/identifiers/verdict.js';

describe('canonicalIdentifier', () => {
  it('folds full-width letters, digits and hyphens (NFKC)', () => {
    expect(canonicalIdentifier('ＡＢ１２－３ｘ')).toBe('AB123X');
  });

  it('removes ASCII, no-break and ideographic spaces, tabs and line breaks', () => {
    expect(canonicalIdentifier(' 9135\t0100\u00a0M000\u3000100Y43\r\n')).toBe('91350100M000100Y43');
  });

  it('removes hyphens and the dashes word processors put in their place', () => {
    expect(canonicalIdentifier('D2143569-X')).toBe('D2143569X');
    expect(canonicalIdentifier('D2143569\u2013X')).toBe('D2143569X');
    expect(canonicalIdentifier('D2143569\u2014X')).toBe('D2143569X');
    expect(canonicalIdentifier('D2143569\u2212X')).toBe('D2143569X');
  });

  it('removes zero-width characters and the BOM copied in from web pages and Excel', () => {
    expect(canonicalIdentifier('\ufeff1101\u200b0519491231002x\u200d')).toBe('11010519491231002X');
  });

  it('upper-cases, so a lower-case x reads X', () => {
    expect(canonicalIdentifier('11010519491231002x')).toBe('11010519491231002X');
    expect(canonicalIdentifier('91350100m000100y43')).toBe('91350100M000100Y43');
  });

  it('leaves canonical text and everything else as it is', () => {
    expect(canonicalIdentifier('91350100M000100Y43')).toBe('91350100M000100Y43');
    expect(canonicalIdentifier('企合粤惠总字第001234号')).toBe('企合粤惠总字第001234号');
    expect(canonicalIdentifier('4.41302E+17')).toBe('4.41302E+17');
    expect(canonicalIdentifier('')).toBe('');
  });
});

describe('verdict helpers', () => {
  it('builds accepted and rejected verdicts that share one frozen empty warning list', () => {
    const a = accepted('X');
    expect(a.warnings).toBe(accepted('Y').warnings);
    expect(() => (a.warnings as string[]).push('note')).toThrow(TypeError);
    expect(accepted('Z', ['its own']).warnings).toEqual(['its own']);
    expect(rejected('12', 'checksum', 'fails its check character (expected 3)', '3')).toEqual({ valid: false, value: '12', failure: 'checksum', detail: 'fails its check character (expected 3)', expected: '3', warnings: [] });
    expect(rejected('12', 'date', 'd')).not.toHaveProperty('expected');
  });

  it('tells a wrong character (format) from a wrong count (length)', () => {
    const digit = (c: number) => c >= 0x30 && c <= 0x39;
    expect(shapeFailure('12a4', digit, 'a code', '5')).toMatchObject({ failure: 'format', detail: 'has "a" at position 3, which a code never has' });
    expect(shapeFailure('1234', digit, 'a code', '5')).toMatchObject({ failure: 'length', detail: 'has 4 characters; a code has 5' });
  });

  it('checks a range for digits', () => {
    expect(digitsOnly('12345')).toBe(true);
    expect(digitsOnly('123X5')).toBe(false);
    expect(digitsOnly('123X5', 0, 3)).toBe(true);
    expect(digitsOnly('AB345', 2)).toBe(true);
  });
});
