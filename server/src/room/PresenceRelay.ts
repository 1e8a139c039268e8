/**
 * Presence (cursors, names, selections) for one room, relayed in batches.
 *
 * The stock y-websocket client re-broadcasts every awareness change it
 * receives, including other people's, so relaying each frame as it arrives
 * costs O(N²) frames per change in a room of N. Instead the relay applies
 * incoming updates to one server-side Awareness (which drops stale echoes by
 * clock) and sends one frame with the latest state of every client that
 * changed since the last one.
 *
 * How often is a budget of frames, not a fixed interval: a room may send
 * ROOM_PRESENCE_SENDS_PER_SECOND frames per second in total (one flush costs
 * one frame per socket), saved up for at most PRESENCE_BURST_MS. A breakout
 * table whose cursors stay within the budget gets every change at once, as
 * without batching; a plenary that would exceed it has its changes held and
 * merged, one flush every room size / budget seconds (10 ms for 100 people),
 * never more than MAX_PRESENCE_INTERVAL_MS apart. Each client thus receives a
 * bounded number of presence frames per second however large the room.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { applyAwarenessUpdate, Awareness, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { awarenessFrame } from './frames'
import type { RoomSocket } from './RoomSocket'

/** Shortest gap between two presence frames: at most 500 per second to any client. */
export const MIN_PRESENCE_INTERVAL_MS = 2
/** Longest gap between two flushes while changes wait, i.e. the most latency batching adds in a crowded room. */
export const MAX_PRESENCE_INTERVAL_MS = 20
/**
 * Presence frames per second a room may send in total (all its clients together) before changes are held and merged.
 * Measured (bench, workshop room): at 5,000 and a 30 ms cap, awareness p99 was 48 ms at N=200 (target 50)
 * and 12 ms at N=50 against the unbatched reference's 4 ms, for a server using 10-20% of a core.
 */
export const ROOM_PRESENCE_SENDS_PER_SECOND = 10_000
/** How much unused budget a quiet room may spend at once (in ms of budget), so a burst of moves is not held back. */
export const PRESENCE_BURST_MS = 20

/** How a relay paces its flushes: a fixed interval (tests) or the room's frame budget. */
export type PresencePacing = { fixedMs: number } | { recipients: () => number }

/** The gap between flushes of a room of `recipients` sockets whose changes exceed the budget. */
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
  private lastFlush = -Infinity
  /** Frames the room may still send now (the budget); negative after a crowded room's overdue flush. */
  private tokens = Infinity
  private refilledAt = 0

  constructor(
    private readonly pacing: PresencePacing,
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
      this.timer = setTimeout(this.flush, this.delay(performance.now()))
    }
  }

  /** How long the pending changes wait before they go out. */
  private delay(now: number): number {
    const sinceLast = now - this.lastFlush
    if ('fixedMs' in this.pacing) return Math.max(0, this.pacing.fixedMs - sinceLast)
    const cost = this.pacing.recipients()
    this.refill(now, cost)
    const byBudget = this.tokens >= cost ? 0 : ((cost - this.tokens) * 1000) / ROOM_PRESENCE_SENDS_PER_SECOND
    return Math.max(0, MIN_PRESENCE_INTERVAL_MS - sinceLast, Math.min(byBudget, MAX_PRESENCE_INTERVAL_MS - sinceLast))
  }

  private refill(now: number, cost: number): void {
    // The bucket holds at least one flush's worth, or a crowded room could never save up for one.
    const capacity = Math.max(cost, (ROOM_PRESENCE_SENDS_PER_SECOND * PRESENCE_BURST_MS) / 1000)
    this.tokens = Math.min(capacity, this.tokens + ((now - this.refilledAt) * ROOM_PRESENCE_SENDS_PER_SECOND) / 1000)
    this.refilledAt = now
  }

  private isSocketOrigin(origin: object): origin is RoomSocket {
    return 'send' in origin && 'close' in origin
  }

  private readonly flush = (): void => {
    this.timer = undefined
    if (this.dirty.size === 0) return
    const now = performance.now()
    this.lastFlush = now
    if ('recipients' in this.pacing) {
      const cost = this.pacing.recipients()
      this.refill(now, cost)
      this.tokens -= cost
    }
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
