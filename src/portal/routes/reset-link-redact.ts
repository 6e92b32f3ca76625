import type { PortalLogger } from '../logger.js';

const RESET_PATH = /^\/password\/reset\/[^/?#]+/;

/**
 * The reset link's token is in the path of its GET, and the request log writes paths: this logger
 * wrapper writes `/password/reset/[token]` instead (docs/portal.md: tokens are never logged).
 */
export function redactResetTokens(log: PortalLogger): PortalLogger {
  const scrub = (entry: Record<string, unknown>) =>
    typeof entry.path === 'string' && RESET_PATH.test(entry.path) ? { ...entry, path: entry.path.replace(RESET_PATH, '/password/reset/[token]') } : entry;
  return { info: (e) => log.info(scrub(e)), error: (e) => log.error(scrub(e)) };
}
