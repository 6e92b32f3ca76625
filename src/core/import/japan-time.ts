/** Moved to src/core/util/japan-time.ts (one Japan-time formatter for the whole project). */
export { isoJapan, longJapan, dateJapan } from '../util/japan-time.js';
