/**
 * The room's hook for rules about WHAT a socket may change, beyond whether it
 * may write at all. For every update a writer sends, the room asks the guard
 * first (`inspect`, before anything is applied): the guard may refuse it whole,
 * or hand back a check. The room then applies the update and, inside the same
 * Yjs transaction, runs the check, which writes back whatever the author was
 * not allowed to do. So the transaction's update, the one that is stored and
 * relayed to everyone (the author too), is the net, repaired change, and every
 * copy converges on it. Board-specific rules live outside the room core
 * (server/src/access/documentRules.ts).
 */
import type * as Y from 'yjs'
import type { Role } from '../../../shared/access'
import type { RefusalReason } from '../../../shared/protocol'

/** An update as `Y.decodeUpdate` reads it. */
export type Decoded = ReturnType<typeof Y.decodeUpdate>

/** Run inside the transaction that applied the update. */
export interface AppliedCheck {
  /** Writes back what broke a rule; the reasons of what it undid (empty: nothing). */
  repair(): RefusalReason[]
}

export interface InspectOptions {
  /** The board is at its size limit: keep only deletions, undo everything else the update changes (`board-full`). */
  full?: boolean
}

export interface WriteGuard {
  /** Before `update` from a writer with `role` is applied: a reason to refuse it whole, or the check to run once it is applied. */
  inspect(update: Decoded, role: Role, options?: InspectOptions): { refused: string } | AppliedCheck
  /**
   * Removes what no rule would accept any more (stored before these rules
   * existed, or by a bug), once, when the room builds the document; runs in a
   * server transaction. `skippedUpdates`: stored updates the room left out at
   * load because Yjs could not apply them. The guard records what was left
   * out where the board's facilitators will see it.
   */
  sweep?(skippedUpdates: number): void
}
