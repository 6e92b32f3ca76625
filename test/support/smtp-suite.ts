import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createMailTransport, type MailTransport } from '../../src/core/mail/index.js';
import type { CoreContext } from '../../src/core/context.js';
import { createTestCore, type TestCore } from './core.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';
import type { TestDatabase } from './databases.js';

export interface SmtpSuite {
  smtp: TestSmtpServer;
  t: TestCore;
  /** The test core with KOSMO_SMTP_URL pointing at the loopback server. */
  core: CoreContext;
  transport: MailTransport;
}

/**
 * The hooks of a mail suite: one real SMTP server on loopback per file; per test a fresh database
 * and society, the server reset (nothing received, accepting, no delay), a core whose smtpUrl points
 * at it and a transport. `ready` hands the suite to the file's own variables.
 */
export function useSmtpSuite(database: TestDatabase, ready: (s: SmtpSuite) => void | Promise<void>): void {
  let smtp: TestSmtpServer;
  let suite: SmtpSuite | null = null;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => smtp.close());
  beforeEach(async () => {
    const t = await createTestCore(database);
    smtp.received.length = 0;
    smtp.reject(null);
    smtp.setDelay(0);
    smtp.onDataStart(null);
    const core = { ...t.core, config: { ...t.core.config, smtpUrl: smtp.url } };
    suite = { smtp, t, core, transport: createMailTransport(core.config) };
    await ready(suite);
  });
  afterEach(async () => {
    suite?.transport.close();
    await suite?.t.close();
    suite = null;
  });
}
