/**
 * Workshop story: fifty people score the participation radar at the same
 * moment. Each is a real Node client (stock y-websocket provider, a tldraw
 * store with the board schema, bound to its document by the browser's own
 * binding) and scores through the radar's own write functions. Everyone ends
 * up with the same picture, no score is lost, a person's scoring changes only
 * their own key, and the scores are still there after a server restart.
 */
import { createTLStore, type TLShape, type TLShapeId, type TLStore } from 'tldraw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { bindStore, type StoreBinding } from '../../client/src/sync/bindStore'
import { createContributionWriter, type ContributionWriter } from '../../client/src/board/shapes/radar/contributions'
import { applyRadarChange, scoreChange, type RadarChange } from '../../client/src/board/shapes/radar/radarWrites'
import { createBoardSchema } from '../../shared/boardSchema'
import { getRecordsMap } from '../../shared/documentLayout'
import {
  aggregate,
  axisStats,
  labelKey,
  newRespondentId,
  RADAR_SHAPE_TYPE,
  readLabels,
  readResponses,
  scoreKey,
  type RadarAggregate,
  type RadarProps,
} from '../../shared/radar'
import { connectClient, createBoard, startServer, waitFor, type TestClient, type TestServer } from '../test-utils/startServer'
import { createRng } from './faults/helpers/prng'

const PEOPLE = 50
// Each stock provider adds a process 'exit' listener in Node.
process.setMaxListeners(PEOPLE + 20)
const SEED = Number(process.env.RADAR_SEED ?? Date.now() % 100_000)

type RadarShape = TLShape & { props: RadarProps }

interface Person {
  client: TestClient
  store: TLStore
  binding: StoreBinding
  respondentId: string
  /** How the radar writes this person's own keys in the browser. */
  writer: ContributionWriter
  /** What this person meant to score, per axis. */
  scores: number[]
}

async function join(server: TestServer, boardId: string): Promise<Omit<Person, 'respondentId' | 'scores' | 'writer'>> {
  const client = connectClient(server.wsUrl, boardId)
  await client.synced
  const store = createTLStore({ schema: createBoardSchema() })
  const binding = bindStore(store, client.doc, { logger: { warn: (message: string) => console.warn(message) } })
  return { client, store, binding }
}

function radarOf(store: TLStore): RadarShape {
  const radar = store.query.records('shape').get().find((shape) => shape.type === RADAR_SHAPE_TYPE)
  if (!radar) throw new Error('no radar on the board')
  return radar as unknown as RadarShape
}

/** The group's picture as this person's store shows it. */
function pictureOf(store: TLStore): RadarAggregate {
  const radar = radarOf(store)
  return aggregate(readResponses(radar.meta, radar.props), radar.props.axisCount)
}

/** Scores one axis the way the radar does in the browser: its own keys, through the contribution writer. */
function score(person: Person, id: TLShapeId, axis: number, value: number, displayName = ''): void {
  const radar = person.store.get(id) as unknown as RadarShape
  person.writer.write(id, scoreChange(radar, { respondentId: person.respondentId, displayName }, axis, value).meta ?? {})
}

/** Changes the radar's shared parts the way the radar's UI does: through applyRadarChange, as a user edit. */
function change(store: TLStore, id: TLShapeId, radarChange: RadarChange): void {
  store.update(id, (record) => applyRadarChange(record as TLShape, radarChange))
}

describe('fifty people scoring one radar at once', () => {
  let server: TestServer
  let boardId: string
  let radarId: TLShapeId
  const people: Person[] = []
  const extra: TestClient[] = []

  beforeAll(async () => {
    console.log(`radar scoring seed: ${SEED} (RADAR_SEED=${SEED} reproduces the scores)`)
    server = await startServer()
    // Everyone joins with the participant link, as workshop participants do.
    boardId = (await createBoard(server.url, 'Radar Gent – Tarija', 'en', 'participation-radar')).id
    const rng = createRng(SEED)
    const joined = await Promise.all(Array.from({ length: PEOPLE }, () => join(server, boardId)))
    for (const parts of joined) {
      people.push({ ...parts, respondentId: newRespondentId(), writer: createContributionWriter(parts.client.doc), scores: Array.from({ length: 8 }, () => rng.int(1, 5)) })
    }
    radarId = radarOf(people[0].store).id as TLShapeId
  })

  afterAll(async () => {
    for (const person of people) {
      person.binding.dispose()
      person.client.destroy()
    }
    for (const client of extra) client.destroy()
    await server?.stop()
  })

  function expected(): RadarAggregate {
    return {
      respondents: PEOPLE,
      axes: Array.from({ length: 8 }, (_, axis) => axisStats(people.map((p) => p.scores[axis]))),
    }
  }

  it('starts from the template with an empty radar of eight unnamed axes', () => {
    const radar = radarOf(people[0].store)
    expect(radar.props).toMatchObject({ axisCount: 8, round: 1, showNames: false, spread: 'iqr' })
    expect(radar.props.title).toBe('How far does our partnership realise each building block today?')
    expect(readLabels(radar.meta, 8)).toEqual(Array(8).fill(''))
    expect(pictureOf(people[0].store).respondents).toBe(0)
  })

  it('converges to the same picture on every client, with no score lost', async () => {
    // One synchronous burst: nobody has received anybody else's scores when they write theirs.
    // Everyone drags over the axes (several writes each), ending on the score they mean.
    for (let pass = 0; pass < 2; pass++) {
      for (const person of people) {
        for (let axis = 0; axis < 8; axis++) {
          score(person, radarId, axis, pass === 0 ? 1 + ((person.scores[axis] + 2) % 5) : person.scores[axis], 'never stored')
        }
      }
    }
    // Meanwhile one person names an axis and another switches the spread to min-max: other keys, both kept.
    change(people[3].store, radarId, { meta: { [labelKey(2)]: 'Clear roles' } })
    change(people[7].store, radarId, { props: { spread: 'range' } })

    const want = expected()
    await waitFor(
      () => people.every((p) => pictureOf(p.store).respondents === PEOPLE && JSON.stringify(pictureOf(p.store)) === JSON.stringify(want)),
      `all ${PEOPLE} clients to show ${PEOPLE} respondents and the same medians`,
      30_000,
    )
    for (const person of people) {
      expect(pictureOf(person.store)).toEqual(want)
      const radar = radarOf(person.store)
      expect(readLabels(radar.meta, 8)[2]).toBe('Clear roles')
      expect(radar.props.spread).toBe('range')
      // Every person's own scores are exactly what they meant, on every screen.
      for (const other of people) expect((radar.meta[scoreKey(other.respondentId)] as { v: number[] }).v).toEqual(other.scores)
      // Anonymous: nothing but the random respondent ids and scores; no names, no user ids.
      expect(JSON.stringify(radar.meta)).not.toContain('never stored')
    }
    const vector = Y.encodeStateVector(people[0].client.doc)
    for (const person of people) expect(Y.encodeStateVector(person.client.doc)).toEqual(vector)
  })

  it("does not let the document link a score to its author's presence", () => {
    // Awareness (cursor, name) is keyed by each client's Yjs id; no score may carry one of those ids.
    const presenceIds = new Set(people.map((p) => p.client.doc.clientID))
    const meta = getRecordsMap(people[5].client.doc).get(radarId)!.get('meta') as Y.Map<unknown>
    for (const person of people) {
      const item = meta._map.get(scoreKey(person.respondentId))!
      expect(presenceIds.has(item.id.client), `score of ${person.respondentId} written under a presence id`).toBe(false)
      expect(item.id.client).toBe(person.writer.clientId)
    }
    // A shared edit (the label) is an ordinary edit under the person's own id.
    expect(meta._map.get(labelKey(2))!.id.client).toBe(people[3].client.doc.clientID)
  })

  it("changes only the scorer's own key when someone rescores", async () => {
    const watcher = people[1]
    const scorer = people[0]
    const touched: string[] = []
    const records = getRecordsMap(watcher.client.doc)
    const observe = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
      for (const event of events) {
        if (event.target instanceof Y.Map) for (const key of event.keys.keys()) touched.push([...event.path, key].join('/'))
      }
    }
    records.observeDeep(observe)
    scorer.scores[4] = scorer.scores[4] === 5 ? 1 : scorer.scores[4] + 1
    score(scorer, radarId, 4, scorer.scores[4])
    await waitFor(() => touched.length > 0, 'the rescore to reach another client')
    records.unobserveDeep(observe)
    expect(touched).toEqual([`${radarId}/meta/${scoreKey(scorer.respondentId)}`])
    await waitFor(() => people.every((p) => JSON.stringify(pictureOf(p.store)) === JSON.stringify(expected())), 'everyone to see the rescore')
  })

  it('lets only a facilitator switch names on, also on a copy a participant pastes', async () => {
    const showNames = (p: { store: TLStore }, id: TLShapeId = radarId) => (p.store.get(id) as unknown as RadarShape | undefined)?.props.showNames
    // A participant's client that skips the UI's check turns names on: the server undoes it, for them too.
    const [mallory, watcher] = people
    change(mallory.store, radarId, { props: { showNames: true } })
    expect(showNames(mallory)).toBe(true)
    await waitFor(() => showNames(mallory) === false, "the server to undo the participant's showNames")
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(showNames(watcher)).toBe(false)

    // A pasted copy with names on gets them switched off.
    const copyId = 'shape:radar-copy' as TLShapeId
    const original = mallory.store.get(radarId) as unknown as RadarShape
    mallory.store.put([{ ...original, id: copyId, x: original.x + 2000, props: { ...original.props, showNames: true } } as unknown as TLShape])
    await waitFor(() => showNames(watcher, copyId) === false && showNames(mallory, copyId) === false, 'the copy to arrive with names off')

    // The facilitator's choice sticks.
    const facilitatorClient = connectClient(server.wsUrl, boardId, { role: 'facilitator' })
    extra.push(facilitatorClient)
    await facilitatorClient.synced
    const facilitator = { store: createTLStore({ schema: createBoardSchema() }) }
    const binding = bindStore(facilitator.store, facilitatorClient.doc)
    try {
      change(facilitator.store, radarId, { props: { showNames: true } })
      await waitFor(() => people.every((p) => showNames(p) === true), 'everyone to see names switched on by the facilitator')
      // Participants then add their names next to their scores: their own keys, allowed.
      for (const person of people.slice(0, 3)) {
        const radar = person.store.get(radarId) as unknown as RadarShape
        person.writer.write(radarId, scoreChange(radar, { respondentId: person.respondentId, displayName: `Person ${person.respondentId.slice(0, 4)}` }, 0, person.scores[0]).meta ?? {})
      }
      const names = (p: Person) => Object.keys((p.store.get(radarId) as unknown as RadarShape).meta).filter((key) => key.startsWith('name:'))
      await waitFor(() => people.every((p) => names(p).length === 3), 'three names on every screen')
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(people.every((p) => showNames(p) === true)).toBe(true)
      change(facilitator.store, radarId, { props: { showNames: false } })
      await waitFor(() => people.every((p) => showNames(p) === false), 'everyone to see names switched off again')
    } finally {
      binding.dispose()
    }
    // The copy goes again (anyone may delete a participant's copy), so one radar remains.
    mallory.store.remove([copyId])
    await waitFor(() => people.every((p) => !p.store.has(copyId)), 'the copy to be gone everywhere')
  })

  it('keeps every score through a server restart', async () => {
    const want = expected()
    for (const person of people) person.client.provider.disconnect()
    server = await server.restart()
    const late = connectClient(server.wsUrl, boardId)
    extra.push(late)
    await late.synced
    const store = createTLStore({ schema: createBoardSchema() })
    const binding = bindStore(store, late.doc)
    try {
      expect(pictureOf(store)).toEqual(want)
      expect(radarOf(store).props.spread).toBe('range')
    } finally {
      binding.dispose()
    }
  })
})
