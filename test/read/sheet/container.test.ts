import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { sniffContainer } from '../../../src/read/sheet/container.js';

const fixture = (name: string): Buffer => readFileSync(`fixtures/sheet/${name}`);

describe('sniffContainer', () => {
  it('knows an xlsx by its zip header and a BIFF8 .xls or an encrypted xlsx by the OLE header', () => {
    expect(sniffContainer(fixture('xlsx-two-subjects-two-sheets.xlsx'))).toBe('zip');
    expect(sniffContainer(fixture('xls-biff8-licensing.xls'))).toBe('ole');
    expect(sniffContainer(fixture('xlsx-password-protected.xlsx'))).toBe('ole');
  });

  it('knows markup whatever its encoding, BOM or leading whitespace', () => {
    expect(sniffContainer(fixture('xls-really-html.xls'))).toBe('markup');
    expect(sniffContainer(iconv.encode('\r\n  <?xml version="1.0"?><Workbook/>', 'utf-16le', { addBOM: true }))).toBe('markup');
    expect(sniffContainer(Buffer.from('\ufeff<table></table>'))).toBe('markup');
  });

  it('calls CSV text and other bytes unknown', () => {
    expect(sniffContainer(iconv.encode('行政相对人名称,证件号码\r\n', 'gbk'))).toBe('unknown');
    expect(sniffContainer(Buffer.from([0x00, 0x01, 0x02]))).toBe('unknown');
  });
});
