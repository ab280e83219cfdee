// Government systems export "Excel" files that are an HTML <table>, usually in GBK with
// <meta charset=gb2312>. SheetJS parses HTML from a JavaScript string, so the bytes are decoded
// here: the BOM, else the declared charset, else strict UTF-8, else GB18030 (a superset of GBK
// and GB2312). A decoding that meets a byte it cannot map is rejected, not kept with U+FFFD.
import iconv from 'iconv-lite';

const BOMS: readonly { bytes: readonly number[]; encoding: string; name: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8', name: 'utf-8-bom' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le', name: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be', name: 'utf-16be' },
];
// The HTML standard's prescan looks for the charset in the first 1024 bytes.
const PRESCAN = 1024;
const META_CHARSET = /<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i;
// The WHATWG Encoding Standard decodes all of these labels with its GB18030 decoder.
const GB_LABELS = new Set(['gb2312', 'gbk', 'x-gbk', 'cp936', 'gb18030']);

export interface DecodedText {
  text: string;
  /** The encoding the text was decoded from: utf-8, utf-8-bom, utf-16le, utf-16be, gb18030, … */
  encoding: string;
}

/** The text of an HTML (or XML) spreadsheet, or undefined when no candidate decodes it cleanly. */
export function decodeMarkup(bytes: Buffer): DecodedText | undefined {
  const bom = BOMS.find((b) => b.bytes.every((x, i) => bytes[i] === x));
  if (bom) {
    const text = decodeStrictly(bytes.subarray(bom.bytes.length), bom.encoding);
    return text === undefined ? undefined : { text, encoding: bom.name };
  }
  const candidates = [...new Set([declaredCharset(bytes), 'utf-8', 'gb18030'].filter((e) => e !== undefined))];
  for (const encoding of candidates) {
    const text = decodeStrictly(bytes, encoding);
    if (text !== undefined) return { text, encoding };
  }
  return undefined;
}

function declaredCharset(bytes: Buffer): string | undefined {
  const label = META_CHARSET.exec(bytes.subarray(0, PRESCAN).toString('latin1'))?.[1]?.toLowerCase();
  if (label === undefined) return undefined;
  if (GB_LABELS.has(label)) return 'gb18030';
  if (label === 'utf8' || label === 'utf-8') return 'utf-8';
  return iconv.encodingExists(label) ? label : undefined;
}

function decodeStrictly(bytes: Buffer, encoding: string): string | undefined {
  if (encoding === 'utf-8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return undefined;
    }
  }
  if (!iconv.encodingExists(encoding)) return undefined;
  const text = iconv.decode(bytes, encoding, { stripBOM: false });
  return text.includes('\ufffd') ? undefined : text;
}

// Exporters write characters their charset lacks (rare name characters outside GBK) as numeric
// references, which SheetJS leaves undecoded; markup characters stay escaped for SheetJS to decode.
const NUMERIC_REFERENCE = /&#(?:[xX]([0-9a-fA-F]{1,6})|(\d{1,7}));/g;
const MARKUP_ESCAPES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/** Replaces `&#20013;` and `&#x4E2D;` with the characters they name. */
export function decodeNumericReferences(html: string): string {
  return html.replace(NUMERIC_REFERENCE, (reference, hex: string | undefined, decimal: string | undefined) => {
    const codePoint = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
    if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return reference;
    const character = String.fromCodePoint(codePoint);
    return MARKUP_ESCAPES[character] ?? character;
  });
}
