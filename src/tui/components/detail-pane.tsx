import { Box, Text } from 'ink';
import type { MemberDetail } from '../../core/index.js';
import { localTime, lockText as sharedLockText, statusWithStep } from '../../staff-text/format.js';
import type { Translate } from '../i18n.js';

function Row({ label, value, color }: { label: string; value: string; color?: string }) {
  return (
    <Text wrap="truncate-end">
      <Text dimColor>{label}: </Text>
      <Text color={color}>{value}</Text>
    </Text>
  );
}

/** The lock state in the words `kosmo member show` uses too (src/staff-text). */
export function lockText(d: MemberDetail, tr: Translate): string {
  return sharedLockText(tr.lang, d.lock);
}

/** Status, lock state, devices, last login and accepted terms version of one member. */
export function DetailPane({ detail, tr, maxDevices }: { detail: MemberDetail; tr: Translate; maxDevices: number }) {
  const d = detail;
  const card = [d.cardSymbol, d.cardNumber, d.cardBranch].filter(Boolean).join('-') || '-';
  const shown = d.devices.slice(0, Math.max(1, maxDevices));
  const more = d.devices.length - shown.length;
  return (
    <Box flexDirection="column">
      <Row label={tr('tui.field.userId')} value={d.userId} />
      <Row label={tr('tui.field.name')} value={`${d.name} (${d.kana})`} />
      <Row label={tr('tui.field.birthDate')} value={d.birthDate} />
      <Row label={tr('tui.field.card')} value={card} />
      <Row label={tr('tui.field.email')} value={d.email ?? '-'} />
      <Row label={tr('tui.field.status')} value={statusWithStep(tr.lang, d)} color={d.status === 'disabled' ? 'red' : d.status === 'active' ? 'green' : 'yellow'} />
      <Row label={tr('tui.field.lock')} value={lockText(d, tr)} color={d.lock.state === 'open' ? undefined : 'red'} />
      <Row label={tr('tui.field.lastLogin')} value={localTime(d.lastLoginAt)} />
      <Row label={tr('tui.field.terms')} value={d.acceptedTermsVersion === null ? '-' : tr('detail.termsVersion', { version: d.acceptedTermsVersion })} />
      {d.status === 'provisional' ? <Row label={tr('tui.field.expires')} value={localTime(d.provisionalExpiresAt)} /> : null}
      <Row label={tr('tui.field.devices')} value={d.devices.length ? String(d.devices.length) : tr('tui.none')} />
      {shown.map((x) => (
        <Text key={`${x.kind}:${x.name}`} wrap="truncate-end">
          {'  '}
          {x.kind === 'otp' ? 'OTP' : tr('devices.passkey')}:{x.name} {tr('devices.lastUsed')} {localTime(x.lastUsedAt)}
        </Text>
      ))}
      {more > 0 ? <Text dimColor>{`  … +${more}`}</Text> : null}
    </Box>
  );
}
