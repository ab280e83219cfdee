// The tokenizer under both dump readers. It reads bytes in chunks and hands out one token at a
// time, counting statements and lines, so that no statement, let alone the dump, is ever held
// whole: a 1 MB string spans chunks, a 100 MB INSERT streams tuple by tuple.
//
// A token is scanned from a buffer synchronously; when it runs off the end of the buffer the
// scan is dropped and retried after more bytes arrive (each refill at least doubles what is
// pending, so a huge token costs linear time). Whitespace and comments are consumed for good as
// they are passed, so a retry never redoes them.
import { isUtf8 } from 'node:buffer';
import { DeliveryError } from '../model.js';
import { type EscapeRules, MYSQL_ESCAPES, PG_STRING_ESCAPES, readEscape } from './escapes.js';
import { badBytes, decodeUtf8 } from './utf8.js';

export type Dialect = 'mysql' | 'postgres';

/**
 * word: unquoted identifier or keyword; number: unsigned numeric literal; hex: 0x41 or X'41'
 * (text holds the hex digits); ident: `quoted` or "quoted" identifier; string: a string literal
 * (bytes holds its unescaped content); punct: one character; end: the statement's terminator.
 */
export type TokenKind = 'word' | 'number' | 'hex' | 'ident' | 'string' | 'punct' | 'end' | 'eof';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x27;
const DQUOTE = 0x22;
const BACKTICK = 0x60;
const BACKSLASH = 0x5c;
const DOLLAR = 0x24;
const DASH = 0x2d;
const SLASH = 0x2f;
const STAR = 0x2a;
const DOT = 0x2e;
const EMPTY = Buffer.alloc(0);
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const COPY_END = Buffer.from('\\.');
const SANDBOX = Buffer.from('/*M!999999\\-');

const isSpace = (b: number): boolean => b === 0x20 || (b >= 0x09 && b <= 0x0d);
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
const isHexDigit = (b: number | undefined): boolean =>
  b !== undefined && (isDigit(b) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
const isWordStart = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f || b >= 0x80;
const isWordPart = (b: number): boolean => isWordStart(b) || isDigit(b) || b === DOLLAR;
const lower = (b: number | undefined): number => (b ?? 0) | 0x20;

function countLines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF, from); i >= 0 && i < to; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}

export class StatementLexer {
  kind: TokenKind = 'eof';
  /** Text of a word, number, hex, ident or punct token. */
  text = '';
  /** Unescaped content of a string token, or the raw bytes of a COPY data line. */
  bytes: Buffer = EMPTY;
  /** Line where the current token (or COPY data line) starts. */
  line = 1;
  /** Ordinal of the current statement in the file: every terminated statement counts, including
   *  those that are only a MySQL version comment; client commands (DELIMITER, \connect) do not. */
  statement = 0;
  /** Line where the current statement starts. */
  statementLine = 0;

  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Line at `pos`. */
  private at = 1;
  private final = false;
  private open = false;
  private bomChecked = false;
  private copyPending = false;
  /** Passing whitespace and comments: a problem there belongs to the statement about to start. */
  private skipping = false;
  private delimiter = Buffer.from(';');
  private readonly source: AsyncIterator<Buffer>;

  constructor(
    chunks: AsyncIterable<Buffer>,
    readonly dialect: Dialect,
    readonly file: string,
  ) {
    this.source = chunks[Symbol.asyncIterator]();
  }

  /** Advances to the next token. */
  async next(): Promise<TokenKind> {
    if (!this.scan()) await this.refill();
    return this.kind;
  }

  /**
   * Advances synchronously when the buffer holds the whole next token; false means call
   * `more()` first. Hot loops use this to avoid a promise per token.
   */
  scan(): boolean {
    for (;;) {
      this.skipping = true;
      const ready = this.skipToToken();
      this.skipping = false;
      if (!ready) return false;
      const { buf, pos } = this;
      if (pos >= buf.length) return this.atEof();
      const tokenLine = this.at;
      const delimiter = this.matchDelimiter(pos);
      if (delimiter === undefined) return false;
      if (delimiter === 0) {
        if (!this.scanToken(pos, tokenLine)) return false;
        if (!this.open) this.openStatement(tokenLine);
        return true;
      }
      if (this.open) {
        this.open = false;
        this.setToken('end', '', tokenLine, pos + delimiter, 0);
        return true;
      }
      this.pos = pos + delimiter; // an empty statement: the mysql and psql clients skip it too
    }
  }

  /** After `scan()` returned false: reads on until the next token is whole. */
  async refill(): Promise<void> {
    do await this.fill();
    while (!this.scan());
  }

  /** Reads more bytes; call when `scan()` or `copyLine()` returned false. */
  async more(): Promise<void> {
    // At least as many new bytes as are pending, so a token that keeps running off the end is
    // rescanned O(log n) times, not once per chunk.
    const pending = this.buf.subarray(this.pos);
    const pieces = pending.length > 0 ? [pending] : [];
    let got = 0;
    while (got === 0 || got < pending.length) {
      const r = await this.source.next();
      if (r.done) {
        this.final = true;
        break;
      }
      pieces.push(r.value);
      got += r.value.length;
    }
    this.buf = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
    this.pos = 0;
  }

  /** Closes the byte source early (the consumer stopped reading). */
  async close(): Promise<void> {
    await this.source.return?.();
  }

  /** The current string token as text; the dump must be UTF-8 wherever it holds text. */
  stringText(): string {
    const text = decodeUtf8(this.bytes);
    if (text === undefined) throw this.notUtf8(this.bytes, this.line);
    return text;
  }

  /** Call after the `end` of a `COPY … FROM stdin` statement: data lines follow until `\.`. */
  startCopyData(): void {
    this.copyPending = true;
  }

  /** Next COPY data line into `bytes` ('row'), or 'end' at `\.`; false means call `more()`. */
  copyLine(): 'row' | 'end' | false {
    const { buf } = this;
    if (this.copyPending) {
      // psql takes the data from the line after the COPY command.
      const lf = buf.indexOf(LF, this.pos);
      if (lf < 0) return this.final ? this.copyUnended() : false;
      this.pos = lf + 1;
      this.at++;
      this.copyPending = false;
    }
    const lf = buf.indexOf(LF, this.pos);
    if (lf < 0 && !this.final) return false;
    if (lf < 0 && this.pos >= buf.length) return this.copyUnended();
    const stop = lf < 0 ? buf.length : lf;
    // pg_dump escapes every CR in data as \r, so a raw one can only be a CRLF line end.
    const line = buf.subarray(this.pos, stop > this.pos && buf[stop - 1] === CR ? stop - 1 : stop);
    this.line = this.at;
    this.pos = stop + 1;
    this.at++;
    if (line.equals(COPY_END)) return 'end';
    this.bytes = line;
    return 'row';
  }

  async nextCopyLine(): Promise<'row' | 'end'> {
    for (;;) {
      const r = this.copyLine();
      if (r) return r;
      await this.more();
    }
  }

  /** A syntax error in the current statement: the whole dump is rejected. */
  fail(what: string): DeliveryError {
    return new DeliveryError('file/sql-syntax', `${this.where()}: ${what}`, this.file);
  }

  /** `statement 7 (line 40)`: the statement being read, or the one about to start. */
  where(): string {
    const current = this.open || (this.kind === 'end' && !this.skipping);
    const [n, line] = current ? [this.statement, this.statementLine] : [this.statement + 1, this.at];
    return `statement ${n} (line ${line})`;
  }

  /** The current token, for a message; values never appear, they may be personal data. */
  describe(): string {
    switch (this.kind) {
      case 'word':
      case 'punct':
        return `\`${this.text.length > 30 ? `${this.text.slice(0, 30)}…` : this.text}\``;
      case 'ident':
        return 'a quoted name';
      case 'number':
      case 'hex':
        return 'a number';
      case 'string':
        return 'a string';
      case 'end':
        return 'the end of the statement';
      case 'eof':
        return 'the end of the file';
    }
  }

  notUtf8(bytes: Uint8Array, line: number): DeliveryError {
    return new DeliveryError(
      'file/encoding',
      `${this.where()}: the text starting on line ${line} is not UTF-8 ` +
        `(bytes ${badBytes(bytes)}); a dump must be written in UTF-8 (mysqldump's default utf8mb4, pg_dump -E UTF8)`,
      this.file,
    );
  }

  private async fill(): Promise<void> {
    if (this.final) throw new Error('StatementLexer: scan asked for bytes after the end of the file');
    await this.more();
  }

  private openStatement(line: number): void {
    this.open = true;
    this.statement++;
    this.statementLine = line;
  }

  private atEof(): boolean {
    if (this.open) throw this.fail(`the file ends before the statement's closing ${this.delimiter.toString('latin1')} (is the dump truncated?)`);
    this.setToken('eof', '', this.at, this.pos, 0);
    return true;
  }

  private copyUnended(): never {
    throw this.fail('the COPY data is not ended by a line \\. before the end of the file (is the dump truncated?)');
  }

  private setToken(kind: TokenKind, text: string, line: number, next: number, lines: number): void {
    this.kind = kind;
    this.text = text;
    this.line = line;
    this.pos = next;
    this.at = line + lines;
  }

  /** Consumes whitespace, comments and client commands; false when the buffer ran out first. */
  private skipToToken(): boolean {
    const { buf, final } = this;
    const end = buf.length;
    if (!this.bomChecked) {
      if (end - this.pos < BOM.length && !final) return false;
      if (buf.subarray(this.pos, this.pos + BOM.length).equals(BOM)) this.pos += BOM.length;
      this.bomChecked = true;
    }
    for (;;) {
      const p = this.pos;
      if (p >= end) return final;
      const b = buf[p]!;
      if (b === LF) {
        this.at++;
        this.pos++;
        continue;
      }
      if (isSpace(b)) {
        this.pos++;
        continue;
      }
      // A comment or client command needs a few bytes of look-ahead to be recognised.
      const lookahead = lower(b) === 0x64 ? 10 : 4;
      if (p + lookahead > end && !final && (b === DASH || b === SLASH || b === 0x23 || b === BACKSLASH || lower(b) === 0x64)) {
        return false;
      }
      const mysql = this.dialect === 'mysql';
      const dashes = b === DASH && buf[p + 1] === DASH && (!mysql || p + 2 >= end || buf[p + 2]! <= 0x20);
      if (dashes || (mysql && b === 0x23)) {
        if (!this.skipLine(p)) return false;
        continue;
      }
      if (b === SLASH && buf[p + 1] === STAR) {
        if (!this.skipBlockComment(p)) return false;
        continue;
      }
      if (!this.open && this.isClientCommand(p)) {
        if (!this.skipClientCommand(p)) return false;
        continue;
      }
      return true;
    }
  }

  private skipLine(p: number): boolean {
    const lf = this.buf.indexOf(LF, p);
    if (lf < 0 && !this.final) return false;
    const stop = lf < 0 ? this.buf.length : lf;
    this.checkText(p, stop, this.at);
    this.pos = stop;
    return true;
  }

  /** `/* … *\/`; MySQL's `/*!40101 … *\/` and MariaDB's `/*M!100100 … *\/` hold SQL for newer servers
   *  and count as (the start of) a statement, but mysqldump only puts SET, ALTER … KEYS, triggers
   *  and table options there: nothing that carries rows. PostgreSQL nests block comments. */
  private skipBlockComment(p: number): boolean {
    const { buf } = this;
    let stop: number;
    if (this.dialect === 'postgres') {
      let depth = 0;
      stop = -1;
      for (let i = p; i + 1 < buf.length; i++) {
        if (buf[i] === SLASH && buf[i + 1] === STAR) {
          depth++;
          i++;
        } else if (buf[i] === STAR && buf[i + 1] === SLASH) {
          i++;
          if (--depth === 0) {
            stop = i + 1;
            break;
          }
        }
      }
    } else {
      const close = buf.indexOf('*/', p + 2);
      stop = close < 0 ? -1 : close + 2;
    }
    if (stop < 0) {
      if (!this.final) return false;
      throw this.fail(`the comment opened on line ${this.at} is not closed before the end of the file`);
    }
    const line = this.at;
    this.checkText(p, stop, line);
    const versioned = this.dialect === 'mysql' && (buf[p + 2] === 0x21 || (buf[p + 2] === 0x4d && buf[p + 3] === 0x21));
    // MariaDB 10.x dumps start with `/*M!999999\- enable the sandbox mode */`, an instruction to
    // the mysql client, not SQL: it ends no statement and starts none.
    const sandbox = versioned && buf.subarray(p, p + SANDBOX.length).equals(SANDBOX);
    this.at += countLines(buf, p, stop);
    this.pos = stop;
    if (versioned && !sandbox && !this.open) this.openStatement(line);
    return true;
  }

  /** mysql's `DELIMITER ;;` (mysqldump writes it around triggers) and psql's `\connect`,
   *  `\restrict` lines: commands to the client, one line each, no terminator. */
  private isClientCommand(p: number): boolean {
    const { buf } = this;
    if (this.dialect === 'postgres') return buf[p] === BACKSLASH;
    return buf.subarray(p, p + 10).toString('latin1').toUpperCase().startsWith('DELIMITER') && isSpace(buf[p + 9] ?? 0x20);
  }

  private skipClientCommand(p: number): boolean {
    const { buf } = this;
    const lf = buf.indexOf(LF, p);
    if (lf < 0 && !this.final) return false;
    const stop = lf < 0 ? buf.length : lf;
    if (this.dialect === 'mysql') {
      const delimiter = buf.subarray(p + 9, stop).toString('latin1').trim().split(/\s+/)[0] ?? '';
      if (delimiter === '') throw this.fail('DELIMITER names no delimiter');
      this.delimiter = Buffer.from(delimiter, 'latin1');
    }
    this.pos = stop;
    return true;
  }

  /** Length of the terminator at `p` (0 when there is none); undefined when the buffer ends inside one. */
  private matchDelimiter(p: number): number | undefined {
    const { buf, delimiter } = this;
    for (let i = 0; i < delimiter.length; i++) {
      if (p + i >= buf.length) return this.final ? 0 : undefined;
      if (buf[p + i] !== delimiter[i]) return 0;
    }
    return delimiter.length;
  }

  private scanToken(p: number, line: number): boolean {
    const { buf, final } = this;
    const end = buf.length;
    const b = buf[p]!;
    const mysql = this.dialect === 'mysql';
    if (b === QUOTE || (mysql && b === DQUOTE)) return this.scanString(p + 1, line, b, mysql ? MYSQL_ESCAPES : undefined);
    if ((mysql && b === BACKTICK) || (!mysql && b === DQUOTE)) return this.scanIdent(p + 1, line, b);
    if (!mysql && b === DOLLAR) {
      const dollar = this.scanDollarQuote(p, line);
      if (dollar !== 'punct') return dollar;
    }
    if (mysql && b === 0x30 && lower(buf[p + 1]) === 0x78 && (isHexDigit(buf[p + 2]) || (p + 2 >= end && !final))) {
      let q = p + 2;
      while (q < end && isHexDigit(buf[q])) q++;
      if (q >= end && !final) return false;
      this.setToken('hex', buf.toString('latin1', p + 2, q).toUpperCase(), line, q, 0);
      return true;
    }
    if (isDigit(b) || (b === DOT && isDigit(buf[p + 1]))) return this.scanNumber(p, line);
    if (isWordStart(b)) return this.scanWord(p, line);
    if (p + 1 >= end && !final && b === DOT) return false;
    this.setToken('punct', String.fromCharCode(b), line, p + 1, 0);
    return true;
  }

  private scanNumber(p: number, line: number): boolean {
    const { buf } = this;
    const end = buf.length;
    let q = p;
    while (isDigit(buf[q])) q++;
    if (buf[q] === DOT) for (q++; isDigit(buf[q]); ) q++;
    if (lower(buf[q]) === 0x65) {
      let r = q + 1;
      if (buf[r] === 0x2b || buf[r] === DASH) r++;
      if (isDigit(buf[r])) for (q = r; isDigit(buf[q]); ) q++;
    }
    // An exponent or more digits may still be on their way.
    if (q + 2 >= end && !this.final) return false;
    this.setToken('number', buf.toString('latin1', p, q), line, q, 0);
    return true;
  }

  private scanWord(p: number, line: number): boolean {
    const { buf, final } = this;
    const end = buf.length;
    let q = p + 1;
    let high = buf[p]! >= 0x80;
    for (; q < end && isWordPart(buf[q]!); q++) if (buf[q]! >= 0x80) high = true;
    if (q >= end && !final) return false;
    if (q === p + 1 && buf[q] === QUOTE) {
      // Prefixed literals: X'4142' hex, E'…' PostgreSQL escape string, N'…' MySQL national string.
      const prefix = lower(buf[p]);
      if (prefix === 0x78) return this.scanHexString(q + 1, line);
      if (prefix === 0x65 && this.dialect === 'postgres') return this.scanString(q + 1, line, QUOTE, PG_STRING_ESCAPES);
      if (prefix === 0x6e && this.dialect === 'mysql') return this.scanString(q + 1, line, QUOTE, MYSQL_ESCAPES);
    }
    if (high) this.checkText(p, q, line);
    this.setToken('word', buf.toString(high ? 'utf8' : 'latin1', p, q), line, q, 0);
    return true;
  }

  /** A quoted string from `from` (just past the quote); `''` is a quote; backslashes per `rules`. */
  private scanString(from: number, line: number, quote: number, rules: EscapeRules | undefined): boolean {
    const { buf, final } = this;
    const end = buf.length;
    // First find the closing quote; most strings have nothing to unescape and stay a slice.
    let lines = 0;
    let plain = true;
    let close = from;
    for (; ; close++) {
      if (close >= end) {
        if (!final) return false;
        throw this.fail(`the string opened on line ${line} is not closed before the end of the file`);
      }
      const c = buf[close]!;
      if (c === LF) lines++;
      else if (c === quote) {
        if (close + 1 >= end && !final) return false;
        if (buf[close + 1] !== quote) break;
        plain = false;
        close++;
      } else if (c === BACKSLASH && rules) {
        if (close + 1 >= end && !final) return false;
        if (buf[close + 1] === LF) lines++;
        plain = false;
        close++;
      }
    }
    this.setToken('string', '', line, close + 1, lines);
    this.bytes = plain ? buf.subarray(from, close) : this.unescape(from, close, quote, line, rules);
    return true;
  }

  /** The content of a string known to end at `close`; never longer than its dumped form. */
  private unescape(from: number, close: number, quote: number, line: number, rules: EscapeRules | undefined): Buffer {
    const { buf } = this;
    const out = Buffer.allocUnsafe(close - from);
    let o = 0;
    // Byte by byte: the runs between escapes are short, shorter than a native copy is worth.
    for (let q = from; q < close; ) {
      const c = buf[q]!;
      if (c === quote) {
        out[o++] = quote;
        q += 2;
      } else if (c === BACKSLASH && rules) {
        const escape = readEscape(rules, buf, q + 1, close, true);
        if (escape === 'more' || 'invalid' in escape) throw this.fail(`the string opened on line ${line} has ${escape === 'more' ? 'a lone backslash' : escape.invalid}`);
        for (const b of escape.bytes) out[o++] = b;
        q = escape.next;
      } else {
        out[o++] = c;
        q++;
      }
    }
    return out.subarray(0, o);
  }

  private scanHexString(from: number, line: number): boolean {
    const { buf } = this;
    const close = buf.indexOf(QUOTE, from);
    if (close < 0) {
      if (!this.final) return false;
      throw this.fail(`the hex string opened on line ${line} is not closed before the end of the file`);
    }
    const digits = buf.toString('latin1', from, close);
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw this.fail(`X'…' on line ${line} holds something other than pairs of hex digits`);
    this.setToken('hex', digits.toUpperCase(), line, close + 1, 0);
    return true;
  }

  /** `identifier` or "identifier"; the quote doubled stands for itself. */
  private scanIdent(from: number, line: number, quote: number): boolean {
    const { buf } = this;
    let text = '';
    for (let q = from; ; ) {
      const close = buf.indexOf(quote, q);
      if (close < 0 || (close + 1 >= buf.length && !this.final)) {
        if (!this.final) return false;
        throw this.fail(`the quoted name opened on line ${line} is not closed before the end of the file`);
      }
      this.checkText(q, close, line);
      text += buf.toString('utf8', q, close);
      if (buf[close + 1] === quote) {
        text += String.fromCharCode(quote);
        q = close + 2;
        continue;
      }
      this.setToken('ident', text, line, close + 1, countLines(buf, from, close));
      return true;
    }
  }

  /** PostgreSQL `$tag$ … $tag$` (function bodies in pg_dump output): semicolons inside are text. */
  private scanDollarQuote(p: number, line: number): boolean | 'punct' {
    const { buf } = this;
    let q = p + 1;
    while (q < buf.length && (isWordStart(buf[q]!) || (q > p + 1 && isDigit(buf[q])))) q++;
    if (q >= buf.length) {
      if (!this.final) return false;
      return 'punct';
    }
    if (buf[q] !== DOLLAR) return 'punct';
    const tag = buf.subarray(p, q + 1);
    const close = buf.indexOf(tag, q + 1);
    if (close < 0) {
      if (!this.final) return false;
      throw this.fail(`the ${tag.toString('latin1')} quote opened on line ${line} is not closed before the end of the file`);
    }
    this.setToken('string', '', line, close + tag.length, countLines(buf, q + 1, close));
    this.bytes = buf.subarray(q + 1, close);
    return true;
  }

  /** Names and comments are text: they must be UTF-8 like the rest of the dump. */
  private checkText(from: number, to: number, line: number): void {
    const bytes = this.buf.subarray(from, to);
    if (!isUtf8(bytes)) throw this.notUtf8(bytes, line);
  }
}
