/**
 * The stock y-websocket provider sends every awareness change back to the
 * server, other people's included: whatever presence a browser downloads, it
 * uploads again. In a plenary of 100 with 30 moving cursors that is ~60 KB/s
 * up per participant (bench, workshop room, N=100) that the server only throws
 * away as stale, on the uplinks that are weakest in our dialogues. We send only
 * our own state: its changes, its 15 s renewal, and its removal when we leave.
 */
import type { WebsocketProvider } from 'y-websocket'

interface AwarenessChanges {
  added: number[]
  updated: number[]
  removed: number[]
}
type AwarenessHandler = (changes: AwarenessChanges, origin: unknown) => void

/** `send` called only with the part of a change that concerns `ownClientId`, and not at all when none does. */
export function ownPresenceOnly(send: AwarenessHandler, ownClientId: number): AwarenessHandler {
  const own = (ids: number[]) => ids.filter((id) => id === ownClientId)
  return ({ added, updated, removed }, origin) => {
    const mine = { added: own(added), updated: own(updated), removed: own(removed) }
    if (mine.added.length + mine.updated.length + mine.removed.length > 0) send(mine, origin)
  }
}

/** Makes `provider` send only our own presence (see above); its destroy() still unhooks the handler. */
export function sendOnlyOwnPresence(provider: WebsocketProvider): void {
  const { awareness } = provider
  awareness.off('update', provider._awarenessUpdateHandler)
  provider._awarenessUpdateHandler = ownPresenceOnly(provider._awarenessUpdateHandler, awareness.clientID)
  awareness.on('update', provider._awarenessUpdateHandler)
}
