/**
 * The core's public API: the only module the front ends (src/portal, src/cli, src/tui) and the
 * staff text import (DESIGN.md §2; `npm run lint` enforces it). Each use case takes the core
 * context, says who acts, and returns plain data; the ORM, entities and store stay inside.
 * Heavy libraries (WebAuthn, mail, QR, the password list) are loaded by the use cases that need
 * them, when first called, so importing this index stays cheap.
 */
export * from './errors.js';
export * from './actor.js';
export * from './config.js';
export * from './context.js';
export * from './trust-proxy.js';
export * from './util/japan-time.js';
export { migrate, pendingMigrations } from './migrations.js';
export * from './db/database-reachable.js';
export type { SecondFactorMethod, MemberStatus } from './db/entities/index.js';

export { memberIdOf } from './accounts/find-member.js';
export type { MemberView } from './accounts/member-view.js';
export * from './accounts/issue-member.js';
export { showMember, type MemberDetail, type DeviceView } from './accounts/member-detail.js';
export * from './accounts/reissue-password.js';
export * from './accounts/rename-member.js';
export * from './accounts/search-members.js';
export * from './accounts/set-member-status.js';
export * from './accounts/unlock-member.js';
export { USER_ID_MAX, USER_ID_MIN, normalizeUserId } from './accounts/user-id.js';

export * from './audit/export-audit.js';
export * from './audit/observe-audit.js';
export { queryAudit, type AuditQuery, type AuditView } from './audit/query-audit.js';

export { canContinueLogin } from './auth/authenticate-password.js';
export type { LoginStep, LoginProgress } from './auth/login-step.js';
export * from './auth/reauthenticate-password.js';

export * from './backup/backup-database.js';
export * from './backup/restore-database.js';

export { PASSKEY_PARAMS, browserScriptPath, relyingPartyOrNull, type RelyingParty, type StoredPasskey } from './credentials/passkey/index.js';
export * from './credentials/remove-devices.js';

export { describeUserAgent, type UserAgentView } from './devices/describe-user-agent.js';
export type { LoginClient } from './devices/login-client.js';

export * from './factors/begin-totp-setup.js';
export * from './factors/confirm-totp-setup.js';
export * from './factors/delete-factor.js';
export * from './factors/factor-counts.js';
export * from './factors/list-factors.js';
export * from './factors/passkey-login.js';
export * from './factors/passkey-registration.js';
export * from './factors/save-passkey.js';
export * from './factors/verify-totp-login.js';

export * from './login/index.js';
export * from './passkey-first/passkey-first-login.js';

export * from './import/credentials-csv.js';
export * from './import/import-members.js';
export type { BadRow } from './import/parse-member-csv.js';
export * from './import/write-private-file.js';
export * from './letters/render-notices.js';

export * from './mail/index.js';
export * from './mail/list-mail.js';
export * from './mail/mail-queue-depth.js';
export * from './mail/mail-worker.js';

export * from './onboarding/choose-user-id.js';
export * from './onboarding/confirm-email.js';
export * from './onboarding/set-initial-password.js';
export * from './onboarding/verify-birth-date.js';

export * from './profile/change-email.js';
export * from './profile/change-password.js';
export * from './profile/change-user-id.js';

export * from './recovery-codes/create-recovery-codes.js';
export * from './recovery-codes/recovery-code-status.js';
export * from './recovery-codes/verify-recovery-code-login.js';
export { RECOVERY_CODE_COUNT } from './recovery-codes/recovery-code-format.js';

export * from './recovery/open-reset-link.js';
export * from './recovery/request-password-reset.js';
export * from './recovery/request-user-id-reminder.js';

export * from './sessions/create-session.js';
export * from './sessions/destroy-session.js';
export * from './sessions/end-member-session.js';
export * from './sessions/list-member-sessions.js';
export * from './sessions/load-session.js';
export * from './sessions/purge-expired-sessions.js';
export * from './sessions/rotate-session.js';
export * from './sessions/save-session-state.js';
export type { SessionState } from './sessions/session-state.js';
export type { SessionView } from './sessions/session-row.js';
export * from './sessions/webauthn-challenge.js';

export * from './society/add-society.js';
export * from './society/create-society.js';
export * from './society/find-society.js';
export type { SocietyView } from './society/society-view.js';
export { PRINTABLE_ASCII } from './society/settings.js';
export * from './society/update-society-setting.js';
export * from './society/portal-url.js';

export * from './terms/accept-terms.js';
export * from './terms/list-terms.js';
export * from './terms/publish-terms.js';
export * from './terms/show-current-terms.js';

export * from './oidc/index.js';
