// Units spell the same header many ways: full-width brackets, stray spaces, 行政相对人代码_1（…）.
// Matching and alias-clash checks compare this key, never the raw text.
const SPACES = /[\s\u200b-\u200d\ufeff]+/g;
const BRACKETS: Record<string, string> = { '【': '(', '】': ')', '[': '(', ']': ')', '〔': '(', '〕': ')', '{': '(', '}': ')' };

export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(SPACES, '')
    .replace(/[【】[\]〔〕{}]/g, (c) => BRACKETS[c] ?? c)
    .replace(/[*＊:：]+$/, '')
    .toUpperCase();
}
