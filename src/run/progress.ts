// Progress on a terminal: the file being loaded and the run as a whole — files, rows, rows/s and
// time left by bytes — redrawn on one line at most five times a second. Nothing when stderr is not
// a terminal: cron mail and log files get the log lines only.
import { fitWidth } from '../text-table.js';

const REDRAW_MS = 200;

const clock = (ms: number): string => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
};

export class Progress {
  private readonly started = performance.now();
  private files = 0;
  private doneBytes = 0;
  private rows = 0;
  private current = new Map<string, { bytes: number; rows: number }>();
  private drawn = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly totalFiles: number,
    private readonly totalBytes: number,
  ) {}

  /** A progress line for a terminal, or undefined when `out` is not one. */
  static on(out: NodeJS.WriteStream, totalFiles: number, totalBytes: number): Progress | undefined {
    return out.isTTY && totalFiles > 0 ? new Progress(out, totalFiles, totalBytes) : undefined;
  }

  fileStarted(name: string, bytes: number): void {
    this.current.set(name, { bytes, rows: 0 });
    this.draw(true);
  }

  rowsRead(name: string, rows: number): void {
    const f = this.current.get(name);
    if (f) f.rows = rows;
    this.draw(false);
  }

  fileDone(name: string): void {
    const f = this.current.get(name);
    this.current.delete(name);
    this.files++;
    this.doneBytes += f?.bytes ?? 0;
    this.rows += f?.rows ?? 0;
    this.draw(true);
  }

  /** Clears the line, before the summary is printed. */
  end(): void {
    this.out.write('\r\x1b[2K');
  }

  private draw(now: boolean): void {
    const t = performance.now();
    if (!now && t - this.drawn < REDRAW_MS) return;
    this.drawn = t;
    const elapsed = t - this.started;
    const rows = this.rows + [...this.current.values()].reduce((n, f) => n + f.rows, 0);
    const rate = elapsed > 0 ? Math.round((rows / elapsed) * 1000) : 0;
    const left = this.doneBytes > 0 ? clock((elapsed * (this.totalBytes - this.doneBytes)) / this.doneBytes) : '?';
    const names = [...this.current.keys()].join(', ');
    const line = `[${this.files}/${this.totalFiles} files] ${rows.toLocaleString('en')} rows · ${rate.toLocaleString('en')} rows/s · ${clock(elapsed)} elapsed, ~${left} left · ${names}`;
    // Cut to the terminal's width (a Chinese character takes two columns): a line that wraps cannot be redrawn.
    this.out.write(`\r\x1b[2K${fitWidth(line, (this.out.columns ?? 120) - 1)}`);
  }
}
