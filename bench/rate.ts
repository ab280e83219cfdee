// Throughput of one function over realistic inputs for the micro-figures, in process CPU time so
// other work on a shared machine does not count: a warm-up pass (V8 optimises), then the median
// of three timed passes of at least PASS_MS each.
import { cpuMs } from './stage.js';

const PASS_MS = 100;
// Every result is stored, so no call can be dropped as dead.
let sink: unknown;

/** Calls of `fn` per second of CPU, cycling through `inputs`. */
export function perSecond(inputs: readonly string[], fn: (s: string) => unknown): number {
  const rates: number[] = [];
  for (let pass = 0; pass < 4; pass++) {
    let n = 0;
    const t0 = cpuMs();
    let t = t0;
    while (t - t0 < PASS_MS) {
      for (const s of inputs) sink = fn(s);
      n += inputs.length;
      t = cpuMs();
    }
    if (pass > 0) rates.push(n / ((t - t0) / 1000));
  }
  return rates.sort((a, b) => a - b)[1]!;
}

/** `xs` cycled to 1,000 entries: one pass long enough to time, small enough to stay in cache. */
export const cycle = (xs: readonly string[]): string[] => Array.from({ length: 1000 }, (_, i) => xs[i % xs.length]!);
