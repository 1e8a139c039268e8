/**
 * Express middleware in front of board creation: with an organiser code
 * configured, the request must carry it in BOARD_CREATION_CODE_HEADER.
 * 401 creation-code-required without it, 403 creation-code-wrong for another
 * code, 429 too-many-attempts (with Retry-After) once an address has tried
 * too many wrong ones. Runs before the body is read.
 */
import type { RequestHandler } from 'express'
import { apiError, BOARD_CREATION_CODE_HEADER } from '../../../shared/api'
import type { CreationGate } from '../access/creationCode'
import type { Logger } from '../log'
import { sendError } from './errors'

export function requireCreationCode(gate: CreationGate, log: Logger): RequestHandler {
  return (req, res, next) => {
    // req.ip follows X-Forwarded-For only from a proxy on loopback (createApp's 'trust proxy'), so it cannot be forged from outside.
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown'
    const check = gate.check(req.get(BOARD_CREATION_CODE_HEADER), address)
    switch (check.kind) {
      case 'allowed':
        return next()
      case 'missing':
        return sendError(
          res,
          apiError('creation-code-required', `creating boards on this server needs the organiser code: send it as ${BOARD_CREATION_CODE_HEADER}`),
        )
      case 'wrong':
        // Once per address and window: the operator sees someone trying codes, not each typo.
        if (check.blocked) log.warn('board creation: too many wrong organiser codes, refusing this address for a while', { address })
        return sendError(res, apiError('creation-code-wrong', 'this is not the organiser code of this server'))
      case 'too-many':
        res.set('Retry-After', String(Math.ceil(check.retryAfterMs / 1000)))
        return sendError(res, apiError('too-many-attempts', 'too many wrong organiser codes from this address; try again later'))
    }
  }
}
