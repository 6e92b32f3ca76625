export * from './login-session.js';
export * from './advance-login.js';
export * from './begin-login.js';
export * from './login-status.js';
