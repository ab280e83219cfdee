// Decides which data subject a table holds when the pipeline does not say: the subject whose
// items explain most of the table's columns. Close calls are refused, never guessed.
import type { DataSubject } from '../catalog/index.js';
import { mapHeaders, type ColumnMap } from './headers.js';

export interface SubjectCandidate {
  code: string;
  name: string;
  /** Share of the table's labelled columns that map to the subject's items (0–1). */
  score: number;
  mapped: number;
  missingRequired: number;
}

export type SubjectDecision =
  | { kind: 'match'; columns: ColumnMap; candidates: SubjectCandidate[] }
  | { kind: 'ambiguous' | 'none'; candidates: SubjectCandidate[] };

/** Below this share of explained columns no subject is taken. */
const MIN_SCORE = 0.5;
/** Two subjects closer than this are a tie. */
const MARGIN = 0.1;

export function decideSubject(headers: readonly string[], subjects: readonly DataSubject[]): SubjectDecision {
  const labelled = headers.filter((h) => h.trim() !== '').length || 1;
  const scored = subjects.map((subject) => {
    const columns = mapHeaders(headers, subject);
    const mapped = columns.columns.filter(Boolean).length;
    // Missing required columns count against a subject: a penalty file also "matches" the
    // entity columns of the licensing subject.
    const score = Math.max(0, (mapped - columns.missingRequired.length) / labelled);
    return { columns, candidate: { code: subject.code, name: subject.name, score: Math.round(score * 1000) / 1000, mapped, missingRequired: columns.missingRequired.length } };
  }).sort((a, b) => b.candidate.score - a.candidate.score || b.candidate.mapped - a.candidate.mapped);
  const candidates = scored.slice(0, 5).map((s) => s.candidate);
  const [first, second] = scored;
  if (!first || first.candidate.score < MIN_SCORE) return { kind: 'none', candidates };
  if (second && first.candidate.score - second.candidate.score < MARGIN) return { kind: 'ambiguous', candidates };
  return { kind: 'match', columns: first.columns, candidates };
}

export function describeCandidates(candidates: readonly SubjectCandidate[]): string {
  return candidates.slice(0, 3).map((c) => `${c.code} ${c.name} ${c.score.toFixed(2)} (${c.mapped} columns, ${c.missingRequired} required missing)`).join('; ');
}
