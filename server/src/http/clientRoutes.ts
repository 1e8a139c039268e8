/**
 * Serves the built web client (dist/client) and its single-page routes. The
 * board page and the home page are the same index.html; the client routes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Router, type Response } from 'express'
import expressStaticGzip from 'express-static-gzip'

/** Routes for the web client; a helpful message when it has not been built. */
export function clientRoutes(clientDir: string): Router {
  const router = Router()
  const indexHtml = path.join(clientDir, 'index.html')
  // The build writes a brotli and a gzip copy beside each text file (vite.config.ts, precompressPlugin);
  // a browser that accepts one gets it (the 2 MB board bundle in about a quarter of the bytes), with
  // nothing compressed at run time. Hashed build files can be cached forever; index.html must not be,
  // or a deploy would not be seen.
  const staticFiles = expressStaticGzip(clientDir, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: false,
    serveStatic: {
      index: false,
      setHeaders: (res, file) => {
        if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable')
      },
    },
  })
  router.use((req, res, next) => {
    // express-static-gzip answers a path it cannot decode with its own 400; no build file has such a
    // name, so pass it on to the routes below (a /b/ link with broken encoding is the client's to explain).
    try {
      decodeURIComponent(req.path)
    } catch {
      return next()
    }
    return staticFiles(req, res, next)
  })
  const sendShell = (res: Response) => {
    if (!fs.existsSync(indexHtml)) {
      res.status(503).type('text/plain').send('The web client has not been built yet. Run `npm run build`, then restart the server.\n')
      return
    }
    res.setHeader('Cache-Control', 'no-cache')
    res.sendFile(indexHtml)
  }
  router.get('/', (_req, res) => sendShell(res))
  // Mounted by prefix rather than as a `/b/{*splat}` route: the client decides what a board link
  // means, even one whose percent-encoding the router could not decode (`/b/%ZZ`).
  router.use('/b/', (req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? sendShell(res) : next()))
  return router
}
