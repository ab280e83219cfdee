// What stages 3 and 4 say about the rows they checked, so the two can be compared line by line.
import type { FileCheckSummary } from '../src/validate/index.js';

const pct = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(1)}%`;

/** Shares rejected and warned, repairs made, and CPU over wall time (above 1: V8's GC threads helped). */
export function checkNote(s: FileCheckSummary, cpu: number, wall: number): string {
  return `${pct(s.rejected, s.rows)} rejected, ${pct(s.warned, s.rows)} warned, ${s.repairs.toLocaleString('en')} repairs; CPU ${(cpu / wall).toFixed(2)}× wall`;
}
