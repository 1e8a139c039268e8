/**
 * Security headers on every response: pages, API answers, build files and
 * images alike (the image route narrows the policy further for its own answers).
 *
 * - `Content-Security-Policy`: the app talks only to its own origin (fonts,
 *   icons, translations and images are self-hosted), so a stray request
 *   elsewhere (a library's analytics call, an injected script) is blocked.
 *   tldraw sets inline styles (`'unsafe-inline'` for styles only) and makes
 *   `blob:`/`data:` URLs for images and exports; the service worker is a
 *   same-origin script. `connect-src` names ws/wss on our own host besides
 *   `'self'`, for browsers that do not count websockets as `'self'`.
 * - `frame-ancestors` (FRAME_ANCESTORS, default `'self'`) and the matching
 *   `X-Frame-Options`, so another site cannot show a board in a frame and
 *   trick people into clicking on it. Hosts that embed boards list their origins.
 * - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer` (board
 *   keys travel in the fragment, which is never sent, but a board id in a
 *   path is nobody else's business), `Cross-Origin-Opener-Policy: same-origin`
 *   and `Cross-Origin-Resource-Policy: same-origin`.
 * - `Strict-Transport-Security` only when PUBLIC_URL is https: HSTS is the
 *   TLS-terminating proxy's business (README), this is a second line.
 */
import type { RequestHandler } from 'express'

export interface SecurityHeaderOptions {
  /** CSP frame-ancestors sources, validated by config.ts: 'self', 'none' or origins. */
  frameAncestors: readonly string[]
  /** PUBLIC_URL: its host names the websocket origin; https turns HSTS on. */
  publicUrl: string | null
}

/** One year, the usual HSTS lifetime; no includeSubDomains (the operator's other hosts are not ours to decide). */
export const HSTS_VALUE = 'max-age=31536000'

/** A Host header we are willing to repeat in a header: a name or IP literal and a port, nothing else. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/** The page policy; `host` (when known) adds websockets to it explicitly. */
export function contentSecurityPolicy(frameAncestors: readonly string[], host: string | undefined): string {
  const sockets = host ? ` ws://${host} wss://${host}` : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets} data: blob:`,
    "worker-src 'self' blob:",
    // A pasted YouTube or Figma link would otherwise make every participant's browser call that site.
    "frame-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors.join(' ')}`,
  ].join('; ')
}

/** X-Frame-Options matching frame-ancestors; undefined when it cannot say it (other origins allowed: CSP alone speaks). */
export function frameOptions(frameAncestors: readonly string[]): string | undefined {
  if (frameAncestors.length === 1 && frameAncestors[0] === "'none'") return 'DENY'
  if (frameAncestors.length === 1 && frameAncestors[0] === "'self'") return 'SAMEORIGIN'
  return undefined
}

export function securityHeaders({ frameAncestors, publicUrl }: SecurityHeaderOptions): RequestHandler {
  const publicHost = publicUrl ? new URL(publicUrl).host : undefined
  const fixedPolicy = publicHost ? contentSecurityPolicy(frameAncestors, publicHost) : undefined
  const xfo = frameOptions(frameAncestors)
  const hsts = publicUrl?.startsWith('https:') ?? false
  return (req, res, next) => {
    const host = req.headers.host
    res.setHeader('Content-Security-Policy', fixedPolicy ?? contentSecurityPolicy(frameAncestors, host && HOST.test(host) ? host : undefined))
    if (xfo) res.setHeader('X-Frame-Options', xfo)
    res.setHeader('X-Content-Type-Options', 'nosniff')
    res.setHeader('Referrer-Policy', 'no-referrer')
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
    if (hsts) res.setHeader('Strict-Transport-Security', HSTS_VALUE)
    next()
  }
}
