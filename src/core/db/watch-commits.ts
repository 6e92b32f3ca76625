import type { MikroORM } from '@mikro-orm/core';
import { deliverAfterCommit } from './after-commit.js';

/**
 * Calls `onChange` once this process has committed (through MikroORM's unit of work) a write of a
 * row whose entity `touches` accepts: after a flush outside a transaction, or after the commit of
 * the transaction that flushed it — before that, another connection may still read the old row.
 * A savepoint's release hands the watch to its enclosing transaction; a rollback drops it.
 * Writes through the store or `nativeUpdate` are not seen. Returns the function that stops watching.
 */
export function watchCommittedWrites(orm: MikroORM, touches: (entity: object) => boolean, onChange: () => void): () => void {
  let active = true;
  deliverAfterCommit(
    orm,
    ({ uow }) => (active && uow.getChangeSets().some((cs) => touches(cs.entity)) ? [true] : []),
    () => {
      if (!active) return;
      try {
        onChange();
      } catch {
        // a watcher's failure never fails the write that triggered it
      }
    },
  );
  return () => {
    active = false;
  };
}
