import { readFileSync } from 'node:fs';
import * as XLSX from 'xlsx';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../../src/read/sniff.js';

const sheet = (bookType: XLSX.BookType) => {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['行政相对人名称', '处罚决定日期'], ['惠州市某某有限公司', '2019-03-05']]), '行政处罚');
  return XLSX.write(wb, { type: 'buffer', bookType }) as Buffer;
};

describe('sniffFormat: by content, never by extension', () => {
  it('knows real workbooks: xlsx (zip) and BIFF8 xls (OLE)', () => {
    expect(sniffFormat(sheet('xlsx'))).toBe('xlsx');
    expect(sniffFormat(sheet('biff8'))).toBe('xls');
  });

  it('knows an HTML table saved as .xls, in GBK', () => {
    const html = iconv.encode('<html><head><meta charset="gb2312"></head><body><table><tr><td>行政相对人名称</td></tr></table></body></html>', 'gbk');
    expect(sniffFormat(html)).toBe('html-table');
    expect(sniffFormat(sheet('html'))).toBe('html-table');
  });

  it('knows mysqldump and pg_dump by their headers and statements', () => {
    expect(sniffFormat(Buffer.from('-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost'))).toBe('mysqldump');
    expect(sniffFormat(Buffer.from('/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\nINSERT INTO `xzcf` VALUES (1);'))).toBe('mysqldump');
    expect(sniffFormat(Buffer.from('--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;'))).toBe('pgdump');
    expect(sniffFormat(Buffer.from('COPY public.xzxk (xk_wsh, xk_xdr_mc) FROM stdin;\nA\tB\n\\.\n'))).toBe('pgdump');
  });

  it('knows SQLite files', () => {
    expect(sniffFormat(Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(84)]))).toBe('sqlite');
  });

  it('hands CSV, UTF-16 text and unknown bytes to the text reader', () => {
    expect(sniffFormat(iconv.encode('行政相对人名称,处罚决定日期\n某公司,2019-03-05\n', 'gbk'))).toBe('csv');
    expect(sniffFormat(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('名称\t日期\n', 'utf16le')]))).toBe('csv');
    expect(sniffFormat(readFileSync(process.execPath).subarray(0, 4096))).toBe('csv');
  });
});
