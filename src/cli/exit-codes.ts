import type { ErrorKind } from '../core/index.js';

/** DESIGN.md §3: one exit code per error kind, so scripts can branch on them. */
export const EXIT = { ok: 0, unexpected: 1, invalidInput: 2, notFound: 3, conflict: 4, denied: 5 } as const;

export function exitCodeFor(kind: ErrorKind): number {
  switch (kind) {
    case 'invalid_input':
      return EXIT.invalidInput;
    case 'not_found':
      return EXIT.notFound;
    case 'conflict':
      return EXIT.conflict;
    case 'unauthenticated':
    case 'forbidden':
    case 'locked':
      return EXIT.denied;
    default:
      return EXIT.unexpected;
  }
}
