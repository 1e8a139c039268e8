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
 *
 * Presence comes from anyone holding a link, so what one connection may put
 * into it is bounded (PresenceLimits), and nobody may speak for anyone else:
 * a client id belongs to the connection that first announced it, for as long
 * as that connection lasts. Entries that break a rule are dropped before
 * y-protocols sees them (never applied, never relayed) and the reason is named
 * to the sender once per connection. All of it is decided from the entry's
 * client id, clock and byte length, without parsing its JSON.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { applyAwarenessUpdate, Awareness, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { PresenceRefusal } from '../../../shared/protocol'
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

/** What one connection may put into a room's presence. */
export interface PresenceLimits {
  /** Largest state (bytes of its JSON) an entry may carry; a larger entry is dropped. */
  maxStateBytes: number
  /** Client ids one connection may announce while it is connected; entries for further new ids are dropped. */
  maxClientsPerSocket: number
  /** Entries one frame may carry; a frame with more is dropped whole, unread. */
  maxEntriesPerFrame: number
}

/**
 * Defaults (also those of server/src/config.ts).
 * - 64 KiB per state: what our client sends (client/src/sync/presence.ts: tldraw's presence record, name,
 *   profile, hand) measures ~0.9 KB at rest, 1.5 KB with 20 shapes selected, 6.8 KB with 200, 31 KB with
 *   1,000 and 40 KB while drawing a 1,000-point laser stroke; 64 KiB leaves room for a select-all of ~2,000
 *   shapes, and is 1/128 of the 8 MiB send buffer a client may fall behind by, so no single state can
 *   push honest people towards too-slow.
 * - 4 client ids per connection: the stock provider and ours announce exactly one (the document's
 *   awareness id, kept across reconnects); the rest is slack.
 * - 1,000 entries per frame: our client sends one; a stock provider echoes what it received, at most one
 *   entry per person in the room. An echo carries nothing new, so dropping one from a bigger room costs nothing.
 */
export const DEFAULT_PRESENCE_LIMITS: PresenceLimits = { maxStateBytes: 64 * 1024, maxClientsPerSocket: 4, maxEntriesPerFrame: 1000 }

/**
 * How long a departed connection's client ids keep their last clock (so a late echo of their
 * state is still recognised as stale) before the relay forgets them: y-protocols' own awareness
 * timeout is 30 s, after which no honest client holds their state any more.
 */
export const FORGET_DEPARTED_MS = 60_000

const NO_REFUSALS: readonly PresenceRefusal[] = Object.freeze([])

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
  /** The client ids each connection announced (never shrinks while it is connected, so ids cannot be churned). */
  private readonly controlled = new Map<RoomSocket, Set<number>>()
  /** Which connection each announced client id belongs to. */
  private readonly owners = new Map<number, RoomSocket>()
  /** Refusals each connection has been told about (once per connection and reason). */
  private readonly told = new Map<RoomSocket, Set<PresenceRefusal>>()
  /** Refusals of the frame being applied that its sender has not been told about yet. */
  private untold: PresenceRefusal[] | undefined
  private readonly forgetTimers = new Set<ReturnType<typeof setTimeout>>()
  private readonly dirty = new Set<number>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private lastFlush = -Infinity
  /** Frames the room may still send now (the budget); negative after a crowded room's overdue flush. */
  private tokens = Infinity
  private refilledAt = 0

  constructor(
    private readonly pacing: PresencePacing,
    private readonly broadcast: (frame: Uint8Array) => void,
    private readonly limits: PresenceLimits = DEFAULT_PRESENCE_LIMITS,
  ) {
    // Presence never touches the board: its own empty doc only gives the Awareness a client id.
    this.awareness = new Awareness(new Y.Doc())
    // The server is not a participant: it must not show up as a cursor.
    this.awareness.setLocalState(null)
    this.awareness.on('update', this.onUpdate)
  }

  /**
   * Applies what `socket` may change of an awareness update and drops the rest;
   * throws if it is malformed. Returns the reasons for dropping entries that the
   * socket has not been told about yet (each is returned once per connection).
   */
  apply(socket: RoomSocket, update: Uint8Array): readonly PresenceRefusal[] {
    try {
      // Read first and alone, so a frame of 50,000 entries costs one varint.
      if (decoding.readVarUint(decoding.createDecoder(update)) > this.limits.maxEntriesPerFrame) {
        this.refuse(socket, 'presence-frame-too-large')
      } else {
        const fresh = newerEntries(this.awareness, update, (clientID, state) => this.admit(socket, clientID, state))
        if (fresh) applyAwarenessUpdate(this.awareness, fresh, socket)
      }
      return this.untold ?? NO_REFUSALS
    } finally {
      this.untold = undefined
    }
  }

  /** Number of presence states held (tests, diagnostics). */
  get stateCount(): number {
    return this.awareness.getStates().size
  }

  /**
   * Whether an entry y-protocols would apply (it is newer than what we hold) may
   * be applied for `socket`: O(1), from the client id and the state's bytes.
   * A new client id is claimed here, so a frame cannot announce more than the limit.
   */
  private admit(socket: RoomSocket, clientID: number, state: Uint8Array): boolean {
    if (state.length > this.limits.maxStateBytes) return this.refuse(socket, 'presence-too-large')
    const owner = this.owners.get(clientID)
    if (owner === socket) return true
    // Someone else's (or the server's own, which the server would go on renewing).
    if (owner !== undefined || clientID === this.awareness.clientID) return this.refuse(socket, 'presence-not-yours')
    // Removing an id nobody holds changes nothing, and would only make the relay remember its clock.
    if (isNullState(state)) return false
    let clients = this.controlled.get(socket)
    if (!clients) this.controlled.set(socket, (clients = new Set()))
    if (clients.size >= this.limits.maxClientsPerSocket) return this.refuse(socket, 'presence-too-many-clients')
    clients.add(clientID)
    this.owners.set(clientID, socket)
    return true
  }

  /** Notes a refusal for `socket` (to be told once per connection); always false, for admit. */
  private refuse(socket: RoomSocket, reason: PresenceRefusal): false {
    let told = this.told.get(socket)
    if (!told) this.told.set(socket, (told = new Set()))
    if (!told.has(reason)) {
      told.add(reason)
      ;(this.untold ??= []).push(reason)
    }
    return false
  }

  /** A frame with every known state, for a newcomer or a query; null when nobody is present. */
  fullStateFrame(): Uint8Array | null {
    const clients = Array.from(this.awareness.getStates().keys())
    return clients.length === 0 ? null : awarenessFrame(this.awareness, clients)
  }

  /**
   * Removes the states a socket announced, so its cursor disappears for the
   * others, and frees its client ids (a reconnecting client takes its id back).
   */
  removeSocket(socket: RoomSocket): void {
    const clients = this.controlled.get(socket)
    this.controlled.delete(socket)
    this.told.delete(socket)
    if (!clients || clients.size === 0) return
    const ids = Array.from(clients)
    for (const id of ids) if (this.owners.get(id) === socket) this.owners.delete(id)
    removeAwarenessStates(
      this.awareness,
      ids.filter((id) => this.awareness.states.has(id)),
      null,
    )
    // Their clocks stay a while, so a late echo of their state is known to be stale; then they go,
    // or a stream of short connections would grow the Awareness's meta map without bound.
    const timer = setTimeout(() => {
      this.forgetTimers.delete(timer)
      for (const id of ids) if (!this.owners.has(id) && !this.awareness.states.has(id)) this.awareness.meta.delete(id)
    }, FORGET_DEPARTED_MS)
    timer.unref?.()
    this.forgetTimers.add(timer)
  }

  /** Stops timers; pending changes are dropped (presence is volatile). */
  destroy(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    for (const timer of this.forgetTimers) clearTimeout(timer)
    this.forgetTimers.clear()
    this.awareness.off('update', this.onUpdate)
    this.awareness.destroy()
    this.awareness.doc.destroy()
  }

  private readonly onUpdate = ({ added, updated, removed }: AwarenessChange): void => {
    // (Which socket holds which id is decided in admit, before anything is applied.)
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
 * flush. `admit`, when given, is asked about each entry that is new (with the
 * state's bytes, unparsed) and may drop it. Returns null when nothing is left;
 * throws on a malformed update.
 */
export function newerEntries(awareness: Awareness, update: Uint8Array, admit?: (clientID: number, state: Uint8Array) => boolean): Uint8Array | null {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  const kept: { clientID: number; clock: number; state: Uint8Array }[] = []
  for (let i = 0; i < count; i++) {
    const clientID = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    const state = decoding.readVarUint8Array(decoder) // a varString, left undecoded
    const known = awareness.meta.get(clientID)?.clock ?? 0
    if (known < clock || (known === clock && isNullState(state) && awareness.states.has(clientID))) {
      if (!admit || admit(clientID, state)) kept.push({ clientID, clock, state })
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
