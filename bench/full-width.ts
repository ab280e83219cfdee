// Full-width forms (U+FF01–FF5E) of printable ASCII, as a Chinese IME in full-width mode types them.
export const fullWidth = (s: string): string => s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
