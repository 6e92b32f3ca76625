/**
 * One JSON object per line on stderr (ASVS 16.2.1: time, level, request id). Callers pass only
 * safe facts: never a password, token, session id, cookie or query string (ASVS 16.2.5).
 */
export interface PortalLogger {
  info(entry: Record<string, unknown>): void;
  error(entry: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = (l) => process.stderr.write(l)): PortalLogger {
  const emit = (level: string, entry: Record<string, unknown>) => write(JSON.stringify({ time: new Date().toISOString(), level, ...entry }) + '\n');
  return { info: (e) => emit('info', e), error: (e) => emit('error', e) };
}

export const silentLogger: PortalLogger = { info: () => undefined, error: () => undefined };
