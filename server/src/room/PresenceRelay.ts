/**
 * Presence (cursors, names, selections) for one room, relayed in batches.
 *
 * The stock y-websocket client re-broadcasts every awareness change it
 * receives, including other people's, so relaying each frame as it arrives
 * costs O(N²) frames per change in a room of N. Instead the relay applies
 * incoming updates to one server-side Awareness (which drops stale echoes by
 * clock) and, at most once per flush interval, sends one frame with the
 * latest state of every client that changed. The first change after a quiet
 * spell goes out at once (leading edge), so a calm room sees no added latency
 * and a busy one at most one interval. Each client thus receives a bounded
 * number of presence frames per second however large the room.
 *
 * The interval grows with the room (presenceInterval): a small workshop table
 * gets cursors within a few milliseconds, as without batching, while a
 * plenary of 200 is held to a total number of frames per second the server
 * can send.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { applyAwarenessUpdate, Awareness, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { awarenessFrame } from './frames'
import type { RoomSocket } from './RoomSocket'

/** Shortest flush interval: at most 200 presence frames per second to any client. */
export const MIN_PRESENCE_INTERVAL_MS = 5
/** Longest flush interval, i.e. the most latency batching adds in a crowded room. */
export const MAX_PRESENCE_INTERVAL_MS = 30
/** Presence frames per second a room may send in total (all its clients together) before batching slows down. */
export const ROOM_PRESENCE_SENDS_PER_SECOND = 5_000

/** The flush interval for a room of `recipients` sockets. */
export function presenceInterval(recipients: number): number {
  const ms = (recipients * 1000) / ROOM_PRESENCE_SENDS_PER_SECOND
  return Math.min(MAX_PRESENCE_INTERVAL_MS, Math.max(MIN_PRESENCE_INTERVAL_MS, ms))
}

interface AwarenessChange {
  added: number[]
  updated: number[]
  removed: number[]
}

/** Batches awareness fan-out for one room and forgets a socket's clients when it leaves. */
export class PresenceRelay {
  private readonly awareness: Awareness
  private readonly controlled = new Map<RoomSocket, Set<number>>()
  private readonly dirty = new Set<number>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private lastFlush = 0

  constructor(
    /** Current flush interval (a fixed number in tests, presenceInterval of the room's size otherwise). */
    private readonly flushMs: () => number,
    private readonly broadcast: (frame: Uint8Array) => void,
  ) {
    // Presence never touches the board: its own empty doc only gives the Awareness a client id.
    this.awareness = new Awareness(new Y.Doc())
    // The server is not a participant: it must not show up as a cursor.
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onUpdate)
  }

  /** Applies an awareness update from `socket`; throws if it is malformed. */
  apply(socket: RoomSocket, update: Uint8Array): void {
    const fresh = newerEntries(this.awareness, update)
    if (fresh) applyAwarenessUpdate(this.awareness, fresh, socket)
  }

  /** A frame with every known state, for a newcomer or a query; null when nobody is present. */
  fullStateFrame(): Uint8Array | null {
    const clients = Array.from(this.awareness.getStates().keys())
    return clients.length === 0 ? null : awarenessFrame(this.awareness, clients)
  }

  /** Removes the states a socket announced, so its cursor disappears for the others. */
  removeSocket(socket: RoomSocket): void {
    const clients = this.controlled.get(socket)
    this.controlled.delete(socket)
    if (clients && clients.size > 0) removeAwarenessStates(this.awareness, Array.from(clients), null)
  }

  /** Stops timers; pending changes are dropped (presence is volatile). */
  destroy(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.awareness.off('update', this.onUpdate)
    this.awareness.destroy()
    this.awareness.doc.destroy()
  }

  private readonly onUpdate = ({ added, updated, removed }: AwarenessChange, origin: unknown): void => {
    if (origin !== null && typeof origin === 'object' && this.isSocketOrigin(origin)) {
      let clients = this.controlled.get(origin)
      if (!clients) this.controlled.set(origin, (clients = new Set()))
      for (const id of added) clients.add(id)
      for (const id of removed) clients.delete(id)
    }
    // `updated` includes clock-only renewals: relaying them keeps other clients'
    // 30 s "no message received" watchdog quiet, and the sender's too.
    for (const id of [...added, ...updated, ...removed]) this.dirty.add(id)
    if (this.dirty.size > 0 && this.timer === undefined) {
      // setTimeout even when due now: changes read from the same network chunk share one frame.
      this.timer = setTimeout(this.flush, Math.max(0, this.lastFlush + this.flushMs() - Date.now()))
    }
  }

  private isSocketOrigin(origin: object): origin is RoomSocket {
    return 'send' in origin && 'close' in origin
  }

  private readonly flush = (): void => {
    this.timer = undefined
    this.lastFlush = Date.now()
    if (this.dirty.size === 0) return
    const frame = awarenessFrame(this.awareness, Array.from(this.dirty))
    this.dirty.clear()
    this.broadcast(frame)
  }
}

const NULL_STATE = new TextEncoder().encode('null')

function isNullState(bytes: Uint8Array): boolean {
  return bytes.length === NULL_STATE.length && bytes.every((byte, i) => byte === NULL_STATE[i])
}

/**
 * The entries of an awareness update that y-protocols would actually apply
 * (newer clock, or a removal at the same clock), without JSON-parsing the
 * others. Nearly every frame a stock client sends is an echo of states it
 * received from us, so this keeps a busy room from parsing O(N²) JSON per
 * flush. Returns null when nothing is new; throws on a malformed update.
 */
export function newerEntries(awareness: Awareness, update: Uint8Array): Uint8Array | null {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const kept: { clientID: number; clock: number; state: Uint8Array }[] = []
  for (let i = 0; i < count; i++) {
    const clientID = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const state = decoding.readVarUint8Array(decoder) // a varString, left undecoded
    const known = awareness.meta.get(clientID)?.clock ?? 0
    if (known < clock || (known === clock && isNullState(state) && awareness.states.has(clientID))) {
      kept.push({ clientID, clock, state })
    }
  }
  if (kept.length === 0) return null
  if (kept.length === count) return update
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, kept.length)
  for (const entry of kept) {
    encoding.writeVarUint(encoder, entry.clientID)
    encoding.writeVarUint(encoder, entry.clock)
    encoding.writeVarUint8Array(encoder, entry.state)
  }
  return encoding.toUint8Array(encoder)
}
