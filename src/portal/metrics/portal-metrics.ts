import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { type CoreContext, observeAudit, type AuditNotice, mailQueueDepth, type DeliveryResult } from '../../core/index.js';
import type { PortalLogger } from '../logger.js';
import type { RequestObserver } from '../middleware/request-metrics.js';

/**
 * The portal's Prometheus metrics (`kosmo serve --metrics-port`). Security counters come from the
 * audit log's observer (core/audit/observe-audit.ts: committed events only, and a notice carries
 * what happened, never who); mail figures from the mail worker's batches and a count at scrape
 * time; request durations from the request-metrics middleware.
 *
 * Every label value comes from a fixed set written here (or a route pattern of the router), so no
 * member identifier, user ID, IP address or token can ever become a label, and the number of
 * series stays bounded whatever clients send.
 */
export interface PortalMetrics extends RequestObserver {
  registry: Registry;
  /** The mail worker's batch results (server.ts passes it as the worker's onBatch). */
  onMailBatch(result: DeliveryResult): void;
  /** Stops observing the audit log. */
  close(): void;
}

/** Audit action → the `step` label of kosmo_login_attempts_total. */
const LOGIN_STEPS: Record<string, string> = {
  'login.password': 'password',
  'login.birth_date': 'birth_date',
  'login.otp': 'otp',
  'login.passkey': 'passkey',
  'reauth.password': 'reauth_password',
  'reauth.otp': 'reauth_otp',
  'reauth.passkey': 'reauth_passkey',
};

/** Audit action → the labels of kosmo_second_factor_failures_total. */
const SECOND_FACTORS: Record<string, { factor: string; purpose: string }> = {
  'login.otp': { factor: 'otp', purpose: 'login' },
  'login.passkey': { factor: 'passkey', purpose: 'login' },
  'reauth.otp': { factor: 'otp', purpose: 'reauth' },
  'reauth.passkey': { factor: 'passkey', purpose: 'reauth' },
};

const OUTCOMES = ['success', 'failure'] as const;

export function createPortalMetrics(core: CoreContext, log: PortalLogger): PortalMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const loginAttempts = new Counter({
    name: 'kosmo_login_attempts_total',
    help: 'Login and re-authentication steps attempted, by step and outcome (failures include locked, throttled and unknown accounts).',
    labelNames: ['step', 'outcome'] as const,
    registers,
  });
  const loginsCompleted = new Counter({ name: 'kosmo_logins_completed_total', help: 'Logins completed (every required step passed, session issued).', registers });
  const lockouts = new Counter({ name: 'kosmo_account_lockouts_total', help: 'Accounts locked after too many failures (staff unlock needed).', registers });
  const secondFactorFailures = new Counter({
    name: 'kosmo_second_factor_failures_total',
    help: 'Failed one-time password and passkey checks, by factor and purpose (login or reauth).',
    labelNames: ['factor', 'purpose'] as const,
    registers,
  });
  const resetRequests = new Counter({
    name: 'kosmo_password_reset_requests_total',
    help: 'Password reset requests; outcome success = a reset mail was queued.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const mailSent = new Counter({ name: 'kosmo_mail_sent_total', help: 'Mails handed to the transport by this process.', registers });
  const mailFailures = new Counter({
    name: 'kosmo_mail_delivery_failures_total',
    help: 'Failed mail deliveries: result retry = will be tried again, given_up = mail marked failed.',
    labelNames: ['result'] as const,
    registers,
  });
  new Gauge({
    name: 'kosmo_mail_queue_messages',
    help: 'Mails in the queue by status (pending = waiting to be sent, failed = given up), counted at scrape time.',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      try {
        const depth = await mailQueueDepth(core);
        this.set({ status: 'pending' }, depth.pending);
        this.set({ status: 'failed' }, depth.failed);
      } catch (err) {
        // No stale figure: the series disappear until the database answers again.
        this.reset();
        log.error({ msg: 'metrics: mail queue count failed', error: (err as Error)?.name });
      }
    },
  });
  const requestDuration = new Histogram({
    name: 'kosmo_http_request_duration_seconds',
    help: 'Portal request duration in seconds, by route pattern (never the raw path), method and status class.',
    labelNames: ['route', 'method', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });

  // Known series start at 0, so a rate is defined from the first scrape.
  for (const step of Object.values(LOGIN_STEPS)) for (const outcome of OUTCOMES) loginAttempts.inc({ step, outcome }, 0);
  for (const labels of Object.values(SECOND_FACTORS)) secondFactorFailures.inc(labels, 0);
  for (const outcome of OUTCOMES) resetRequests.inc({ outcome }, 0);
  for (const result of ['retry', 'given_up']) mailFailures.inc({ result }, 0);

  const onAudit = (n: AuditNotice) => {
    const step = LOGIN_STEPS[n.action];
    if (step) loginAttempts.inc({ step, outcome: n.outcome });
    const factor = SECOND_FACTORS[n.action];
    if (factor && n.outcome === 'failure') secondFactorFailures.inc(factor);
    if (n.action === 'login.success') loginsCompleted.inc();
    else if (n.action === 'member.locked') lockouts.inc();
    else if (n.action === 'recovery.password_request') resetRequests.inc({ outcome: n.outcome });
  };
  const stopObserving = observeAudit(core, onAudit);

  return {
    registry,
    observeRequest(route, method, status, seconds) {
      const statusClass = status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
      requestDuration.observe({ route, method, status_class: statusClass }, seconds);
    },
    onMailBatch(r) {
      if (r.sent) mailSent.inc(r.sent);
      if (r.retried) mailFailures.inc({ result: 'retry' }, r.retried);
      if (r.failed) mailFailures.inc({ result: 'given_up' }, r.failed);
    },
    close: stopObserving,
  };
}
