/**
 * The board API: create (seeded, answering with the keys of its links), read,
 * rename, delete, replace a link. No listing: a board is reached only through
 * one of its links (the home page lists the boards this browser knows).
 * Creating may need the organiser code (BOARD_CREATION_CODE); nothing else does.
 */
import express, { Router, type RequestHandler, type Response } from 'express'
import { isRole, shareableRoles, type BoardKeys, type Role } from '../../../shared/access'
import { apiError, parseCreateBoard, parseRenameBoard, type BoardAccess, type BoardMeta } from '../../../shared/api'
import { newBoardKeys, type BoardAccessControl } from '../access/boardAccess'
import type { CreationGate } from '../access/creationCode'
import { createRateLimiter, requestAddress, retryAfterSeconds, type RateLimiter } from '../access/rateLimit'
import { newBoardId } from '../boards/ids'
import { FIRST_PAGE_ID, seedBoardSnapshot } from '../boards/seedBoard'
import type { TemplateCatalog } from '../templates/loadTemplates'
import { instantiateTemplate } from '../../../shared/templates'
import type { Logger } from '../log'
import type { Storage } from '../storage/Storage'
import { notFound, sendError } from './errors'
import { requireCreationCode } from './requireCreationCode'
import { grantedRole, requireRole } from './requireRole'

/** What the board routes need besides storage. */
export interface BoardsRoutesDeps {
  storage: Storage
  access: BoardAccessControl
  /** The templates a board can be created from. */
  templates: TemplateCatalog
  /** Whether creating a board needs the organiser code. */
  creation: CreationGate
  /** Boards per address per hour (BOARDS_PER_HOUR_PER_ADDRESS); counts boards actually created. */
  creationRate?: RateLimiter
  log: Logger
  /** Disconnects a deleted board's clients and drops its room. */
  closeBoard(boardId: string): void
  /** Disconnects the sockets that came in with a replaced key. */
  revokeKey(boardId: string, key: string): void
  now?: () => number
}

/** The keys a holder of `role` may see. */
function visibleKeys(keys: Record<Role, string>, role: Role): BoardKeys {
  return Object.fromEntries(shareableRoles(role).map((r) => [r, keys[r]]))
}

/** Routes under /api/boards. */
export function boardsRoutes({
  storage,
  access,
  templates,
  creation,
  creationRate = createRateLimiter({ limit: 0, windowMs: 1 }),
  log,
  closeBoard,
  revokeKey,
  now = Date.now,
}: BoardsRoutesDeps): Router {
  const router = Router()
  // Only on the routes with a body, so other requests (image uploads) pass through untouched.
  const json = express.json({ limit: '16kb' })

  /** The board as the request's role sees it. */
  async function boardAccess(id: string, role: Role): Promise<BoardAccess | undefined> {
    const [board, keys] = await Promise.all([storage.getBoard(id), storage.getBoardKeys(id)])
    return board && keys ? { board, role, keys: visibleKeys(keys, role) } : undefined
  }

  const tooManyBoards = (res: Response, retryAfterMs: number) => {
    res.set('Retry-After', retryAfterSeconds(retryAfterMs))
    sendError(res, apiError('too-many-boards', 'this address has created as many boards as it may this hour; try again later'))
  }
  // An address that used up its boards for the hour is refused before its body is read.
  const creationRateOpen: RequestHandler = (req, res, next) => {
    const check = creationRate.peek(requestAddress(req))
    return check.ok ? next() : tooManyBoards(res, check.retryAfterMs)
  }

  // The code is checked before the body is read: a refused request costs no parsing.
  router.post('/', requireCreationCode(creation, log), creationRateOpen, json, async (req, res) => {
    const parsed = parseCreateBoard(req.body, templates.ids())
    if (!parsed.ok) return sendError(res, parsed.error)
    // Only a board that will be created counts (a typo in the form costs nothing).
    const counted = creationRate.take(requestAddress(req))
    if (!counted.ok) {
      log.warn('board creation: address reached its hourly limit', { address: requestAddress(req) })
      return tooManyBoards(res, counted.retryAfterMs)
    }
    const { title, language, template: templateId } = parsed.value
    const time = now()
    const board: BoardMeta = { id: newBoardId(), title, language, createdAt: time, updatedAt: time }
    const template = templateId === undefined ? undefined : templates.get(templateId)
    const content = template
      ? instantiateTemplate(template.definition, template.texts[language], language, { x: 0, y: 0 }, { pageId: FIRST_PAGE_ID })
      : []
    const keys = newBoardKeys()
    await storage.createBoard(board, seedBoardSnapshot(language, content), keys)
    const created: BoardAccess = { board, role: 'facilitator', keys }
    res.status(201).location(`/api/boards/${board.id}`).json(created)
  })

  router.get('/:id', requireRole(access, 'viewer'), async (req, res) => {
    const found = await boardAccess(req.params.id, grantedRole(res))
    if (!found) return notFound(res, 'board not found')
    res.set('Cache-Control', 'no-store').json(found)
  })

  router.patch('/:id', requireRole(access, 'facilitator'), json, async (req, res) => {
    const parsed = parseRenameBoard(req.body)
    if (!parsed.ok) return sendError(res, parsed.error)
    const board = await storage.renameBoard(req.params.id, parsed.value.title, now())
    if (!board) return notFound(res, 'board not found')
    res.json(board)
  })

  router.delete('/:id', requireRole(access, 'facilitator'), async (req, res) => {
    // Disconnect first so no room writes to the board while it is deleted.
    closeBoard(req.params.id)
    await storage.deleteBoard(req.params.id)
    res.status(204).end()
  })

  // Replaces one role's link: whoever holds the old one is cut off and cannot come back with it.
  router.post('/:id/keys/:role', requireRole(access, 'facilitator'), async (req, res) => {
    const { role } = req.params as unknown as { role: string }
    if (!isRole(role)) return sendError(res, apiError('invalid-field', 'role must be facilitator, participant or viewer', 'role'))
    const rotated = await access.rotate(req.params.id, role, now())
    if (!rotated) return notFound(res, 'board not found')
    revokeKey(req.params.id, rotated.oldKey)
    const found = await boardAccess(req.params.id, 'facilitator')
    if (!found) return notFound(res, 'board not found')
    res.json(found)
  })

  return router
}
