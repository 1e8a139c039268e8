/** Adapts a `ws` WebSocket to the room core's RoomSocket. */
import type { WebSocket } from 'ws'
import type { RoomSocket } from '../room/RoomSocket'

/**
 * After we close, the client has this long to complete the closing handshake.
 * A client that stopped reading never will; without the limit its unsent
 * frames would stay in memory for ws' default 30 s.
 */
const CLOSE_GRACE_MS = 5_000

/** A RoomSocket backed by a ws connection. */
export class WsRoomSocket implements RoomSocket {
  constructor(private readonly ws: WebSocket) {}

  get bufferedAmount(): number {
    return this.ws.bufferedAmount
  }

  send(data: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return
    this.ws.send(data, { binary: true })
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.CLOSED) return
    this.ws.close(code, reason)
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref()
  }
}
