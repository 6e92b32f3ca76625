/**
 * The staff message catalogue moved to src/staff-text/ (shared by the CLI and the TUI): add keys
 * to messages-ja.ts / messages-en.ts there (help text: help-*.ts, errors: errors-*.ts). This
 * re-export only keeps older imports compiling.
 */
export { t, errorText, langFromEnv, reasonText, type Lang } from '../staff-text/index.js';
