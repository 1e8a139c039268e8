/** A bare `ws` connection to the sync endpoint, for clients that do not follow the protocol. */
import { WebSocket } from 'ws'

/** How a raw connection ended: the close code and reason, and whether we closed it ourselves. */
export interface RawClose {
  code: number
  reason: string
  byUs: boolean
}

/** A raw websocket that never throws at the test (errors are folded into its close). */
export interface RawSocket {
  ws: WebSocket
  /** Resolves true once open, false if it closed or failed first. */
  opened: Promise<boolean>
  closed: Promise<RawClose>
  /** Closes from our side (code 1000) unless already closing. */
  close(): void
}

/** Opens a raw websocket to `url` (127.0.0.1 only in these tests). */
export function rawSocket(url: string): RawSocket {
  const ws = new WebSocket(url, { perMessageDeflate: false })
  let byUs = false
  ws.on('error', () => {})
  const opened = new Promise<boolean>((resolve) => {
    ws.once('open', () => resolve(true))
    ws.once('close', () => resolve(false))
  })
  const closed = new Promise<RawClose>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString(), byUs })),
  )
  return {
    ws,
    opened,
    closed,
    close() {
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) {
        byUs = true
        ws.close(1000)
      }
    },
  }
}
