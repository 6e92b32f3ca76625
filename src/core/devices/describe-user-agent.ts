import Bowser from 'bowser';

export interface UserAgentView {
  /** e.g. `Chrome 131`, or `不明なブラウザ`. */
  browser: string;
  /** e.g. `Windows 10`, `iOS 18.1`, `Android 15`, or `不明なOS`. */
  os: string;
}

/**
 * Browser and OS of a User-Agent header, for members to recognise their own devices (session
 * list, new-device notice). Parsed by bowser (MIT, maintained), not by hand; the header is
 * untrusted input, so the result is only shown, never used for a decision.
 */
export function describeUserAgent(userAgent: string | null | undefined): UserAgentView {
  if (!userAgent) return { browser: '不明なブラウザ', os: '不明なOS' };
  const parsed = Bowser.parse(userAgent.slice(0, 512));
  const major = (v: string | undefined) => (v ? v.split('.')[0] : '');
  const browser = [parsed.browser.name, major(parsed.browser.version)].filter(Boolean).join(' ');
  const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ');
  return { browser: browser || '不明なブラウザ', os: os || '不明なOS' };
}
