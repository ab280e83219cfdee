import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { binaryEvidence, binarySignature } from '../../../src/read/text/binary.js';

describe('binarySignature', () => {
  it('recognises a real PNG and a real xlsx (zip) by their first bytes', () => {
    expect(binarySignature(readFileSync('fixtures/text/binary-png-named.csv'))).toBe('a PNG image');
    expect(binarySignature(readFileSync('fixtures/text/binary-xlsx-named.csv'))).toBe('a zip archive (an .xlsx workbook is one)');
  });

  it('finds nothing in GBK or UTF-16 text', () => {
    expect(binarySignature(iconv.encode('行政相对人名称,处罚内容\r\n', 'gbk'))).toBeUndefined();
    expect(binarySignature(iconv.encode('行政相对人名称\t处罚内容\r\n', 'utf-16le', { addBOM: true }))).toBeUndefined();
  });
});

describe('binaryEvidence', () => {
  const text = iconv.encode('惠州市鸿达五金制品有限公司,罚款2000元\r\n'.repeat(50), 'gbk');

  it('passes text with tabs and line breaks, and a lone DOS end-of-file mark in a long file', () => {
    expect(binaryEvidence(text)).toBeUndefined();
    expect(binaryEvidence(Buffer.concat([text, Buffer.from([0x1a])]))).toBeUndefined();
  });

  it('stops at the first NUL', () => {
    const bytes = Buffer.concat([text.subarray(0, 10), Buffer.from([0x00]), text]);
    expect(binaryEvidence(bytes)).toEqual({ index: 10, unit: 0, count: 1 });
  });

  it('counts control characters once they make up more than 1 in 100', () => {
    const escapes = Buffer.from('\x1b[32mINFO\x1b[0m ok\n'.repeat(10));
    expect(binaryEvidence(escapes)).toEqual({ index: 0, unit: 0x1b, count: 20 });
  });
});
