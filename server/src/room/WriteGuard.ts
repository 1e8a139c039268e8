/**
 * The room's hook for rules about WHAT a socket may change, beyond whether it
 * may write at all. The room applies every accepted update and tells the guard
 * about each transaction with the author's role; after applying a socket's
 * update it asks the guard to repair whatever that author was not allowed to
 * change. Repairs are ordinary changes made by the server, so they are stored
 * and relayed like any other, and every client (the author too) converges on
 * the repaired state. Board-specific rules live outside the room core
 * (server/src/access/boardWriteGuard.ts).
 */
import type * as Y from 'yjs'
import type { Role } from '../../../shared/access'

export interface WriteGuard {
  /**
   * Sees every transaction on the room's document once it is applied. `role`
   * is the author's, or null for the server's own changes (loading, repairs),
   * which are trusted.
   */
  observe(transaction: Y.Transaction, role: Role | null): void
  /** Undoes what the last observed untrusted transactions were not allowed to do; true if it changed anything. */
  repair(): boolean
  destroy(): void
}
