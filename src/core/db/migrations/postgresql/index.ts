import { Migration20261124180427_initial } from './Migration20261124180427_initial.js';
import { Migration20261130002440_throttle_challenge } from './Migration20261130002440_throttle_challenge.js';
import { Migration20261130100001_member_security } from './Migration20261130100001_member_security.js';
import { Migration20261130110001_oidc } from './Migration20261130110001_oidc.js';

/** Applied in order; a new migration is appended here (scripts/make-migration.mjs writes the file). */
export const postgresqlMigrations = [
  { name: 'Migration20261124180427_initial', class: Migration20261124180427_initial },
  { name: 'Migration20261130002440_throttle_challenge', class: Migration20261130002440_throttle_challenge },
  { name: 'Migration20261130100001_member_security', class: Migration20261130100001_member_security },
  { name: 'Migration20261130110001_oidc', class: Migration20261130110001_oidc },
];
