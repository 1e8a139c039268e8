/**
 * A write guard for one root map of the board document that only some roles
 * may change: the session state (facilitators), the glossary (interpreters
 * and facilitators). Like the board
 * guard, it keeps the last accepted content and writes it back over anyone
 * else's change. Entries are JSON values, one per key.
 */
import type * as Y from 'yjs'
import { hasRole, type Role } from '../../../shared/access'
import { jsonEqual } from '../../../shared/documentLayout'
import type { WriteGuard } from '../room/WriteGuard'

/** True when `type` is `root` or inside it. */
function within(type: Y.AbstractType<unknown>, root: Y.AbstractType<unknown>): boolean {
  let current: Y.AbstractType<unknown> | null = type
  while (current) {
    if (current === root) return true
    current = (current._item?.parent as Y.AbstractType<unknown> | undefined) ?? null
  }
  return false
}

export function createProtectedMapGuard(doc: Y.Doc, key: string, minimumRole: Role): WriteGuard {
  const map = doc.getMap<unknown>(key)
  let accepted = map.toJSON() as Record<string, unknown>
  let restore = false
  return {
    observe(transaction, role) {
      const touched = Array.from(transaction.changed.keys()).some((type) => within(type as Y.AbstractType<unknown>, map as Y.AbstractType<unknown>))
      if (!touched) return
      if (role === null || hasRole(role, minimumRole)) accepted = map.toJSON() as Record<string, unknown>
      else restore = true
    },
    repair() {
      if (!restore) return false
      restore = false
      doc.transact(() => {
        for (const k of Array.from(map.keys())) if (!(k in accepted)) map.delete(k)
        for (const [k, value] of Object.entries(accepted)) if (!jsonEqual(map.get(k), value)) map.set(k, value)
      })
      return true
    },
    destroy() {
      accepted = {}
    },
  }
}

/** Several guards as one: every guard sees every transaction and repairs what it protects. */
export function combineGuards(...guards: WriteGuard[]): WriteGuard {
  return {
    observe(transaction, role) {
      for (const guard of guards) guard.observe(transaction, role)
    },
    repair() {
      let repaired = false
      for (const guard of guards) repaired = guard.repair() || repaired
      return repaired
    },
    destroy() {
      for (const guard of guards) guard.destroy()
    },
  }
}
