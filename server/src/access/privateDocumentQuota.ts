/**
 * Bounds the number of private documents (private mode, shared/privateMode.ts)
 * one board may have. Each is named after a secret the browser makes up, so
 * without a bound one participant link could create documents (and rows on
 * disk) without end. A document that exists already always opens again; a new
 * one beyond the limit is refused (the sync adapter closes it with
 * 4430 too-many-private-documents).
 *
 * Counted: the owners with something stored, those loaded in memory, and
 * those admitted in the last minute (their documents may not be loaded or
 * stored yet), so a burst of new secrets cannot slip past the count together.
 */
import { parseDocName } from '../../../shared/privateMode'

/** How long an admitted owner counts before its document shows up in memory or storage. */
export const RECENT_ADMISSION_MS = 60_000

export interface PrivateDocumentQuotaDeps {
  /** Private documents per board; 0: no limit. */
  limit: number
  /** Owners of the board's stored private documents. */
  storedOwners(boardId: string): Promise<string[]>
  /** Names of every loaded document (private ones are `<boardId>~<owner>`). */
  loadedDocuments(): string[]
  now?: () => number
}

export interface PrivateDocumentQuota {
  /** Whether `owner`'s private document of `boardId` may open (counting it when new). */
  admit(boardId: string, owner: string): Promise<boolean>
}

export function createPrivateDocumentQuota({ limit, storedOwners, loadedDocuments, now = Date.now }: PrivateDocumentQuotaDeps): PrivateDocumentQuota {
  if (limit <= 0) return { admit: async () => true }
  /** Per board: owners admitted recently, with when. */
  const recent = new Map<string, Map<string, number>>()

  const recentOf = (boardId: string, time: number) => {
    const owners = recent.get(boardId)
    if (!owners) return undefined
    for (const [owner, at] of owners) if (time - at >= RECENT_ADMISSION_MS) owners.delete(owner)
    if (owners.size === 0) recent.delete(boardId)
    return owners.size ? owners : undefined
  }

  return {
    async admit(boardId, owner) {
      const known = new Set(await storedOwners(boardId))
      for (const name of loadedDocuments()) {
        const parsed = parseDocName(name)
        if (parsed.boardId === boardId && parsed.owner) known.add(parsed.owner)
      }
      // After the await: what other admissions added meanwhile is counted too.
      const time = now()
      for (const recentOwner of recentOf(boardId, time)?.keys() ?? []) known.add(recentOwner)
      if (!known.has(owner) && known.size >= limit) return false
      let owners = recent.get(boardId)
      if (!owners) recent.set(boardId, (owners = new Map()))
      owners.set(owner, time)
      return true
    },
  }
}
