/** The board API: list, create (seeded), read, rename, delete. */
import express, { Router } from 'express'
import { parseCreateBoard, parseRenameBoard, type BoardMeta } from '../../../shared/api'
import { isBoardId } from '../../../shared/boardId'
import { newBoardId } from '../boards/ids'
import { FIRST_PAGE_ID, seedBoardSnapshot } from '../boards/seedBoard'
import type { TemplateCatalog } from '../templates/loadTemplates'
import { instantiateTemplate } from '../../../shared/templates'
import type { Storage } from '../storage/Storage'
import { notFound, sendError } from './errors'

/** What the board routes need besides storage. */
export interface BoardsRoutesDeps {
  storage: Storage
  /** The templates a board can be created from. */
  templates: TemplateCatalog
  /** Disconnects a deleted board's clients and drops its room. */
  closeBoard(boardId: string): void
  now?: () => number
}

/** Routes under /api/boards. */
export function boardsRoutes({ storage, templates, closeBoard, now = Date.now }: BoardsRoutesDeps): Router {
  const router = Router()
  // Only on the routes with a body, so other requests (image uploads) pass through untouched.
  const json = express.json({ limit: '16kb' })

  router.get('/', async (_req, res) => {
    res.json(await storage.listBoards())
  })

  router.post('/', json, async (req, res) => {
    const parsed = parseCreateBoard(req.body, templates.ids())
    if (!parsed.ok) return sendError(res, parsed.error)
    const { title, language, template: templateId } = parsed.value
    const time = now()
    const board: BoardMeta = { id: newBoardId(), title, language, createdAt: time, updatedAt: time }
    const template = templateId === undefined ? undefined : templates.get(templateId)
    const content = template
      ? instantiateTemplate(template.definition, template.texts[language], language, { x: 0, y: 0 }, { pageId: FIRST_PAGE_ID })
      : []
    await storage.createBoard(board, seedBoardSnapshot(language, content))
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
