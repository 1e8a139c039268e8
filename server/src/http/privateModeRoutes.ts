/**
 * Private mode's reveal: everything participants wrote into their private
 * documents moves onto the board at once, and private mode ends. The server
 * does the move (trusted), so it only moves what a participant could have put
 * on the board themselves: new shapes and bindings, never a record that
 * already exists there (a forged id), never the facilitator's lock mark.
 */
import { Router } from 'express'
import { apiError } from '../../../shared/api'
import type * as Y from 'yjs'
import { createBoardSchema } from '../../../shared/boardSchema'
import {
  FACILITATOR_LOCK,
  getRecordsMap,
  getSessionMap,
  isFacilitatorLocked,
  putRecord,
  TEMPLATE_META,
  yMapToRecord,
  type PlainRecord,
} from '../../../shared/documentLayout'
import { checkRecord, type BoardStoreSchema } from '../../../shared/validation/records'
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

let schema: BoardStoreSchema | undefined

/**
 * A private record as it may go onto the board, or undefined when it may not:
 * the same check every change to the board passes (shared/validation/records.ts),
 * without the private mark or a lock mark. A shape whose parent on the board
 * is missing or a facilitator-locked frame (no new shape may go in there) is
 * placed on the page where it would have appeared.
 */
function publicCopy(board: Y.Map<Y.Map<unknown>>, record: Record<string, unknown>): PlainRecord | undefined {
  if (typeof record.id !== 'string' || (record.typeName !== 'shape' && record.typeName !== 'binding')) return undefined
  const meta = typeof record.meta === 'object' && record.meta !== null ? { ...(record.meta as Record<string, unknown>) } : {}
  delete meta[PRIVATE_META]
  delete meta[FACILITATOR_LOCK]
  delete meta[TEMPLATE_META]
  let copy = { ...record, meta } as unknown as PlainRecord
  if (copy.typeName === 'shape') copy = { ...copy, isLocked: false, ...placeOnBoard(board, copy) }
  schema ??= createBoardSchema()
  return checkRecord(schema, copy.id, copy).ok ? copy : undefined
}

/** Where a private shape goes: its own parent if it may hold it, else the page at the same place. */
function placeOnBoard(board: Y.Map<Y.Map<unknown>>, shape: PlainRecord): { parentId: unknown; x: unknown; y: unknown } {
  let x = typeof shape.x === 'number' ? shape.x : 0
  let y = typeof shape.y === 'number' ? shape.y : 0
  let parentId = shape.parentId
  for (let step = 0; step < 100; step++) {
    const parent = typeof parentId === 'string' ? board.get(parentId) : undefined
    if (!parent) break
    const record = yMapToRecord(parent)
    if (record.typeName === 'page') return { parentId, x, y }
    if (record.typeName !== 'shape') break
    if (!isFacilitatorLocked(record) && parentId === shape.parentId) return { parentId, x: shape.x, y: shape.y }
    // Up one level: the position within the parent becomes one within its parent.
    x += typeof record.x === 'number' ? record.x : 0
    y += typeof record.y === 'number' ? record.y : 0
    parentId = record.parentId
  }
  const page = Array.from(board.values()).find((map) => map.get('typeName') === 'page')
  return { parentId: page?.get('id') ?? shape.parentId, x, y }
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
          const copy = publicCopy(board, record)
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
