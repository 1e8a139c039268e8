/**
 * The only thing the room core knows about a connection. The ws adapter (or a
 * test double) implements it; the room never sees HTTP or the socket library.
 */

/** A connected client as the room sees it. */
export interface RoomSocket {
  /** Queues one binary frame for the client. */
  send(data: Uint8Array): void
  /** Closes the connection with one of the named codes from shared/protocol. */
  close(code: number, reason: string): void
  /** Bytes queued for the client but not yet written to the network. */
  readonly bufferedAmount: number
}
