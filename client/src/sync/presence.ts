/**
 * Presence over y-protocols awareness, never in the document: our own
 * `instance_presence` record (derived by tldraw from the camera, pointer and
 * selection) is published as an awareness field, and everyone else's becomes a
 * presence record in our store so tldraw draws their cursors and can follow them.
 */
import {
  createPresenceStateDerivation,
  InstancePresenceRecordType,
  react,
  type Signal,
  type TLInstancePresence,
  type TLStore,
  type TLUser,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'

/** The awareness field holding a tldraw presence record. */
export const PRESENCE_FIELD = 'presence'
/** The awareness field holding who someone is, for the people list. */
export const USER_FIELD = 'user'
/** At most this often (ms) do we publish our presence: cursor updates at ~20 Hz. */
export const PRESENCE_INTERVAL_MS = 50

/**
 * The server drops a presence state over MAX_PRESENCE_STATE_BYTES (64 KiB by default) and
 * relays nothing of it, so others would see our cursor stand still. A state measures ~1 KB,
 * plus ~31 bytes per selected shape and ~40 per laser point: publishing at most 1,000 selected
 * ids (~31 KB; others outline only those) and the newest 500 scribble points (~20 KB) keeps us
 * well inside. Our own selection is not affected.
 */
export const MAX_PUBLISHED_SELECTION = 1000
export const MAX_PUBLISHED_SCRIBBLE_POINTS = 500

/** `presence` bounded as above (the same object when it already is). */
export function boundedPresence(presence: TLInstancePresence): TLInstancePresence {
  let bounded = presence
  if (presence.selectedShapeIds.length > MAX_PUBLISHED_SELECTION) {
    bounded = { ...bounded, selectedShapeIds: presence.selectedShapeIds.slice(0, MAX_PUBLISHED_SELECTION) }
  }
  const points = presence.scribbles.reduce((sum, scribble) => sum + scribble.points.length, 0)
  if (points > MAX_PUBLISHED_SCRIBBLE_POINTS) {
    // Newest scribbles last: keep their newest points, drop the oldest.
    let budget = MAX_PUBLISHED_SCRIBBLE_POINTS
    const scribbles = []
    for (let i = presence.scribbles.length - 1; i >= 0 && budget > 0; i--) {
      const scribble = presence.scribbles[i]
      const kept = scribble.points.length <= budget ? scribble.points : scribble.points.slice(scribble.points.length - budget)
      budget -= kept.length
      scribbles.unshift(kept === scribble.points ? scribble : { ...scribble, points: kept })
    }
    bounded = { ...bounded, scribbles }
  }
  return bounded
}

/** Who a participant is, as shown in the people list. */
export interface PresenceUser {
  /** tldraw user record id (`user:...`), what `editor.startFollowingUser` takes. */
  userId: string
  name: string
  color: string
}

/** Reads the user field of an awareness state, ignoring anything malformed. */
export function readPresenceUser(state: unknown): PresenceUser | undefined {
  if (typeof state !== 'object' || state === null) return undefined
  const user = (state as Record<string, unknown>)[USER_FIELD]
  if (typeof user !== 'object' || user === null) return undefined
  const { userId, name, color } = user as Record<string, unknown>
  if (typeof userId !== 'string' || typeof name !== 'string' || typeof color !== 'string') return undefined
  return { userId, name: name.slice(0, 80), color }
}

function presenceIdFor(clientId: number): TLInstancePresence['id'] {
  return InstancePresenceRecordType.createId(`awareness-${clientId}`)
}

/**
 * Publishes our presence and mirrors everyone else's into `store`.
 * Returns a function that stops both.
 */
export function bindPresence(store: TLStore, awareness: Awareness, $user: Signal<TLUser | null>): () => void {
  const localId = awareness.clientID
  const $presence = createPresenceStateDerivation($user, { instanceId: presenceIdFor(localId) })(store)

  // Outgoing, throttled: send immediately after a quiet spell, then at most every interval.
  let lastSent = 0
  let scheduled = false
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const publish = () => {
    timer = undefined
    scheduled = false
    if (stopped) return
    lastSent = Date.now()
    const presence = $presence.get()
    const user = $user.get()
    awareness.setLocalState({
      ...(awareness.getLocalState() ?? {}),
      [PRESENCE_FIELD]: presence && boundedPresence(presence),
      [USER_FIELD]: user ? { userId: user.id, name: user.name, color: user.color } : null,
    })
  }
  const stopReacting = react('publish presence', () => {
    $presence.get()
    $user.get()
    if (scheduled) return
    scheduled = true
    // Never publish from inside the reaction: awareness listeners (ours included, via the
    // relay) update stores, and doing that mid-reaction corrupts its dependency tracking.
    const wait = PRESENCE_INTERVAL_MS - (Date.now() - lastSent)
    if (wait <= 0) queueMicrotask(publish)
    else timer = setTimeout(publish, wait)
  })

  // Remote clocks can be minutes off (three continents); tldraw hides cursors whose
  // lastActivityTimestamp looks old, so we re-stamp activity with our own clock.
  const activity = new Map<number, { remote: number; local: number }>()
  const localActivity = (clientId: number, remote: unknown): number => {
    const value = typeof remote === 'number' ? remote : 0
    const seen = activity.get(clientId)
    if (seen && seen.remote === value) return seen.local
    const entry = { remote: value, local: Date.now() }
    activity.set(clientId, entry)
    return entry.local
  }

  // Incoming: one presence record per remote awareness client.
  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const puts: TLInstancePresence[] = []
    const removals: TLInstancePresence['id'][] = []
    const states = awareness.getStates()
    for (const clientId of [...added, ...updated]) {
      if (clientId === localId) continue
      const raw = (states.get(clientId) as Record<string, unknown> | undefined)?.[PRESENCE_FIELD]
      const id = presenceIdFor(clientId)
      if (raw === null || raw === undefined) {
        if (store.has(id)) removals.push(id)
        continue
      }
      try {
        // Their record id is derived from their store; ours for them from their awareness id.
        const record = raw as Record<string, unknown>
        puts.push(
          InstancePresenceRecordType.validate({
            ...record,
            id,
            lastActivityTimestamp: localActivity(clientId, record.lastActivityTimestamp),
          }),
        )
      } catch (error) {
        console.warn(`[presence] ignored presence from client ${clientId}: ${error instanceof Error ? error.message : error}`)
      }
    }
    for (const clientId of removed) {
      activity.delete(clientId)
      const id = presenceIdFor(clientId)
      if (store.has(id)) removals.push(id)
    }
    if (puts.length === 0 && removals.length === 0) return
    store.mergeRemoteChanges(() => {
      if (removals.length) store.remove(removals)
      if (puts.length) store.put(puts)
    })
  }
  awareness.on('change', onChange)
  // People already here when we arrive.
  onChange({ added: Array.from(awareness.getStates().keys()), updated: [], removed: [] })

  return () => {
    stopped = true
    stopReacting()
    clearTimeout(timer)
    awareness.off('change', onChange)
    // Presence records stay in the store: it is discarded with the editor that owns it.
  }
}
