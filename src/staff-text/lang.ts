/** The staff's language: Japanese by default, English with KOSMO_LANG=en (or en_US.UTF-8 …). */
export type Lang = 'ja' | 'en';

export function langFromEnv(env: NodeJS.ProcessEnv = process.env): Lang {
  return (env.KOSMO_LANG ?? '').toLowerCase().startsWith('en') ? 'en' : 'ja';
}
