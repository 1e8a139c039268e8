import {
  atom,
  createTLStore,
  createUserId,
  defaultBindingUtils,
  defaultShapeUtils,
  InstancePresenceRecordType,
  UserRecordType,
  type TLShapeId,
  type TLStore,
  type TLUser,
} from 'tldraw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { bindPresence, boundedPresence, MAX_PUBLISHED_SCRIBBLE_POINTS, MAX_PUBLISHED_SELECTION, PRESENCE_INTERVAL_MS, readPresenceUser } from './presence'

function storeWithSession(): TLStore {
  const store = createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
  // Merging (even nothing) runs tldraw's integrity check, which creates the document, page,
  // instance, camera and pointer records an editor would have.
  store.mergeRemoteChanges(() => {})
  return store
}

/** Two awareness instances that forward every change to each other, like the server relay. */
function linkedAwareness() {
  const a = new Awareness(new Y.Doc())
  const b = new Awareness(new Y.Doc())
  const forward = (from: Awareness, to: Awareness) =>
    from.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      if (origin === 'relay') return
      applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added, ...updated, ...removed]), 'relay')
    })
  forward(a, b)
  forward(b, a)
  return { a, b }
}

const user = (id: string, name: string) => atom<TLUser | null>('user', UserRecordType.create({ id: createUserId(id), name, color: '#1971c2' }))

/** Lets queued presence publications (microtasks and short timers) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2 * PRESENCE_INTERVAL_MS))

const stops: (() => void)[] = []
afterEach(() => {
  stops.splice(0).forEach((stop) => stop())
  vi.useRealTimers()
})

describe('bindPresence', () => {
  it("shows each person's presence in the other's store, never in the document, and removes it when they leave", async () => {
    const { a, b } = linkedAwareness()
    const storeA = storeWithSession()
    const storeB = storeWithSession()
    stops.push(bindPresence(storeA, a, user('ana', 'Ana')), bindPresence(storeB, b, user('bram', 'Bram')))
    await settle()

    const seenByB = storeB.query.records('instance_presence').get()
    expect(seenByB).toHaveLength(1)
    expect(seenByB[0]).toMatchObject({ userName: 'Ana', userId: 'user:ana', color: '#1971c2' })
    expect(readPresenceUser(b.getStates().get(a.clientID))).toEqual({ userId: 'user:ana', name: 'Ana', color: '#1971c2' })
    expect(Object.values(storeA.serialize('document')).some((r) => r.typeName === 'instance_presence')).toBe(false)

    removeAwarenessStates(a, [a.clientID], 'test')
    expect(storeB.query.records('instance_presence').get()).toHaveLength(0)
  })

  it('throttles cursor updates to the presence interval', async () => {
    vi.useFakeTimers()
    const awareness = new Awareness(new Y.Doc())
    const store = storeWithSession()
    stops.push(bindPresence(store, awareness, user('ana', 'Ana')))
    const sent = vi.fn()
    awareness.on('change', sent)
    for (let i = 0; i < 20; i++) {
      store.update('pointer:pointer' as never, (p: never) => ({ ...(p as object), x: i, lastActivityTimestamp: Date.now() + i }) as never)
      await vi.advanceTimersByTimeAsync(5)
    }
    // 100 ms of pointer moves every 5 ms: at most one publish per interval, plus the trailing one.
    expect(sent.mock.calls.length).toBeLessThanOrEqual(Math.ceil(100 / PRESENCE_INTERVAL_MS) + 1)
    await vi.advanceTimersByTimeAsync(PRESENCE_INTERVAL_MS)
    const presence = (awareness.getLocalState() as { presence: { cursor: { x: number } } }).presence
    expect(presence.cursor.x).toBe(19)
  })

  it('ignores a malformed presence from a peer', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { a, b } = linkedAwareness()
    const storeB = storeWithSession()
    stops.push(bindPresence(storeB, b, user('bram', 'Bram')))
    a.setLocalState({ presence: { cursor: 'nope' }, user: { userId: 'user:x', name: 'X', color: '#000' } })
    await settle()
    expect(storeB.query.records('instance_presence').get()).toHaveLength(0)
    expect(warn).toHaveBeenCalled()
  })
})

describe('boundedPresence', () => {
  const base = () =>
    InstancePresenceRecordType.create({
      id: InstancePresenceRecordType.createId('awareness-1'),
      currentPageId: 'page:page' as never,
      userId: createUserId('ana'),
      userName: 'Ana',
    })
  const scribble = (id: string, n: number, from = 0) => ({
    id,
    points: Array.from({ length: n }, (_, i) => ({ x: from + i, y: 0, z: 0.5 })),
    size: 4,
    color: 'laser' as const,
    opacity: 1,
    state: 'active' as const,
    delay: 0,
    shrink: 0,
    taper: true,
  })

  it('leaves an ordinary presence as it is', () => {
    const presence = { ...base(), selectedShapeIds: ['shape:a' as TLShapeId], scribbles: [scribble('s', 10)] }
    expect(boundedPresence(presence)).toBe(presence)
  })

  it("stays within the server's default 64 KiB with a select-all of 5,000 shapes and a long laser stroke", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `shape:${String(i).padStart(21, '0')}` as TLShapeId)
    const presence = { ...base(), selectedShapeIds: ids, scribbles: [scribble('old', 400), scribble('new', 400, 1000)] }
    expect(JSON.stringify(presence).length).toBeGreaterThan(64 * 1024)
    const bounded = boundedPresence(presence)
    expect(bounded.selectedShapeIds).toEqual(ids.slice(0, MAX_PUBLISHED_SELECTION))
    // The newest points are kept: all of the newest stroke and the end of the one before.
    expect(bounded.scribbles.map((s) => [s.id, s.points.length])).toEqual([
      ['old', MAX_PUBLISHED_SCRIBBLE_POINTS - 400],
      ['new', 400],
    ])
    expect(bounded.scribbles[0].points[0].x).toBe(400 - (MAX_PUBLISHED_SCRIBBLE_POINTS - 400))
    expect(JSON.stringify(bounded).length).toBeLessThan(60 * 1024)
    expect(InstancePresenceRecordType.validate(bounded)).toBeTruthy()
  })
})
