import type { EventSubscriber, FlushEventArgs, MikroORM, TransactionEventArgs } from '@mikro-orm/core';

type Tx = object;

/**
 * Calls `onChange` once this process has committed (through MikroORM's unit of work) a write of a
 * row whose entity `touches` accepts: after a flush outside a transaction, or after the commit of
 * the transaction that flushed it — before that, another connection may still read the old row.
 * A savepoint's release hands the watch to its enclosing transaction; a rollback drops it.
 * Writes through the store or `nativeUpdate` are not seen. Returns the function that stops watching.
 */
export function watchCommittedWrites(orm: MikroORM, touches: (entity: object) => boolean, onChange: () => void): () => void {
  const open = new WeakSet<Tx>();
  const parentOf = new WeakMap<Tx, Tx>();
  const startingIn = new WeakMap<object, Tx | undefined>();
  let active = true;
  const fire = () => {
    if (!active) return;
    try {
      onChange();
    } catch {
      // a watcher's failure never fails the write that triggered it
    }
  };
  const subscriber: EventSubscriber = {
    afterFlush({ em, uow }: FlushEventArgs) {
      if (!active || !uow.getChangeSets().some((cs) => touches(cs.entity))) return;
      const tx = em.isInTransaction() ? (em.getTransactionContext() as Tx | undefined) : undefined;
      if (tx) open.add(tx);
      else fire();
    },
    beforeTransactionStart({ em, transaction }: TransactionEventArgs) {
      startingIn.set(em, transaction);
    },
    afterTransactionStart({ em, transaction }: TransactionEventArgs) {
      const outer = startingIn.get(em);
      startingIn.delete(em);
      if (transaction && outer) parentOf.set(transaction, outer);
    },
    afterTransactionCommit({ transaction }: TransactionEventArgs) {
      if (!transaction || !open.has(transaction)) return;
      open.delete(transaction);
      const outer = transaction.savepointName ? parentOf.get(transaction) : undefined;
      if (outer) open.add(outer);
      else fire();
    },
    afterTransactionRollback({ transaction }: TransactionEventArgs) {
      if (transaction) open.delete(transaction);
    },
  };
  // Registered on the root event manager: plain forks share it, transaction forks copy it.
  orm.em.getEventManager().registerSubscriber(subscriber);
  return () => {
    active = false;
  };
}
