import { getIndexBetween, type IndexKey } from '@tldraw/utils'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  AGENDA_KEY,
  AGENDA_PLAN_KEY,
  AGENDA_RUN_KEY,
  changeAgenda,
  instructionsFor,
  isValidPosition,
  legacyPosition,
  MAX_AGENDA_STEPS,
  parseLegacyAgenda,
  readAgenda,
  startPlanned,
  stepAdded,
  stepEdited,
  stepKey,
  stepMoved,
  stepRemoved,
  stepStarted,
  stepTimes,
  type Agenda,
  type StepFields,
} from './agenda'
import { getSessionMap } from './documentLayout'

const agenda: Agenda = {
  startsAt: 1_000_000,
  current: null,
  currentSince: null,
  steps: [
    { id: 'a', title: 'Welcome', minutes: 10, instructions: { en: 'Say hello', es: 'Saluden' }, frameId: 'shape:w', mode: 'plenary', position: 'a1' },
    { id: 'b', title: 'Groups', minutes: 30, instructions: { nl: 'Werk in groepen' }, frameId: 'shape:g', mode: 'breakout', position: 'a2' },
    { id: 'c', title: 'Harvest', minutes: 20, instructions: {}, frameId: null, mode: 'plenary', position: 'a3' },
  ],
}

const fields = (title: string, minutes = 10): StepFields => ({ title, minutes, instructions: {}, frameId: null, mode: 'plenary' })

/** A browser's copy of the board: its own Yjs client, optionally starting from another copy's state. */
function browser(clientId: number, from?: Y.Doc): Y.Doc {
  const doc = new Y.Doc()
  doc.clientID = clientId
  if (from) Y.applyUpdate(doc, Y.encodeStateAsUpdate(from))
  return doc
}

/** Everyone comes back online: every copy gets every other copy's changes, both ways. */
function sync(...docs: Y.Doc[]): void {
  for (let round = 0; round < 2; round++)
    for (const from of docs) for (const to of docs) if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)))
}

const read = (doc: Y.Doc) => readAgenda(getSessionMap(doc))
const titles = (doc: Y.Doc) => read(doc).steps.map((s) => s.title)

/** A board whose agenda (Welcome, Groups, Harvest; ids a, b, c) the core group prepared together. */
function prepared(): Y.Doc {
  const doc = browser(100)
  for (const [id, title] of [['a', 'Welcome'], ['b', 'Groups'], ['c', 'Harvest']]) changeAgenda(doc, (now) => stepAdded(now, id, fields(title)))
  return doc
}

/** The whole agenda as one value, as boards kept it before the per-step layout. */
const legacyValue = {
  startsAt: 5_000,
  current: 1,
  currentSince: 7_000,
  steps: [
    { id: 'a', title: 'Welcome', minutes: 10, instructions: { es: 'Hola' }, frameId: 'shape:w', mode: 'plenary' },
    { id: 'b', title: 'Groups', minutes: 30, instructions: {}, frameId: null, mode: 'breakout' },
    { id: 'c', title: 'Harvest', minutes: 20, instructions: {}, frameId: null, mode: 'plenary' },
  ],
}

function legacyBoard(): Y.Doc {
  const doc = browser(7)
  getSessionMap(doc).set(AGENDA_KEY, legacyValue)
  return doc
}

describe('agenda', () => {
  it('plans each step from the planned start, then from when the running step really began', () => {
    expect(stepTimes(agenda)).toEqual([
      { start: 1_000_000, end: 1_600_000 },
      { start: 1_600_000, end: 3_400_000 },
      { start: 3_400_000, end: 4_600_000 },
    ])
    // Step 2 started five minutes late: what is ahead moves, what is behind ends when it began.
    const late = { ...agenda, current: 1, currentSince: 1_900_000 }
    expect(stepTimes(late)).toEqual([
      { start: 1_300_000, end: 1_900_000 },
      { start: 1_900_000, end: 3_700_000 },
      { start: 3_700_000, end: 4_900_000 },
    ])
    expect(stepTimes({ ...agenda, startsAt: null })).toEqual([null, null, null])
  })

  it("shows instructions in the person's language, else in one it has", () => {
    expect(instructionsFor(agenda.steps[0], 'es')).toEqual({ text: 'Saluden', language: 'es' })
    expect(instructionsFor(agenda.steps[0], 'nl')).toEqual({ text: 'Say hello', language: 'en' })
    expect(instructionsFor(agenda.steps[1], 'es')).toEqual({ text: 'Werk in groepen', language: 'nl' })
    expect(instructionsFor(agenda.steps[2], 'en')).toBeNull()
  })

  it('writes only the keys a change touches', () => {
    expect(Object.keys(stepEdited(agenda, 'b', { title: 'Mixed groups' }))).toEqual([stepKey('b')])
    expect((stepEdited(agenda, 'a', { instructions: { nl: 'Zeg hallo', en: '' } })[stepKey('a')] as Agenda['steps'][number]).instructions).toEqual({ nl: 'Zeg hallo', es: 'Saluden' })
    expect(stepEdited(agenda, 'gone', { title: 'x' })).toEqual({})
    expect(stepRemoved(agenda, 'b')).toEqual({ [stepKey('b')]: undefined })
    expect(Object.keys(stepMoved(agenda, 'c', -1))).toEqual([stepKey('c')])
    expect(stepMoved(agenda, 'a', -1)).toEqual({})
    expect(stepStarted(agenda, 'b', 9)).toEqual({ [AGENDA_RUN_KEY]: { stepId: 'b', since: 9 } })
    expect(stepStarted(agenda, 'nope', 9)).toEqual({})
    expect(stepStarted(agenda, null, 9)).toEqual({ [AGENDA_RUN_KEY]: { stepId: null, since: null } })
    expect(startPlanned(5)).toEqual({ [AGENDA_PLAN_KEY]: { startsAt: 5 } })
    const added = stepAdded(agenda, 'd', fields('Close'))
    expect(Object.keys(added)).toEqual([stepKey('d')])
    expect((added[stepKey('d')] as { position: string }).position > 'a3').toBe(true)
    expect(stepAdded(agenda, 'a', fields('Taken'))).toEqual({})
  })

  it('runs steps by id and keeps the running one running when steps move or go', () => {
    const doc = prepared()
    changeAgenda(doc, (now) => stepStarted(now, 'b', 1_000))
    expect(read(doc)).toMatchObject({ current: 1, currentSince: 1_000 })
    changeAgenda(doc, (now) => stepMoved(now, 'b', 1))
    expect(read(doc).steps.map((s) => s.id)).toEqual(['a', 'c', 'b'])
    expect(read(doc)).toMatchObject({ current: 2, currentSince: 1_000 })
    changeAgenda(doc, (now) => stepRemoved(now, 'a'))
    expect(read(doc).current).toBe(1)
    changeAgenda(doc, (now) => stepRemoved(now, 'b'))
    expect(read(doc)).toMatchObject({ current: null, currentSince: null })
    changeAgenda(doc, (now) => stepStarted(now, null, 2_000))
    expect(read(doc).current).toBeNull()
  })
})

describe('concurrent agenda edits merge', () => {
  it('keeps edits to different steps made on two sides', () => {
    const base = prepared()
    const ana = browser(1, base)
    const bram = browser(2, base)
    changeAgenda(ana, (now) => stepEdited(now, 'a', { title: 'Bienvenida' }))
    changeAgenda(bram, (now) => stepEdited(now, 'b', { minutes: 45, instructions: { nl: 'In groepen' } }))
    sync(ana, bram)
    for (const doc of [ana, bram]) {
      expect(titles(doc)).toEqual(['Bienvenida', 'Groups', 'Harvest'])
      expect(read(doc).steps[1]).toMatchObject({ minutes: 45, instructions: { nl: 'In groepen' } })
    }
  })

  it('keeps steps added on three sides at once, in the same order for everyone', () => {
    const base = prepared()
    const [ana, bram, carla] = [browser(1, base), browser(2, base), browser(3, base)]
    changeAgenda(ana, (now) => stepAdded(now, 'x', fields('From Ana')))
    changeAgenda(bram, (now) => stepAdded(now, 'm', fields('From Bram')))
    changeAgenda(carla, (now) => stepAdded(now, 'q', fields('From Carla')))
    changeAgenda(carla, (now) => stepAdded(now, 'r', fields('Carla again')))
    sync(ana, bram, carla)
    const order = read(ana).steps.map((s) => s.id)
    expect(order).toHaveLength(7)
    expect(new Set(order)).toEqual(new Set(['a', 'b', 'c', 'x', 'm', 'q', 'r']))
    expect(order.slice(0, 3)).toEqual(['a', 'b', 'c'])
    // Carla's two steps stay in the order she added them.
    expect(order.indexOf('q')).toBeLessThan(order.indexOf('r'))
    for (const doc of [bram, carla]) expect(read(doc).steps.map((s) => s.id)).toEqual(order)
  })

  it('keeps a move of one step and an edit of another', () => {
    const base = prepared()
    const ana = browser(1, base)
    const bram = browser(2, base)
    changeAgenda(ana, (now) => stepMoved(now, 'c', -1))
    changeAgenda(bram, (now) => stepEdited(now, 'a', { title: 'Bienvenida' }))
    sync(ana, bram)
    for (const doc of [ana, bram]) expect(titles(doc)).toEqual(['Bienvenida', 'Harvest', 'Groups'])
  })

  it('keeps a delete of one step and an edit of another', () => {
    const base = prepared()
    const ana = browser(1, base)
    const bram = browser(2, base)
    changeAgenda(ana, (now) => stepRemoved(now, 'b'))
    changeAgenda(bram, (now) => stepEdited(now, 'c', { title: 'Cosecha' }))
    sync(ana, bram)
    for (const doc of [ana, bram]) expect(titles(doc)).toEqual(['Welcome', 'Cosecha'])
  })

  it('keeps a step that one side edits while the other deletes it: nothing typed is lost', () => {
    const base = prepared()
    const ana = browser(1, base)
    const bram = browser(2, base)
    changeAgenda(ana, (now) => stepRemoved(now, 'b'))
    changeAgenda(bram, (now) => stepEdited(now, 'b', { title: 'Mixed groups' }))
    sync(ana, bram)
    for (const doc of [ana, bram]) expect(titles(doc)).toEqual(['Welcome', 'Mixed groups', 'Harvest'])
  })

  it('keeps a step edit made while the agenda advances, and a planned start set meanwhile', () => {
    const base = prepared()
    const ana = browser(1, base)
    const bram = browser(2, base)
    changeAgenda(ana, (now) => stepStarted(now, 'b', 60_000))
    changeAgenda(bram, (now) => stepEdited(now, 'b', { title: 'Mixed groups' }))
    changeAgenda(bram, () => startPlanned(30_000))
    sync(ana, bram)
    for (const doc of [ana, bram]) {
      expect(read(doc)).toMatchObject({ startsAt: 30_000, current: 1, currentSince: 60_000 })
      expect(titles(doc)).toEqual(['Welcome', 'Mixed groups', 'Harvest'])
    }
  })

  it('lets the last writer win when both sides change the same field of the same step, the same everywhere', () => {
    const base = prepared()
    const ana = browser(1, base)
    const bram = browser(2, base)
    changeAgenda(ana, (now) => stepEdited(now, 'a', { title: 'Bienvenida' }))
    changeAgenda(bram, (now) => stepEdited(now, 'a', { title: 'Welkom' }))
    sync(ana, bram)
    expect(['Bienvenida', 'Welkom']).toContain(titles(ana)[0])
    expect(read(bram)).toEqual(read(ana))
  })

  it('moves a step between two that were added at once on two sides (same position)', () => {
    const base = prepared()
    const ana = browser(1, base)
    const bram = browser(2, base)
    changeAgenda(ana, (now) => stepAdded(now, 'x', fields('From Ana')))
    changeAgenda(bram, (now) => stepAdded(now, 'm', fields('From Bram')))
    sync(ana, bram)
    const tied = read(ana)
    expect(tied.steps.map((s) => s.id)).toEqual(['a', 'b', 'c', 'm', 'x'])
    expect(tied.steps[3].position).toBe(tied.steps[4].position)
    // c goes down between m and x: no position lies between theirs, so x gets one above (and only x and c are written).
    const writes = stepMoved(tied, 'c', 1)
    expect(Object.keys(writes).sort()).toEqual([stepKey('c'), stepKey('x')].sort())
    changeAgenda(ana, (now) => stepMoved(now, 'c', 1))
    expect(read(ana).steps.map((s) => s.id)).toEqual(['a', 'b', 'm', 'c', 'x'])
    changeAgenda(ana, (now) => stepMoved(now, 'x', -1))
    expect(read(ana).steps.map((s) => s.id)).toEqual(['a', 'b', 'm', 'x', 'c'])
  })
})

describe('reading the agenda', () => {
  it('skips entries a misbehaving client wrote badly, never failing', () => {
    const session = new Map<string, unknown>([
      [stepKey('ok'), { id: 'ok', title: 'Fine', minutes: -3, instructions: { en: 'go', fr: 'allez' }, frameId: 4, mode: 'weird', position: 'a1' }],
      [stepKey('nothing'), 'not a step'],
      [stepKey('other'), { id: 'elsewhere', title: 'Wrong key', minutes: 5, position: 'a2' }],
      [stepKey('nopos'), { id: 'nopos', title: 'No position', minutes: 5 }],
      [stepKey('badpos'), { id: 'badpos', title: 'Bad position', minutes: 5, position: 'a1 DROP' }],
      [stepKey('zero'), { id: 'zero', title: 'Trailing zero', minutes: 5, position: 'a10' }],
      [stepKey('notitle'), { id: 'notitle', minutes: 5, position: 'a3' }],
      [AGENDA_PLAN_KEY, { startsAt: 'soon' }],
      [AGENDA_RUN_KEY, { stepId: 'elsewhere', since: 5 }],
      [AGENDA_KEY, legacyValue],
    ])
    expect(readAgenda(session)).toEqual({
      startsAt: null,
      current: null,
      currentSince: null,
      steps: [{ id: 'ok', title: 'Fine', minutes: 0, instructions: { en: 'go' }, frameId: null, mode: 'plenary', position: 'a1' }],
    })
    expect(readAgenda(new Map([[AGENDA_RUN_KEY, 42]]))).toEqual({ startsAt: null, steps: [], current: null, currentSince: null })
  })

  it(`shows at most ${MAX_AGENDA_STEPS} steps, the first ones`, () => {
    const doc = browser(1)
    for (let i = 0; i < MAX_AGENDA_STEPS; i++) changeAgenda(doc, (now) => stepAdded(now, `s${i}`, fields(`Step ${i}`)))
    expect(stepAdded(read(doc), 'more', fields('One too many'))).toEqual({})
    getSessionMap(doc).set(stepKey('sneaked'), { id: 'sneaked', title: 'Sneaked in', minutes: 1, instructions: {}, frameId: null, mode: 'plenary', position: 'Zz' })
    const steps = read(doc).steps
    expect(steps).toHaveLength(MAX_AGENDA_STEPS)
    expect(steps[0].id).toBe('sneaked')
    expect(steps.at(-1)!.id).toBe(`s${MAX_AGENDA_STEPS - 2}`)
  })

  it('accepts exactly the positions tldraw can place a step between', () => {
    for (const position of ['a0', 'a1', 'aV', 'b10', 'Zz', 'a1V', 'a0001']) expect(isValidPosition(position)).toBe(true)
    for (const position of ['', 'a', 'b1', 'a10', 'a1!', ' a1', 'A' + '0'.repeat(26), 42, null]) expect(isValidPosition(position)).toBe(false)
    const legacy = Array.from({ length: MAX_AGENDA_STEPS }, (_, i) => legacyPosition(i))
    expect(new Set(legacy).size).toBe(MAX_AGENDA_STEPS)
    legacy.forEach((position, i) => {
      expect(isValidPosition(position)).toBe(true)
      if (i > 0) {
        expect(position > legacy[i - 1]).toBe(true)
        expect(() => getIndexBetween(legacy[i - 1] as IndexKey, position as IndexKey)).not.toThrow()
      }
    })
  })
})

describe('a board from before the per-step agenda', () => {
  it('reads the single agenda value while no per-step key exists', () => {
    const doc = legacyBoard()
    expect(read(doc)).toEqual({
      startsAt: 5_000,
      current: 1,
      currentSince: 7_000,
      steps: legacyValue.steps.map((s, i) => ({ ...s, position: legacyPosition(i) })),
    })
    expect(parseLegacyAgenda(null)).toEqual({ startsAt: null, steps: [], current: null, currentSince: null })
    // Only the first of two steps with one id is kept: one key can hold one.
    const repeated = parseLegacyAgenda({ steps: [{ id: 'x', title: 'First' }, { title: 'no id' }, { id: 'x', title: 'Second' }], current: 2 })
    expect(repeated.steps.map((s) => s.title)).toEqual(['First'])
    expect(repeated.current).toBeNull()
  })

  it('is converted by the first change, in one transaction: steps and plan written, the old value deleted', () => {
    const doc = legacyBoard()
    let updates = 0
    doc.on('update', () => updates++)
    changeAgenda(doc, (now) => stepEdited(now, 'c', { title: 'Cosecha' }))
    expect(updates).toBe(1)
    // Still this browser's own client: Yjs gives a client a new id when it sees "its" changes arrive from elsewhere.
    expect(doc.clientID).toBe(7)
    // The conversion itself is written by the client derived from the legacy value (see the merge test below).
    expect(Y.decodeStateVector(Y.encodeStateVector(doc)).size).toBe(2)
    const session = getSessionMap(doc)
    expect(session.has(AGENDA_KEY)).toBe(false)
    expect(Array.from(session.keys()).sort()).toEqual([AGENDA_PLAN_KEY, AGENDA_RUN_KEY, stepKey('a'), stepKey('b'), stepKey('c')].sort())
    expect(read(doc)).toMatchObject({ startsAt: 5_000, current: 1, currentSince: 7_000 })
    expect(titles(doc)).toEqual(['Welcome', 'Groups', 'Cosecha'])
    expect(read(doc).steps[0].instructions).toEqual({ es: 'Hola' })
  })

  // Both client-id orders: whichever browser's writes Yjs would put last, neither side's edit may be lost.
  it.each([
    [1, 2],
    [2, 1],
  ])('merges two offline conversions (clients %i and %i) into one agenda with both sides’ edits', (anaId, bramId) => {
    const base = legacyBoard()
    const ana = browser(anaId, base)
    const bram = browser(bramId, base)
    changeAgenda(ana, (now) => stepEdited(now, 'a', { title: 'Bienvenida' }))
    changeAgenda(bram, (now) => stepEdited(now, 'c', { instructions: { nl: 'Oogst' } }))
    changeAgenda(bram, (now) => stepAdded(now, 'd', fields('Close')))
    changeAgenda(bram, () => startPlanned(6_000))
    sync(ana, bram, base)
    expect([ana.clientID, bram.clientID]).toEqual([anaId, bramId])
    for (const doc of [ana, bram, base]) {
      expect(titles(doc)).toEqual(['Bienvenida', 'Groups', 'Harvest', 'Close'])
      expect(read(doc)).toMatchObject({ startsAt: 6_000, current: 1, currentSince: 7_000 })
      expect(read(doc).steps[2].instructions).toEqual({ nl: 'Oogst' })
      expect(getSessionMap(doc).has(AGENDA_KEY)).toBe(false)
    }
  })

  it('converts inside a larger transaction, as advancing does with the timer', () => {
    const doc = legacyBoard()
    let updates = 0
    doc.on('update', () => updates++)
    doc.transact(() => {
      changeAgenda(doc, (now) => stepStarted(now, 'c', 8_000))
      getSessionMap(doc).set('timer', { durationMs: 1_200_000, endsAt: 1_208_000, remainingMs: 1_200_000 })
    })
    expect(updates).toBe(1)
    expect(read(doc)).toMatchObject({ current: 2, currentSince: 8_000 })
    expect(getSessionMap(doc).has(AGENDA_KEY)).toBe(false)
  })

  it('converts the ordinary way a legacy value that reappears after the per-step layout emptied', () => {
    const doc = legacyBoard()
    changeAgenda(doc, (now) => stepEdited(now, 'a', { title: 'Bienvenida' }))
    for (const id of ['a', 'b', 'c']) changeAgenda(doc, (now) => stepRemoved(now, id))
    getSessionMap(doc).delete(AGENDA_PLAN_KEY)
    getSessionMap(doc).delete(AGENDA_RUN_KEY)
    // An old client's tab writes the single value again; the deleted step keys still have their Yjs items here.
    getSessionMap(doc).set(AGENDA_KEY, { steps: [{ id: 'a', title: 'Again' }] })
    expect(titles(doc)).toEqual(['Again'])
    changeAgenda(doc, (now) => stepAdded(now, 'z', fields('New')))
    expect(titles(doc)).toEqual(['Again', 'New'])
    expect(getSessionMap(doc).has(AGENDA_KEY)).toBe(false)
    expect(doc.clientID).toBe(7)
  })

  it('merges a conversion with an old client rewriting the single value: the per-step layout wins and the stray value goes', () => {
    const base = legacyBoard()
    const ana = browser(1, base)
    const old = browser(2, base)
    changeAgenda(ana, (now) => stepEdited(now, 'a', { title: 'Bienvenida' }))
    getSessionMap(old).set(AGENDA_KEY, { ...legacyValue, startsAt: 9_999 })
    sync(ana, old)
    expect(titles(ana)).toEqual(['Bienvenida', 'Groups', 'Harvest'])
    expect(read(ana).startsAt).toBe(5_000)
    changeAgenda(ana, (now) => stepEdited(now, 'b', { minutes: 25 }))
    expect(getSessionMap(ana).has(AGENDA_KEY)).toBe(false)
  })
})
