/**
 * Private mode's reveal: everything participants wrote into their private
 * documents moves onto the board at once, and private mode ends. The server
 * does the move (trusted), so it only moves what a participant could have put
 * on the board themselves: new shapes and bindings, never a record that
 * already exists there (a forged id), never the facilitator's lock mark.
 */
import { Router } from 'express'
import { apiError } from '../../../shared/api'
import { FACILITATOR_LOCK, getRecordsMap, getSessionMap, putRecord, yMapToRecord, type PlainRecord } from '../../../shared/documentLayout'
import { parseDocName, PRIVATE_META, PRIVATE_MODE_KEY, privateDocName } from '../../../shared/privateMode'
import type { BoardAccessControl } from '../access/boardAccess'
import type { Storage } from '../storage/Storage'
import type { VotesRoutesDeps } from './votesRoutes'
import { sendError } from './errors'
import { requireRole } from './requireRole'

export interface PrivateModeRoutesDeps {
  storage: Storage
  access: BoardAccessControl
  rooms: VotesRoutesDeps['rooms'] & { loadedDocuments(): string[] }
}

/** A private record as it may go onto the board, or undefined when it may not. */
function publicCopy(record: Record<string, unknown>): PlainRecord | undefined {
  if (typeof record.id !== 'string' || (record.typeName !== 'shape' && record.typeName !== 'binding')) return undefined
  const meta = typeof record.meta === 'object' && record.meta !== null ? { ...(record.meta as Record<string, unknown>) } : {}
  delete meta[PRIVATE_META]
  delete meta[FACILITATOR_LOCK]
  return { ...record, meta } as unknown as PlainRecord
}

export function privateModeRoutes({ storage, access, rooms }: PrivateModeRoutesDeps): Router {
  const router = Router()

  router.post('/:id/private/reveal', requireRole(access, 'facilitator'), async (req, res) => {
    const boardId = req.params.id
    const owners = new Set(await storage.privateOwners(boardId))
    for (const name of rooms.loadedDocuments()) {
      const parsed = parseDocName(name)
      if (parsed.boardId === boardId && parsed.owner) owners.add(parsed.owner)
    }
    let revealed = 0
    let people = 0
    for (const owner of owners) {
      const docName = privateDocName(boardId, owner)
      const records = (await rooms.readBoard(docName, (doc) => Array.from(getRecordsMap(doc).values(), (map) => yMapToRecord(map)))) ?? []
      if (records.length === 0) continue
      const moved: string[] = []
      // Onto the board first, then out of the private document: a crash in between leaves a copy, never a loss.
      const stored = await rooms.changeBoard(boardId, (doc) => {
        const board = getRecordsMap(doc)
        for (const record of records) {
          const copy = publicCopy(record)
          if (!copy || board.has(copy.id)) continue
          putRecord(board, copy)
          moved.push(copy.id)
        }
      })
      if (!stored) return sendError(res, apiError('storage-unavailable', 'the revealed notes could not be stored, try again shortly'))
      await rooms.changeBoard(docName, (doc) => {
        const mine = getRecordsMap(doc)
        for (const record of records) mine.delete(record.id as string)
      })
      revealed += moved.length
      if (moved.length) people++
    }
    await rooms.changeBoard(boardId, (doc) => getSessionMap(doc).delete(PRIVATE_MODE_KEY))
    res.json({ revealed, people })
  })

  return router
}
