// Reads the conformance vectors in fixtures/conformance (format in its SOURCES.md) for the
// table-driven identifier tests.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IdentifierFailure } from '../../../src/validate/identifiers/index.js';

export const CONFORMANCE_DIR = fileURLToPath(new URL('../../../fixtures/conformance/', import.meta.url));

export function conformanceText(file: string): string {
  return readFileSync(CONFORMANCE_DIR + file, 'utf8');
}

function lines(file: string): string[][] {
  const text = conformanceText(file);
  if (!text.endsWith('\n')) throw new Error(`${file}: no newline at the end, the file may be cut short`);
  return text.slice(0, -1).split('\n').map((line) => line.split('\t'));
}

/** A `*-valid.txt` file: one canonical number a line. */
export function validVectors(file: string): string[] {
  return lines(file).map(([value]) => value!);
}

/** How a line of a `*-invalid.txt` file must be treated (SOURCES.md, "Reason prefixes"). */
export type Treatment = 'reject' | 'policy' | 'real-nonconforming';

export interface InvalidVector {
  value: string;
  reason: string;
  treatment: Treatment;
  /** The failures the reason names; a rejection must report one of them. */
  named: Set<IdentifierFailure>;
}

const NAMED: [IdentifierFailure, RegExp][] = [
  ['format', /format|not a resident ID/],
  ['length', /length/],
  ['checksum', /checksum|check char(?:acter)? (?:should|is|computes)|check digit is/],
  ['date', /date|month|day|year|February/],
  ['province', /province|location|address/],
  ['org-check', /org-check/],
];

export function invalidVectors(file: string): InvalidVector[] {
  return lines(file).map(([value, reason]) => {
    if (reason === undefined) throw new Error(`${file}: ${value} has no reason`);
    const treatment: Treatment = reason.startsWith('policy:') ? 'policy' : reason.startsWith('real-nonconforming:') ? 'real-nonconforming' : 'reject';
    const named = new Set(NAMED.filter(([, words]) => words.test(reason)).map(([failure]) => failure));
    return { value: value!, reason, treatment, named };
  });
}

/** `cn-ric-15to18.txt`: [15-digit, 18-digit]. */
export function upgradePairs(file: string): [string, string][] {
  return lines(file).map(([id15, id18]) => [id15!, id18!]);
}
