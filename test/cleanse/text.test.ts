import { describe, expect, it } from 'vitest';
import { cleanCode, cleanText, nameKey } from '../../src/cleanse/index.js';

describe('cleanText', () => {
  it.each([
    ['惠州市某某建材有限公司', '惠州市某某建材有限公司'],
    ['ABC Co., Ltd', 'ABC Co., Ltd'],
    ['', ''],
  ])('leaves clean text %j alone and says so', (raw, value) => {
    expect(cleanText(raw)).toEqual({ ok: true, value, repaired: false });
  });

  it.each([
    ['edge blanks', '  惠州市某某公司 ', '惠州市某某公司'],
    ['inner run of spaces', '惠州市  某某公司', '惠州市 某某公司'],
    ['ideographic space U+3000', '惠州市\u3000某某公司\u3000', '惠州市 某某公司'],
    ['no-break space', '王\u00a0小明', '王 小明'],
    ['tab and newline', '违法事实：\n\t未取得许可', '违法事实： 未取得许可'],
    ['zero-width space', '王\u200b小明', '王小明'],
    ['zero-width non-joiner and joiner', '王\u200c小\u200d明', '王小明'],
    ['byte-order mark at the start', '\ufeff惠州市某某公司', '惠州市某某公司'],
    ['bidi embedding U+202A…U+202C', '\u202a惠州市某某公司\u202c', '惠州市某某公司'],
    ['bidi override U+202E', '\u202e王小明', '王小明'],
    ['bidi isolates U+2066…U+2069', '\u2066王小明\u2069', '王小明'],
    ['invisible between two spaces', '王 \u200b 小明', '王 小明'],
    ['a NUL byte (PostgreSQL refuses it in text)', '违法\u0000事实', '违法事实'],
    ['other control characters and DEL', '\u0001惠州市\u001b某某\u007f公司\u0008', '惠州市某某公司'],
  ])('repairs %s', (_case, raw, value) => {
    expect(cleanText(raw)).toEqual({ ok: true, value, repaired: true });
  });

  it('keeps the display form of a name: full-width brackets and letters stay', () => {
    expect(cleanText('北京某某（集团）有限公司ＡＢＣ')).toEqual({ ok: true, value: '北京某某（集团）有限公司ＡＢＣ', repaired: false });
  });
});

describe('cleanCode', () => {
  it.each(['91350100M000100Y43', '440524188001010014', 'D2143569X', ''])('leaves the canonical code %j alone', (raw) => {
    expect(cleanCode(raw)).toEqual({ ok: true, value: raw, repaired: false });
  });

  it.each([
    ['full-width digits and letters', '９１３５０１００Ｍ０００１００Ｙ４３', '91350100M000100Y43'],
    ['lower case', '91350100m000100y43', '91350100M000100Y43'],
    ['lower-case x check digit', '11010519491231002x', '11010519491231002X'],
    ['org code hyphen', 'D2143569-X', 'D2143569X'],
    ['full-width hyphen', 'D2143569－X', 'D2143569X'],
    ['en dash', 'D2143569–X', 'D2143569X'],
    ['minus sign', 'D2143569−X', 'D2143569X'],
    ['spaces in groups', ' 9135 0100 M000 100Y43 ', '91350100M000100Y43'],
    ['ideographic space', '9135\u30000100M000100Y43', '91350100M000100Y43'],
    ['tab Excel exports put in front', '\t440524188001010014', '440524188001010014'],
    ['apostrophe typed to keep a number as text', "'440524188001010014", '440524188001010014'],
    ['zero-width space', '\u200b91350100M000100Y43', '91350100M000100Y43'],
  ])('repairs %s', (_case, raw, value) => {
    expect(cleanCode(raw)).toEqual({ ok: true, value, repaired: true });
  });
});

describe('nameKey', () => {
  it('gives every spelling of one company name the same key', () => {
    const spellings = [
      '北京某某(集团)有限公司',
      '北京某某（集团）有限公司',
      '北京某某【集团】有限公司',
      '北京某某［集团］有限公司',
      '北京某某〔集团〕有限公司',
      '北京某某 (集团) 有限公司',
      ' 北京某某\u3000（集团）有限公司\u200b',
    ];
    expect(new Set(spellings.map(nameKey))).toEqual(new Set(['北京某某(集团)有限公司']));
  });

  it.each([
    ['full-width Latin letters and digits', 'ＡＢＣ１２３有限公司', 'ABC123有限公司'],
    ['spaces between Latin words collapse but stay', 'ABC  Trading   Co., Ltd', 'ABC Trading Co., Ltd'],
    ['every middle dot of a personal name', '买买提•艾力', '买买提·艾力'],
    ['katakana middle dot', '买买提・艾力', '买买提·艾力'],
  ])('%s', (_case, raw, key) => {
    expect(nameKey(raw)).toBe(key);
  });

  it('keeps names apart that differ in more than form', () => {
    expect(nameKey('惠州市某某有限公司')).not.toBe(nameKey('惠州市某某有限公司分公司'));
    expect(nameKey('ABC Ltd')).not.toBe(nameKey('ABCLtd'));
  });
});
