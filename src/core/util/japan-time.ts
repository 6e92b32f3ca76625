/**
 * The project's Japan-time formatting: dates people read (letters, mails, the portal) are Japan
 * time (Asia/Tokyo, no daylight saving: UTC+9 all year). Stored times stay UTC.
 */
const JST_MS = 9 * 3600_000;

function parts(d: Date) {
  const j = new Date(d.getTime() + JST_MS);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return { y: j.getUTCFullYear(), mo: j.getUTCMonth() + 1, d: j.getUTCDate(), h: p2(j.getUTCHours()), mi: p2(j.getUTCMinutes()), s: p2(j.getUTCSeconds()), wd: j.getUTCDay(), p2 };
}

/** `2026-06-30T14:05:00+09:00` */
export function isoJapan(d: Date): string {
  const { y, mo, d: day, h, mi, s, p2 } = parts(d);
  return `${y}-${p2(mo)}-${p2(day)}T${h}:${mi}:${s}+09:00`;
}

/** `2026年6月30日(火) 14:05` */
export function longJapan(d: Date): string {
  const { y, mo, d: day, h, mi, wd } = parts(d);
  return `${y}年${mo}月${day}日(${'日月火水木金土'[wd]}) ${h}:${mi}`;
}

/** `2026/06/30` — the date alone, as the portal shows it (e.g. when terms were published). */
export function dateJapan(d: Date): string {
  const { y, mo, d: day, p2 } = parts(d);
  return `${y}/${p2(mo)}/${p2(day)}`;
}

/** `2026/04/01 09:05` — date and time as the portal shows them (login methods' dates). */
export function dateTimeJapan(d: Date | null | undefined): string {
  if (!d) return '';
  const { h, mi } = parts(d);
  return `${dateJapan(d)} ${h}:${mi}`;
}

/** `2026年4月1日` — a date in words (mails and letters). */
export function longDateJapan(d: Date): string {
  const { y, mo, d: day } = parts(d);
  return `${y}年${mo}月${day}日`;
}

/** `2026年4月1日 9時05分` — when something happened, in a mail. */
export function mailTimeJapan(d: Date): string {
  const { h, mi } = parts(d);
  return `${longDateJapan(d)} ${Number(h)}時${mi}分`;
}

/**
 * Staff terminals: `2026/4/1 9:05:00` in Japan time, or in the zone `TZ` names (a society's staff
 * abroad may set it); '-' for none.
 */
export function staffTime(iso: string | null, timeZone = process.env.TZ || 'Asia/Tokyo'): string {
  if (!iso) return '-';
  return new Date(iso).toLocaleString('ja-JP', { timeZone, hour12: false });
}
