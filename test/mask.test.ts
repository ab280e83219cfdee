import { describe, expect, it } from 'vitest';
import { maskCodes, maskIdNumber, maskPersonal, maskPhone } from '../src/mask.js';

describe('masking personal data', () => {
  it('keeps the division and the last four of a resident ID, nothing of the birth date', () => {
    expect(maskIdNumber('440524188001010014')).toBe('440524********0014');
    expect(maskIdNumber('150102880730303')).toBe('150102*****0303');
    expect(maskIdNumber(' 11010519491231002X ')).toBe('110105********002X');
  });

  it('keeps the first three and last four of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0752-2345678')).toBe('075*****5678');
  });

  it('never returns a short value in clear', () => {
    expect(maskIdNumber('E1234')).toBe('*1234');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskPhone('12345')).toBe('***45');
  });

  it('chooses the mask by item type', () => {
    expect(maskPersonal('phone', '13812345678')).toBe('138****5678');
    expect(maskPersonal('id-number', 'E12345678')).toBe('*****5678');
    for (const v of ['440524188001010014', '13812345678']) expect(maskPersonal('resident-id', v)).not.toContain(v.slice(6, 14));
  });

  it('hides long runs of digits in text whose columns are unknown, and leaves dates, amounts and words', () => {
    for (const [text, shown] of [
      ['44130219730909055', '441************55'],
      ['4413021973090905551', '441**************51'],
      ['441302l97309090555', '441*************55'],
      ['联系电话 138 1234 5678，座机 0752-2345678', '联系电话 138 **** **78，座机 075*-*****78'],
      ['row 7: 91441300MA4W0XXXX bad check character', 'row 7: 914************XX bad check character'],
      ['2026-11-25 罚款 1234567.89 元', '2026-11-25 罚款 1234567.89 元'],
      ['惠市建罚〔2026〕900号', '惠市建罚〔2026〕900号'],
    ] as const) expect(maskCodes(text)).toBe(shown);
    // What maskText already hides stays hidden.
    expect(maskCodes('440524188001010014')).toBe('440524********0014');
  });
});
