/**
 * Express middleware: the request must carry a key (`Authorization: Bearer
 * <key>`) that opens board `:id` with at least `needed`. The role it grants is
 * left in `res.locals.role`. Answers 401 without a key, 404 for an unknown
 * board, 403 for a wrong key or a role that is not enough.
 */
import type { RequestHandler, Response } from 'express'
import { isBoardId } from '../../../shared/boardId'
import { hasRole, type Role } from '../../../shared/access'
import { apiError } from '../../../shared/api'
import type { BoardAccessControl } from '../access/boardAccess'
import { notFound, sendError } from './errors'

/** The key of a request: `Authorization: Bearer <key>`; null when absent. */
export function requestKey(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match ? match[1] : null
}

/** The role granted to the request, set by requireRole. */
export function grantedRole(res: Response): Role {
  return res.locals.role as Role
}

export function requireRole(access: BoardAccessControl, needed: Role): RequestHandler<{ id: string }> {
  return async (req, res, next) => {
    if (!isBoardId(req.params.id)) return notFound(res, 'board not found')
    const check = await access.check(req.params.id, requestKey(req.headers.authorization))
    switch (check.kind) {
      case 'unknown-board':
        return notFound(res, 'board not found')
      case 'no-key':
        return sendError(res, apiError('unauthorized', 'this board is reached through its link: send its key as Authorization: Bearer <key>'))
      case 'wrong-key':
        return sendError(res, apiError('forbidden', 'this link does not open this board (it may have been replaced by a facilitator)'))
    }
    if (!hasRole(check.role, needed)) return sendError(res, apiError('forbidden', `only a ${needed} may do this`))
    res.locals.role = check.role
    next()
  }
}
