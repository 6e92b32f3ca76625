import { describe, it, expect } from 'vitest';
import { buildOtpauthUri, totpQrSvg } from '../../../../src/core/credentials/totp/index.js';

const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const issuer = '大和総研健保';
const account = 'taro.yamada01';

describe('buildOtpauthUri', () => {
  const uri = buildOtpauthUri({ issuer, account, secret });

  it('parses with new URL as an otpauth totp URI', () => {
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
  });

  it('carries the issuer and account, percent-encoded as UTF-8, in the label', () => {
    const url = new URL(uri);
    expect(url.pathname).toBe(`/${encodeURIComponent(issuer)}:${account}`);
    expect(url.pathname).toContain('%E5%A4%A7%E5%92%8C'); // 大和
    const [labelIssuer, labelAccount] = decodeURIComponent(url.pathname.slice(1)).split(':');
    expect(labelIssuer).toBe(issuer);
    expect(labelAccount).toBe(account);
  });

  it('carries secret, issuer, algorithm, digits and period as parameters', () => {
    const params = new URL(uri).searchParams;
    expect(params.get('secret')).toBe(secret);
    expect(params.get('issuer')).toBe(issuer);
    expect(params.get('algorithm')).toBe('SHA1');
    expect(params.get('digits')).toBe('6');
    expect(params.get('period')).toBe('30');
  });

  it('is exactly the Key Uri Format layout', () => {
    const e = encodeURIComponent(issuer);
    expect(uri).toBe(`otpauth://totp/${e}:${account}?secret=${secret}&issuer=${e}&algorithm=SHA1&digits=6&period=30`);
  });

  it('is pure ASCII (every non-ASCII character is percent-encoded)', () => {
    expect(uri).toMatch(/^[\x21-\x7e]+$/);
  });

  it('encodes spaces as %20 (not +) and reserved characters in issuer and account', () => {
    const u = buildOtpauthUri({ issuer: 'ACME 健保 & Co', account: 'a+b@example.jp', secret });
    expect(u).toContain('/ACME%20%E5%81%A5%E4%BF%9D%20%26%20Co:a%2Bb%40example.jp?');
    expect(u).toContain('&issuer=ACME%20%E5%81%A5%E4%BF%9D%20%26%20Co&');
    expect(u).not.toContain('+');
    const url = new URL(u);
    expect(url.searchParams.get('issuer')).toBe('ACME 健保 & Co');
    expect(url.searchParams.get('secret')).toBe(secret);
  });

  it('writes the secret in canonical form when given a typed one', () => {
    const u = buildOtpauthUri({ issuer, account, secret: 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq' });
    expect(new URL(u).searchParams.get('secret')).toBe(secret);
  });

  it.each([
    ['a colon in the issuer', { issuer: 'A:B', account, secret }],
    ['a colon in the account', { issuer, account: 'a:b', secret }],
    ['an empty issuer', { issuer: '', account, secret }],
    ['an empty account', { issuer, account: ' ', secret }],
    ['a secret that is not base32', { issuer, account, secret: 'hello!' }],
  ])('throws TypeError on %s', (_name, input) => {
    expect(() => buildOtpauthUri(input)).toThrow(TypeError);
  });
});

describe('totpQrSvg', () => {
  const uri = buildOtpauthUri({ issuer, account, secret });

  it('returns an inline SVG element without an XML prolog', async () => {
    const svg = await totpQrSvg(uri);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('<?xml');
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toMatch(/viewBox="0 0 \d+ \d+"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('uses error correction M (each level gives this URI a different symbol size)', async () => {
    const QRCode = (await import('qrcode')).default;
    // + 8: qrcode's default 4-module quiet zone on each side (ISO/IEC 18004 §6.3.8).
    const sizes = Object.fromEntries((['L', 'M', 'Q', 'H'] as const).map((level) => [level, QRCode.create(uri, { errorCorrectionLevel: level }).modules.size + 8]));
    expect(new Set(Object.values(sizes)).size).toBe(4);
    const svg = await totpQrSvg(uri);
    expect(svg).toContain(`viewBox="0 0 ${sizes.M} ${sizes.M}"`);
    expect(svg).toBe((await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 })).trim());
  });

  it('differs for a different secret', async () => {
    const other = buildOtpauthUri({ issuer, account, secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    expect(await totpQrSvg(other)).not.toBe(await totpQrSvg(uri));
  });

  it('refuses anything but an otpauth URI', async () => {
    await expect(totpQrSvg('https://example.com/')).rejects.toThrow(TypeError);
  });
});
