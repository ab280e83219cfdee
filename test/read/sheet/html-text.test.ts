import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeMarkup, decodeNumericReferences } from '../../../src/read/sheet/html-text.js';

const TABLE = '<table><tr><td>惠州市市场监督管理局</td><td>𠮷</td></tr></table>';

describe('decodeMarkup', () => {
  it('decodes GBK declared as gb2312 with the GB18030 decoder', () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>${TABLE.replace('𠮷', '张三')}</body></html>`;
    expect(decodeMarkup(iconv.encode(html, 'gbk'))).toEqual({ text: html, encoding: 'gb18030' });
  });

  it('decodes GB18030 four-byte characters that GBK lacks', () => {
    const html = `<meta charset="GB18030">${TABLE}`;
    expect(decodeMarkup(iconv.encode(html, 'gb18030'))).toEqual({ text: html, encoding: 'gb18030' });
  });

  it('trusts a byte-order mark over everything else', () => {
    expect(decodeMarkup(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TABLE, 'utf16le')]))).toEqual({ text: TABLE, encoding: 'utf-16le' });
    expect(decodeMarkup(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TABLE)]))).toEqual({ text: TABLE, encoding: 'utf-8-bom' });
  });

  it('without a declaration, takes valid UTF-8 as UTF-8 and anything else as GB18030', () => {
    expect(decodeMarkup(Buffer.from(TABLE))).toEqual({ text: TABLE, encoding: 'utf-8' });
    const gbk = TABLE.replace('𠮷', '张三');
    expect(decodeMarkup(iconv.encode(gbk, 'gbk'))).toEqual({ text: gbk, encoding: 'gb18030' });
  });

  it('falls back when the declared charset is contradicted by the bytes', () => {
    const html = `<meta charset="utf-8">${TABLE.replace('𠮷', '张三')}`;
    expect(decodeMarkup(iconv.encode(html, 'gbk'))).toEqual({ text: html, encoding: 'gb18030' });
  });

  it('gives up on bytes that decode cleanly in no candidate', () => {
    expect(decodeMarkup(Buffer.from([0x3c, 0x74, 0x64, 0x3e, 0xff, 0xff, 0x3c]))).toBeUndefined();
  });
});

describe('decodeNumericReferences', () => {
  it('turns decimal and hexadecimal references into characters', () => {
    expect(decodeNumericReferences('<td>&#134071;利 &#x5F20;三</td>')).toBe('<td>𠮷利 张三</td>');
  });

  it('keeps markup characters escaped and leaves already-escaped text alone', () => {
    expect(decodeNumericReferences('&#60;b&#62; &#38; &amp;#20013;')).toBe('&lt;b&gt; &amp; &amp;#20013;');
  });

  it('leaves references to no character as they are', () => {
    expect(decodeNumericReferences('&#0; &#xD800; &#1114112;')).toBe('&#0; &#xD800; &#1114112;');
  });
});
