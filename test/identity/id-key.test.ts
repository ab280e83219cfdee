import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hashResidentId, IdKeyError, loadIdKey } from '../../src/identity/id-key.js';

const dir = mkdtempSync(join(tmpdir(), 'credit-etl-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const HEX = 'a1'.repeat(32);

function keyFile(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('the key resident IDs are hashed with', () => {
  it('is an error when missing, naming both settings and how to make one', () => {
    expect(() => loadIdKey({})).toThrow(IdKeyError);
    expect(() => loadIdKey({})).toThrow(/neither CREDIT_ETL_ID_KEY nor CREDIT_ETL_ID_KEY_FILE is set; make one with `openssl rand -hex 32/);
  });

  it('comes from the environment or a private key file', () => {
    expect(loadIdKey({ CREDIT_ETL_ID_KEY: HEX })).toEqual(Buffer.from(HEX, 'hex'));
    const file = keyFile('id.key', `${HEX}\n`, 0o600);
    expect(loadIdKey({ CREDIT_ETL_ID_KEY_FILE: file })).toEqual(Buffer.from(HEX, 'hex'));
  });

  it('refuses a short or malformed key, a key file others can read, and a file that is not there', () => {
    expect(() => loadIdKey({ CREDIT_ETL_ID_KEY: 'secret' })).toThrow(/must hold 64 hexadecimal characters \(32 random bytes\), not 6 characters with other characters/);
    expect(() => loadIdKey({ CREDIT_ETL_ID_KEY: 'ab'.repeat(16) })).toThrow(/not 32 characters;/);
    const open = keyFile('open.key', HEX, 0o644);
    expect(() => loadIdKey({ CREDIT_ETL_ID_KEY_FILE: open })).toThrow(new RegExp(`${open} may be read by other users \\(mode 644\\): \`chmod 600`));
    expect(() => loadIdKey({ CREDIT_ETL_ID_KEY_FILE: join(dir, 'nope.key') })).toThrow(/nope\.key, which cannot be read/);
  });
});

describe('a hashed resident ID', () => {
  const key = Buffer.from(HEX, 'hex');
  it('is the same for the 15- and 18-digit forms of one person, and masked, never clear', () => {
    // 440524800101001 upgrades to 440524198001010013 (19 inserted, GB 11643 check character 3).
    const long = hashResidentId(key, '440524198001010013');
    const short = hashResidentId(key, '440524800101001');
    expect(short).toEqual(long);
    expect(long.masked).toBe('440524********0013');
    expect(long.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(long)).not.toContain('19800101');
  });

  it('depends on the key: the same ID under another key does not match', () => {
    expect(hashResidentId(Buffer.from('b2'.repeat(32), 'hex'), '440524198001010013').hash).not.toBe(hashResidentId(key, '440524198001010013').hash);
  });
});
