// A run's log: pino JSON lines to the run's log file and to stderr, which reads as plain lines
// when a person watches it on a terminal. No personal value can reach a line: fields named after
// the catalog's personal items are redacted, and every text is masked for resident-ID- and
// phone-shaped runs of digits, whatever field it arrives in.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import type { Catalog } from '../catalog/index.js';
import { maskText } from '../mask.js';

export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

// Digests are hex: masking a digit run inside one would only make it wrong.
const DIGESTS = new Set(['sha256', 'hash']);

function masked(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return DIGESTS.has(key) ? value : maskText(value);
  if (Array.isArray(value)) return value.map((v) => masked(v));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(v, k)]));
  }
  return value;
}

/** The paths pino redacts: every personal item's code, at any of the first two levels. */
export function redactPaths(catalog: Catalog): string[] {
  const codes = new Set(catalog.subjects.flatMap((s) => s.items.filter((i) => i.personal).map((i) => i.code)));
  return [...codes].sort().flatMap((c) => [c, `*.${c}`]);
}

const LABELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const QUIET = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'run']);

/** A JSON log line as a person reads it: time, level, message, then the other fields as key=value. */
export function plainLine(json: string): string {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof o['time'] === 'number' ? new Date(o['time']).toISOString().slice(11, 19) : '';
  const level = LABELS[Number(o['level'])] ?? String(o['level']);
  const rest = Object.entries(o).filter(([k]) => !QUIET.has(k)).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return `${time} ${level.padEnd(5)} ${String(o['msg'] ?? '')}${rest.length > 0 ? `  ${rest.join(' ')}` : ''}`;
}

function plainStream(out: NodeJS.WriteStream): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = chunk.toString('utf8').split('\n').filter((l) => l !== '');
      // Each line first clears the line it lands on: the run's progress line, when one is drawn.
      out.write(lines.map((l) => `\r\x1b[2K${plainLine(l)}\n`).join(''));
      done();
    },
  });
}

export interface RunLog {
  log: Logger;
  /** The JSON-lines file, when the pipeline keeps one. */
  file?: string;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export interface LogOptions {
  level: LevelWithSilent;
  catalog: Catalog;
  /** Where the run's JSON lines also go. */
  file?: string;
  /** Defaults to process.stderr; plain lines when it is a terminal. */
  stderr?: NodeJS.WriteStream;
}

export function runLog({ level, catalog, file, stderr = process.stderr }: LogOptions): RunLog {
  const streams: { stream: NodeJS.WritableStream; level: LevelWithSilent }[] = [];
  let fileStream: WriteStream | undefined;
  if (file !== undefined) {
    mkdirSync(dirname(file), { recursive: true });
    fileStream = createWriteStream(file, { flags: 'a' });
    streams.push({ stream: fileStream, level });
  }
  streams.push({ stream: stderr.isTTY ? plainStream(stderr) : stderr, level });
  const log = pino({
    level,
    base: undefined,
    redact: { paths: redactPaths(catalog), censor: '[personal]' },
    formatters: { log: (object) => masked(object) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        // The message itself: a text passed in may hold a value (a file name, a cell).
        method.apply(this, args.map((a, i) => (typeof a === 'string' && i === args.length - 1 ? maskText(a) : a)) as Parameters<typeof method>);
      },
    },
  }, pino.multistream(streams));
  return {
    log,
    ...(file !== undefined && { file }),
    close: () => new Promise<void>((resolve) => {
      if (fileStream === undefined) resolve();
      else fileStream.end(() => resolve());
    }),
  };
}
