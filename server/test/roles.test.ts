/**
 * Roles are enforced by the server, not only hidden in the UI: each rule is
 * tried by a stock y-websocket client that writes straight into the Yjs
 * document, as a modified browser could. A facilitator and a participant
 * watch; what the server refused or undid must never reach them or the disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../shared/access'
import * as Y from 'yjs'
import { FACILITATOR_LOCK, getRecordsMap, getSessionMap, putRecord, VIEWER_PRESENCE, yMapToRecord } from '../../shared/documentLayout'
import { AGENDA_PLAN_KEY, AGENDA_RUN_KEY, changeAgenda, readAgenda, startPlanned, stepAdded, stepEdited, stepKey, stepStarted } from '../../shared/agenda'
import { connectClient, createBoard, startServer, waitFor, type CreatedBoard, type TestClient, type TestServer } from '../test-utils/startServer'
import { noteRecord, sleep } from './faults/helpers/boardState'

describe('roles, enforced by the server', () => {
  let server: TestServer
  const clients: TestClient[] = []
  const join = async (board: CreatedBoard, role: Role) => {
    const client = connectClient(server.wsUrl, board.id, { role })
    clients.push(client)
    await client.synced
    return client
  }
  const record = (client: TestClient, id: string) => {
    const map = getRecordsMap(client.doc).get(id)
    return map ? yMapToRecord(map) : undefined
  }
  /** Lets in-flight frames land: a change the server refused would have arrived by then. */
  const settle = () => sleep(300)

  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await server?.stop()
  })

  it("refuses a viewer's document updates, telling it so; others and the disk never see them", async () => {
    const board = await createBoard(server.url)
    const facilitator = await join(board, 'facilitator')
    const viewer = await join(board, 'viewer')
    const refused: string[] = []
    viewer.provider.ws?.addEventListener('message', (event: MessageEvent) => {
      const bytes = new Uint8Array(event.data as ArrayBuffer)
      if (bytes[0] === 100) refused.push(new TextDecoder().decode(bytes.subarray(1)))
    })
    viewer.doc.transact(() => putRecord(getRecordsMap(viewer.doc), noteRecord('shape:viewer-note', 0, 0, 'sneaky')))
    await settle()
    expect(record(facilitator, 'shape:viewer-note')).toBeUndefined()
    expect(refused.map((text) => JSON.parse(text))).toContainEqual({ kind: 'refused', reason: 'read-only' })
    // A newcomer (from storage after a restart) has no trace of it either.
    server = await server.restart()
    const late = await join(board, 'participant')
    expect(record(late, 'shape:viewer-note')).toBeUndefined()
  })

  it('lets a participant edit content but undoes their change to facilitator-only session state', async () => {
    const board = await createBoard(server.url)
    const facilitator = await join(board, 'facilitator')
    const participant = await join(board, 'participant')
    facilitator.doc.transact(() => getSessionMap(facilitator.doc).set('timer', { durationMs: 300_000, startedAt: null }))
    await waitFor(() => getSessionMap(participant.doc).get('timer'), 'the timer reaching the participant')

    participant.doc.transact(() => {
      putRecord(getRecordsMap(participant.doc), noteRecord('shape:idea', 10, 10, 'an idea'))
      getSessionMap(participant.doc).set('timer', { durationMs: 1, startedAt: 0 })
      getSessionMap(participant.doc).set('privateMode', true)
    })
    await waitFor(() => record(facilitator, 'shape:idea'), "the participant's note reaching the facilitator")
    await settle()
    expect(getSessionMap(facilitator.doc).toJSON()).toEqual({ timer: { durationMs: 300_000, startedAt: null } })
    // The author's own copy is repaired too: everyone converges on the facilitator's state.
    await waitFor(() => getSessionMap(participant.doc).get('privateMode') === undefined, "the participant's copy repaired")
    expect(getSessionMap(participant.doc).toJSON()).toEqual({ timer: { durationMs: 300_000, startedAt: null } })
  })

  it("undoes a participant's change to any agenda key: a step, a new step, the plan, the running step", async () => {
    const board = await createBoard(server.url)
    const facilitator = await join(board, 'facilitator')
    const participant = await join(board, 'participant')
    changeAgenda(facilitator.doc, (agenda) => stepAdded(agenda, 'welcome', { title: 'Welcome', minutes: 10, instructions: {}, frameId: null, mode: 'plenary' }))
    changeAgenda(facilitator.doc, () => startPlanned(1_000_000))
    await waitFor(() => readAgenda(getSessionMap(participant.doc)).startsAt === 1_000_000, 'the agenda reaching the participant')
    const before = getSessionMap(facilitator.doc).toJSON()
    expect(Object.keys(before).sort()).toEqual([AGENDA_PLAN_KEY, stepKey('welcome')])

    // Through the same functions the panel uses, and straight into the map, as a modified browser could.
    changeAgenda(participant.doc, (agenda) => stepEdited(agenda, 'welcome', { title: 'Hijacked' }))
    changeAgenda(participant.doc, (agenda) => stepAdded(agenda, 'extra', { title: 'Extra', minutes: 5, instructions: {}, frameId: null, mode: 'plenary' }))
    changeAgenda(participant.doc, (agenda) => stepStarted(agenda, 'welcome', 5))
    participant.doc.transact(() => getSessionMap(participant.doc).delete(AGENDA_PLAN_KEY))
    await settle()
    expect(getSessionMap(facilitator.doc).toJSON()).toEqual(before)
    await waitFor(() => !getSessionMap(participant.doc).has(AGENDA_RUN_KEY) && getSessionMap(participant.doc).has(AGENDA_PLAN_KEY), "the participant's copy repaired")
    expect(getSessionMap(participant.doc).toJSON()).toEqual(before)
    // The facilitator's own edit still goes through.
    changeAgenda(facilitator.doc, (agenda) => stepEdited(agenda, 'welcome', { title: 'Bienvenida' }))
    await waitFor(() => readAgenda(getSessionMap(participant.doc)).steps[0]?.title === 'Bienvenida', "the facilitator's edit")
  })

  it('keeps facilitator-locked shapes as the facilitator left them', async () => {
    const board = await createBoard(server.url)
    const facilitator = await join(board, 'facilitator')
    const participant = await join(board, 'participant')
    const frame = { ...noteRecord('shape:agenda', 0, 0, 'Agenda'), isLocked: true, meta: { [FACILITATOR_LOCK]: true } }
    facilitator.doc.transact(() => {
      putRecord(getRecordsMap(facilitator.doc), frame)
      putRecord(getRecordsMap(facilitator.doc), noteRecord('shape:free', 500, 0, 'free note'))
    })
    await waitFor(() => record(participant, 'shape:free'), 'the shapes reaching the participant')
    const before = record(facilitator, 'shape:agenda')

    // Move it, unlock it, delete it, put a new shape inside it, lock another shape.
    const records = getRecordsMap(participant.doc)
    participant.doc.transact(() => {
      records.get('shape:agenda')!.set('x', 999)
      ;(records.get('shape:agenda')!.get('meta') as Y.Map<unknown>).delete(FACILITATOR_LOCK)
    })
    participant.doc.transact(() => records.delete('shape:agenda'))
    participant.doc.transact(() => putRecord(records, { ...noteRecord('shape:inside', 0, 0, 'inside'), parentId: 'shape:agenda' }))
    participant.doc.transact(() => (records.get('shape:free')!.get('meta') as Y.Map<unknown>).set(FACILITATOR_LOCK, true))
    // ... while an ordinary edit in the same breath goes through.
    participant.doc.transact(() => records.get('shape:free')!.set('x', 555))

    await waitFor(() => record(facilitator, 'shape:free')?.x === 555, "the participant's ordinary edit")
    await settle()
    for (const client of [facilitator, participant]) {
      expect(record(client, 'shape:agenda')).toEqual(before)
      expect(record(client, 'shape:inside')).toBeUndefined()
      expect((record(client, 'shape:free')!.meta as Record<string, unknown>)[FACILITATOR_LOCK]).toBeUndefined()
    }

    // The facilitator may change, unlock and delete it.
    facilitator.doc.transact(() => getRecordsMap(facilitator.doc).get('shape:agenda')!.set('x', 42))
    await waitFor(() => record(participant, 'shape:agenda')?.x === 42, "the facilitator's move")
    facilitator.doc.transact(() => getRecordsMap(facilitator.doc).delete('shape:agenda'))
    await waitFor(() => !record(participant, 'shape:agenda'), "the facilitator's delete")

    // After a restart the rules still hold (the lock comes from the stored document).
    facilitator.doc.transact(() => putRecord(getRecordsMap(facilitator.doc), { ...frame, id: 'shape:kept' }))
    await waitFor(() => record(participant, 'shape:kept'), 'the second locked shape')
    server = await server.restart()
    const again = await join(board, 'participant')
    again.doc.transact(() => getRecordsMap(again.doc).delete('shape:kept'))
    await settle()
    await waitFor(() => record(again, 'shape:kept'), 'the locked shape restored after a participant deleted it')
    const reader = await join(board, 'viewer')
    expect(record(reader, 'shape:kept')).toMatchObject({ x: 0, meta: { [FACILITATOR_LOCK]: true } })
  })

  it('lets interpreters (and facilitators) keep the glossary and translate any note; a participant cannot change the glossary', async () => {
    const board = await createBoard(server.url)
    const interpreter = await join(board, 'interpreter')
    const participant = await join(board, 'participant')
    const glossary = (client: TestClient) => client.doc.getMap('glossary').toJSON()
    interpreter.doc.transact(() => interpreter.doc.getMap('glossary').set('participation', { en: 'participation', nl: 'participatie', es: 'participación' }))
    await waitFor(() => (glossary(participant) as Record<string, unknown>).participation, 'the glossary entry reaching the participant')
    participant.doc.transact(() => {
      participant.doc.getMap('glossary').set('participation', { en: 'nonsense' })
      participant.doc.getMap('glossary').set('spam', { en: 'spam' })
      putRecord(getRecordsMap(participant.doc), { ...noteRecord('shape:nl-note', 0, 0, 'Meer bomen op het plein'), meta: { lang: 'nl' } })
    })
    await waitFor(() => record(interpreter, 'shape:nl-note'), "the participant's note")
    await settle()
    for (const client of [interpreter, participant]) {
      expect(glossary(client)).toEqual({ participation: { en: 'participation', nl: 'participatie', es: 'participación' } })
    }
    // The interpreter adds a translation to the participant's note.
    interpreter.doc.transact(() => (getRecordsMap(interpreter.doc).get('shape:nl-note')!.get('meta') as Y.Map<unknown>).set('tr_es', 'Más árboles en la plaza'))
    await waitFor(() => (record(participant, 'shape:nl-note')?.meta as Record<string, unknown>)?.tr_es === 'Más árboles en la plaza', 'the translation')
  })

  it("hides viewers' presence unless a facilitator lets it show", async () => {
    const board = await createBoard(server.url)
    const facilitator = await join(board, 'facilitator')
    const viewer = await join(board, 'viewer')
    viewer.provider.awareness.setLocalStateField('user', { name: 'Watcher' })
    await settle()
    const seenNames = () => Array.from(facilitator.provider.awareness.getStates().values()).map((state) => (state.user as { name?: string } | undefined)?.name)
    expect(seenNames()).not.toContain('Watcher')
    facilitator.doc.transact(() => getSessionMap(facilitator.doc).set(VIEWER_PRESENCE, true))
    await waitFor(() => getSessionMap(viewer.doc).get(VIEWER_PRESENCE), 'the setting reaching the viewer')
    viewer.provider.awareness.setLocalStateField('user', { name: 'Watcher', color: '#000' })
    await waitFor(() => seenNames().includes('Watcher'), "the viewer's presence once allowed")
  })
})
