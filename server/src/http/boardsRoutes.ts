/** The board API: list, create (seeded), read, rename, delete. */
import express, { Router } from 'express'
import { parseCreateBoard, parseRenameBoard, type BoardMeta } from '../../../shared/api'
import { isBoardId } from '../../../shared/boardId'
import { newBoardId } from '../boards/ids'
import { seedBoardSnapshot } from '../boards/seedBoard'
import type { Storage } from '../storage/Storage'
import { notFound, sendError } from './errors'

/** What the board routes need besides storage. */
export interface BoardsRoutesDeps {
  storage: Storage
  /** Disconnects a deleted board's clients and drops its room. */
  closeBoard(boardId: string): void
  now?: () => number
}

/** Routes under /api/boards. */
export function boardsRoutes({ storage, closeBoard, now = Date.now }: BoardsRoutesDeps): Router {
  const router = Router()
  // Only on the routes with a body, so other requests (image uploads) pass through untouched.
  const json = express.json({ limit: '16kb' })

  router.get('/', async (_req, res) => {
    res.json(await storage.listBoards())
  })

  router.post('/', json, async (req, res) => {
    const parsed = parseCreateBoard(req.body)
    if (!parsed.ok) return sendError(res, parsed.error)
    const time = now()
    const board: BoardMeta = { id: newBoardId(), ...parsed.value, createdAt: time, updatedAt: time }
    await storage.createBoard(board, seedBoardSnapshot(board.language))
    res.status(201).location(`/api/boards/${board.id}`).json(board)
  })

  router.get('/:id', async (req, res) => {
    const board = isBoardId(req.params.id) ? await storage.getBoard(req.params.id) : undefined
    if (!board) return notFound(res, 'board not found')
    res.json(board)
  })

  router.patch('/:id', json, async (req, res) => {
    if (!isBoardId(req.params.id)) return notFound(res, 'board not found')
    const parsed = parseRenameBoard(req.body)
    if (!parsed.ok) return sendError(res, parsed.error)
    const board = await storage.renameBoard(req.params.id, parsed.value.title, now())
    if (!board) return notFound(res, 'board not found')
    res.json(board)
  })

  router.delete('/:id', async (req, res) => {
    if (!isBoardId(req.params.id) || !(await storage.getBoard(req.params.id))) return notFound(res, 'board not found')
    // Disconnect first so no room writes to the board while it is deleted.
    closeBoard(req.params.id)
    await storage.deleteBoard(req.params.id)
    res.status(204).end()
  })

  return router
}
