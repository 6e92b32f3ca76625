export * from './oidc-policy.js';
export * from './oidc-keys.js';
export * from './oidc-clients.js';
export * from './oidc-subject.js';
export * from './oidc-storage.js';
export * from './oidc-audit.js';
