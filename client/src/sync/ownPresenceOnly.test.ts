import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { WebsocketProvider } from 'y-websocket'
import NodeWebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ownPresenceOnly, sendOnlyOwnPresence } from './ownPresenceOnly'

describe('sending only our own presence', () => {
  it('passes on our own changes and drops everyone else’s', () => {
    const sent: unknown[] = []
    const handler = ownPresenceOnly((changes) => sent.push(changes), 7)
    handler({ added: [3, 7], updated: [4], removed: [] }, 'local')
    handler({ added: [], updated: [3, 4, 5], removed: [6] }, 'remote')
    handler({ added: [], updated: [], removed: [7] }, 'window unload')
    expect(sent).toEqual([
      { added: [7], updated: [], removed: [] },
      { added: [], updated: [], removed: [7] },
    ])
  })

  it('keeps the stock provider from sending other people’s presence back to the server', () => {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider('ws://127.0.0.1:9', 'board', doc, {
      connect: false,
      disableBc: true,
      WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
    })
    // Record what the provider would put on the socket.
    const frames: Uint8Array[] = []
    provider.wsconnected = true
    provider.ws = { send: (frame: Uint8Array) => frames.push(frame), close: () => {} } as unknown as WebSocket
    sendOnlyOwnPresence(provider)

    const other = new Awareness(new Y.Doc())
    other.setLocalState({ cursor: { x: 1, y: 2 } })
    applyAwarenessUpdate(provider.awareness, encodeAwarenessUpdate(other, [other.clientID]), provider)
    expect(provider.awareness.getStates().has(other.clientID)).toBe(true)
    expect(frames).toHaveLength(0)

    provider.awareness.setLocalStateField('cursor', { x: 5, y: 5 })
    expect(frames).toHaveLength(1)
    provider.wsconnected = false
    provider.ws = null
    provider.destroy()
    other.destroy()
  })
})
