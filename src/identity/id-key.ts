// Resident IDs are matched, never stored: the registry keeps a keyed hash (HMAC-SHA256) and a
// masked form. Without the key nobody holding a copy of the warehouse can test a guessed ID
// against it, which a plain hash of an 18-digit number with a checksum would allow in seconds.
import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { maskIdNumber } from '../mask.js';
import { upgradeResidentId15 } from '../validate/identifiers/index.js';

export const KEY_ENV = 'CREDIT_ETL_ID_KEY';
export const KEY_FILE_ENV = 'CREDIT_ETL_ID_KEY_FILE';
/** 32 random bytes, written as 64 hexadecimal characters (`openssl rand -hex 32`). */
const KEY_BYTES = 32;

export class IdKeyError extends Error {
  override name = 'IdKeyError';
}

const HOW = `make one with \`openssl rand -hex 32 > /etc/credit-etl/id.key && chmod 600 /etc/credit-etl/id.key\` and set ${KEY_FILE_ENV} to its path (or ${KEY_ENV} to the 64 hex characters); keep it: a warehouse can only match IDs hashed with the same key`;

function parseKey(text: string, where: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== KEY_BYTES * 2) {
    throw new IdKeyError(`${where} must hold ${KEY_BYTES * 2} hexadecimal characters (${KEY_BYTES} random bytes), not ${hex.length} characters${/^[0-9a-fA-F]*$/.test(hex) ? '' : ' with other characters'}; ${HOW}`);
  }
  return Buffer.from(hex, 'hex');
}

/**
 * The key resident IDs are hashed with: CREDIT_ETL_ID_KEY, else the file CREDIT_ETL_ID_KEY_FILE
 * names (refused if other users may read it). A missing key is an error, never a default.
 */
export function loadIdKey(env: NodeJS.ProcessEnv = process.env): Buffer {
  const inline = env[KEY_ENV];
  if (inline !== undefined && inline !== '') return parseKey(inline, KEY_ENV);
  const file = env[KEY_FILE_ENV];
  if (file === undefined || file === '') throw new IdKeyError(`no key for resident IDs: neither ${KEY_ENV} nor ${KEY_FILE_ENV} is set; ${HOW}`);
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch {
    throw new IdKeyError(`${KEY_FILE_ENV} names ${file}, which cannot be read; ${HOW}`);
  }
  if ((mode & 0o077) !== 0) {
    throw new IdKeyError(`${file} may be read by other users (mode ${(mode & 0o777).toString(8)}): \`chmod 600 ${file}\``);
  }
  return parseKey(readFileSync(file, 'utf8'), file);
}

export interface HashedResidentId {
  /** HMAC-SHA256 of the 18-digit form, hex: what matching compares. */
  hash: string;
  /** 440524********0014: what people are shown. */
  masked: string;
}

/** A checked resident ID, the 15-digit form upgraded to 18 first so both forms of one person match. */
export function hashResidentId(key: Buffer, id: string): HashedResidentId {
  const full = id.length === 15 ? upgradeResidentId15(id) : id;
  return { hash: createHmac('sha256', key).update(full).digest('hex'), masked: maskIdNumber(full) };
}
