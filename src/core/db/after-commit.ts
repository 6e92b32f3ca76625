import type { EntityManager, EventSubscriber, FlushEventArgs, MikroORM, TransactionEventArgs } from '@mikro-orm/core';

type Tx = object;

/**
 * Holds what a flush produced until the data is visible to other connections, then hands it to
 * `deliver`: at once for a flush outside a transaction, else when the transaction that flushed it
 * commits. A savepoint's release passes its items to the enclosing transaction (it is no commit
 * yet); a rollback drops them. `collect` (called from afterFlush) returns the items of one flush.
 * Registered on the root event manager: plain forks share it, transaction forks copy it.
 */
export function deliverAfterCommit<T>(orm: MikroORM, collect: (args: FlushEventArgs) => T[], deliver: (items: T[]) => void): void {
  /** Items flushed inside a transaction (or savepoint) that has not committed yet. */
  const pending = new WeakMap<Tx, T[]>();
  /** A savepoint's enclosing transaction, learnt when the savepoint starts. */
  const parentOf = new WeakMap<Tx, Tx>();
  /** The context a transaction is being started in (beforeTransactionStart → afterTransactionStart). */
  const startingIn = new WeakMap<object, Tx | undefined>();
  const hold = (tx: Tx, items: T[]) => pending.set(tx, [...(pending.get(tx) ?? []), ...items]);
  const subscriber: EventSubscriber = {
    afterFlush(args: FlushEventArgs) {
      const items = collect(args);
      if (items.length === 0) return;
      const em: EntityManager = args.em;
      const tx = em.isInTransaction() ? (em.getTransactionContext() as Tx | undefined) : undefined;
      if (tx) hold(tx, items);
      else deliver(items);
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
      if (!transaction) return;
      const items = pending.get(transaction);
      pending.delete(transaction);
      if (!items) return;
      const outer = transaction.savepointName ? parentOf.get(transaction) : undefined;
      if (outer) hold(outer, items);
      else deliver(items);
    },
    afterTransactionRollback({ transaction }: TransactionEventArgs) {
      if (transaction) pending.delete(transaction);
    },
  };
  orm.em.getEventManager().registerSubscriber(subscriber);
}
