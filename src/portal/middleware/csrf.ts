import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'shift_jis';

/**
 * Decodes a member file as staff export it: UTF-8 with or without a byte-order mark, or Shift_JIS
 * (what Excel and Japanese office software write by default). Bytes that are valid UTF-8 are read
 * as UTF-8; anything else is decoded as Windows-31J (cp932, the Shift_JIS superset Windows uses,
 * which also covers NEC and IBM extension characters such as ① and 髙).
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'cp932'), encoding: 'shift_jis' };
  }
}
