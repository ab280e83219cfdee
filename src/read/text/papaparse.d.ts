// The part of papaparse the CSV reader uses: its core parser, which papaparse's own streaming
// drives with the same (text, baseIndex, ignoreLastRow) calls.
declare module 'papaparse' {
  interface ParseError {
    type: string;
    code: string;
    message: string;
    row?: number;
  }
  interface ParseResult {
    data: string[][];
    errors: ParseError[];
    /** `cursor`: where the last whole record parsed ends. */
    meta: { cursor: number };
  }
  interface ParserConfig {
    delimiter: string;
    newline: '\r\n' | '\n' | '\r';
    quoteChar?: string;
  }
  class Parser {
    constructor(config: ParserConfig);
    /** With `ignoreLastRow`, a record not ended by `newline` is left for the next call. */
    parse(input: string, baseIndex: number, ignoreLastRow: boolean): ParseResult;
  }
  const Papa: { Parser: typeof Parser };
  export default Papa;
}
