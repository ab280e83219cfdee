// Runs one credit-etl command line in-process and captures what it printed.
import { vi } from 'vitest';
import { run } from '../../src/cli/program.js';

export interface Ran { code: number; stdout: string; stderr: string }

export async function cli(...argv: string[]): Promise<Ran> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => { stdout += String(s); return true; });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => { stderr += String(s); return true; });
  try {
    const code = await run(argv);
    return { code, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
