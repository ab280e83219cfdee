// What the bytes are, whatever the file is called: units rename freely (an HTML page saved as
// .xls, an xlsx renamed .xls), and SheetJS would otherwise read unknown bytes as plain text and
// return a garbage sheet instead of failing.

export type Container = 'zip' | 'ole' | 'markup' | 'unknown';

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const OLE_HEADER = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const BOM_AND_NUL = /^(?:\u00ef\u00bb\u00bf|\u00ff\u00fe|\u00fe\u00ff)|\u0000/g;

const startsWith = (bytes: Buffer, magic: readonly number[]): boolean => magic.every((b, i) => bytes[i] === b);

export function sniffContainer(bytes: Buffer): Container {
  if (startsWith(bytes, ZIP_LOCAL_HEADER)) return 'zip';
  if (startsWith(bytes, OLE_HEADER)) return 'ole';
  // Dropping NULs lets UTF-16 markup (<\0h\0t\0…) show its first character too.
  const head = bytes.subarray(0, 512).toString('latin1').replace(BOM_AND_NUL, '');
  return head.trimStart().startsWith('<') ? 'markup' : 'unknown';
}
