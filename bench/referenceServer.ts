/**
 * REFERENCE server for the benchmark: the stock `@y/websocket-server` 0.1.1
 * `setupWSConnection` behind a plain http + ws server, no persistence.
 *
 * It speaks the same URL shape as ours so the load generator is identical for
 * both: `ws://HOST:PORT/sync/<boardId>`. Two tiny HTTP endpoints mirror ours:
 *   POST /api/boards -> 201 {id}   (boards are just names here; nothing is stored)
 *   GET  /healthz    -> {ok, rooms, connections, uptimeSeconds}
 * Everything else about syncing is the stock reference implementation. Note
 * that without persistence the stock server never unloads a document: `docs`
 * keeps every room in memory after its last client leaves.
 *
 * Run: node --import tsx bench/referenceServer.ts   (env PORT=0 HOST=127.0.0.1)
 * Prints one line: `reference listening on http://<host>:<port>`.
 */
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import { WebSocketServer } from 'ws'
import { setupWSConnection, docs } from '@y/websocket-server/utils'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? 0)
const started = Date.now()

const wss = new WebSocketServer({ noServer: true })
let connections = 0

const server = http.createServer((req, res) => {
  const url = req.url ?? '/'
  if (req.method === 'POST' && url === '/api/boards') {
    req.resume()
    req.on('end', () => {
      const id = randomBytes(16).toString('base64url')
      res.writeHead(201, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ id }))
    })
    return
  }
  if (req.method === 'GET' && url === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({
        ok: true,
        rooms: (docs as Map<string, unknown>).size,
        connections,
        uptimeSeconds: Math.round((Date.now() - started) / 1000),
      }),
    )
    return
  }
  res.writeHead(404, { 'content-type': 'text/plain' })
  res.end('not found')
})

server.on('upgrade', (req, socket, head) => {
  const path = (req.url ?? '').split('?')[0] ?? ''
  const match = /^\/sync\/([A-Za-z0-9_-]{1,64})$/.exec(path)
  if (!match) {
    socket.destroy()
    return
  }
  const docName = match[1]
  wss.handleUpgrade(req, socket, head, (ws) => {
    connections++
    ws.on('close', () => connections--)
    setupWSConnection(ws, req, { docName })
  })
})

server.listen(port, host, () => {
  const addr = server.address()
  const actual = typeof addr === 'object' && addr ? addr.port : port
  process.stdout.write(`reference listening on http://${host}:${actual}\n`)
})

function shutdown(): void {
  for (const ws of wss.clients) ws.terminate()
  server.close(() => process.exit(0))
  setTimeout(() => process.exit(0), 1000).unref()
}
process.on('SIGTERM', shutdown)
process.on('SIGINT', shutdown)
