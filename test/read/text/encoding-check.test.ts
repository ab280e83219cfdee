import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/read/model.js';
import { encodingFault } from '../../../src/read/text/encoding-check.js';
import type { TextEncoding } from '../../../src/read/text/encoding.js';

const dir = mkdtempSync(join(tmpdir(), 'encoding-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Scans the file in 5-byte chunks, so characters are cut between chunks. */
async function check(name: string, bytes: Buffer, encoding: TextEncoding, start = 0): Promise<DeliveryError | undefined> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return encodingFault(path, encoding, start, 5);
}

const gbk = iconv.encode('行政相对人名称,处罚内容\r\n惠州市鸿达五金制品有限公司,罚款2000元\r\n陈伟,警告\r\n', 'gbk');

describe('encodingFault', () => {
  it('finds no fault in valid bytes, characters cut between chunks included', async () => {
    expect(await check('gbk.csv', gbk, 'gb18030')).toBeUndefined();
    const utf16 = iconv.encode('许可𠮷\t备注\r\n', 'utf-16le', { addBOM: true });
    expect(await check('utf16.txt', utf16, 'utf-16le', 2)).toBeUndefined();
  });

  it('finds a bad byte past the start: file/encoding, its line and its offset', async () => {
    const bad = Buffer.concat([gbk, Buffer.from([0xff, 0x2c]), iconv.encode('警告\r\n', 'gbk')]);
    const error = await check('gbk-bad.csv', bad, 'gb18030');
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      code: 'file/encoding',
      message: `${join(dir, 'gbk-bad.csv')}: line 4: the bytes at offset ${gbk.length} (FF 2C BE AF) start no GB18030 character, though the start of the file is gb18030: the file mixes encodings or is damaged`,
    });
  });

  it('finds the file ending inside a character', async () => {
    const cut = Buffer.concat([gbk, iconv.encode('罚', 'gbk').subarray(0, 1)]);
    expect(await check('gbk-cut.csv', cut, 'gb18030')).toMatchObject({
      code: 'file/encoding',
      message: expect.stringContaining(`line 4: the file ends inside a GB18030 character at offset ${gbk.length} (B7)`),
    });
  });

  it('finds GBK bytes in a file that began as UTF-8', async () => {
    const mixed = Buffer.concat([Buffer.from('名称,内容\n甲,乙\n', 'utf8'), iconv.encode('丙', 'gbk')]);
    expect(await check('mixed.csv', mixed, 'utf-8')).toMatchObject({
      code: 'file/encoding',
      message: expect.stringContaining('line 3: the bytes at offset 22 (B1 FB) start no UTF-8 character'),
    });
  });
});
