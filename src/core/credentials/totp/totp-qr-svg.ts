/**
 * The otpauth URI as a QR code in SVG, rendered on the server by the `qrcode` package: the URI
 * holds the secret, so it is never sent to an external QR service.
 *
 * - Error correction 'M' (ISO/IEC 18004: ~15 % recovery), the usual choice for codes scanned
 *   off a screen; the URI is short enough that the symbol stays small.
 * - qrcode's SVG renderer emits a bare `<svg xmlns=… viewBox=…>` element (no `<?xml?>` prolog),
 *   which can be inlined in HTML and scales with CSS; the 4-module quiet zone is kept.
 */
export async function totpQrSvg(uri: string): Promise<string> {
  if (typeof uri !== 'string' || !uri.startsWith('otpauth://')) {
    throw new TypeError('totpQrSvg expects an otpauth:// URI');
  }
  // Loaded on first use: the portal starts without the QR encoder (issue 10, memory).
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
  // Defensive: should a future qrcode version add a prolog, strip it so the result stays inlinable.
  return svg.replace(/^\s*<\?xml[^>]*\?>\s*/, '').trim();
}
