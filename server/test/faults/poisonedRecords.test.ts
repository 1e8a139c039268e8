/**
 * Fault: a participant's client (buggy, outdated, or hostile) sends
 * well-formed Yjs updates whose records break every rule of the layout and of
 * tldraw's schema: wrong value types, missing fields, shapes on pages that do
 * not exist, binary and nested Yjs types where JSON belongs, a record that is
 * not a map at all, a poisoned schema, a huge string, deep nesting.
 *
 * The server validates every change before it is stored or relayed
 * (server/src/access/documentRules.ts): an update that does not fit the
 * document's layout is refused whole and its sender closed with
 * invalid-update (4422); a record the schema does not accept is undone in the
 * same transaction, so honest people never receive it. None of this may take
 * the server down, stop honest people from syncing, or leave a board that no
 * longer loads after a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getMetaMap, getRecordsMap, putRecord, SCHEMA_KEY } from '../../../shared/documentLayout'
import { Close } from '../../../shared/protocol'
import { connectClient, createBoard, health, waitFor, type TestClient } from '../../test-utils/startServer'
import { canonicalJson, missingFrom, noteRecord, recordsJson } from './helpers/boardState'
import { startFixedPortServer, type FixedPortServer } from './helpers/fixedPortServer'

const MiB = 1024 * 1024

/** A record Y.Map from [field, value] pairs, without any of putRecord's care. */
function rawRecord(entries: [string, unknown][]): Y.Map<unknown> {
  return new Y.Map<unknown>(entries)
}

function deepValue(depth: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = { down: value }
  return value
}

/**
 * Each poison writes into a fresh client's document; it has reached an honest
 * client once that client has `key` among its records (or, with no key, holds
 * every edit the poisoner made).
 */
type Outcome = 'closed' | 'undone' | 'relayed'
const POISONS: { name: string; key?: string; outcome: Outcome; write: (doc: Y.Doc) => void }[] = [
  {
    name: 'fields of the wrong type',
    outcome: 'closed',
    key: 'shape:wrong-types',
    write: (doc) =>
      getRecordsMap(doc).set(
        'shape:wrong-types',
        rawRecord([['id', 42], ['typeName', ['shape']], ['type', null], ['x', 'left'], ['y', { up: true }], ['props', 'not a map'], ['meta', 7]]),
      ),
  },
  {
    name: 'a shape with its required fields missing',
    outcome: 'undone',
    key: 'shape:missing-fields',
    write: (doc) => getRecordsMap(doc).set('shape:missing-fields', rawRecord([['id', 'shape:missing-fields'], ['typeName', 'shape']])),
  },
  {
    name: 'a shape whose parent page does not exist, and one that is its own parent',
    outcome: 'undone',
    key: 'shape:self-parent',
    write: (doc) => {
      putRecord(getRecordsMap(doc), { ...noteRecord('shape:orphan', 0, 0, 'lost'), parentId: 'page:does-not-exist' })
      putRecord(getRecordsMap(doc), { ...noteRecord('shape:self-parent', 0, 0, 'loop'), parentId: 'shape:self-parent' })
    },
  },
  {
    name: 'values that are not JSON: binary, Y.Text, Y.Array, XML, a subdocument, NaN, Infinity, undefined, bigint',
    outcome: 'closed',
    key: 'shape:not-json',
    write: (doc) => {
      const text = new Y.Text()
      text.insert(0, 'rich')
      const array = Y.Array.from([1, 'two', new Uint8Array([3])])
      const xml = new Y.XmlFragment()
      xml.insert(0, [new Y.XmlText('<script>')])
      getRecordsMap(doc).set(
        'shape:not-json',
        rawRecord([
          ['id', 'shape:not-json'],
          ['typeName', 'shape'],
          ['x', Number.NaN],
          ['y', Number.POSITIVE_INFINITY],
          ['rotation', -0],
          ['opacity', undefined],
          ['index', BigInt(2) ** BigInt(70)],
          ['bytes', new Uint8Array([0, 1, 2, 255])],
          ['text', text],
          ['list', array],
          ['xml', xml],
          ['subdoc', new Y.Doc({ guid: 'poison-subdoc' })],
          ['props', rawRecord([['color', new Uint8Array([1])], ['richText', new Y.Text('x')]])],
        ]),
      )
    },
  },
  {
    name: 'records that are not maps at all, and odd keys',
    outcome: 'closed',
    key: 'shape:plain-object',
    write: (doc) => {
      const records = getRecordsMap(doc) as unknown as Y.Map<unknown>
      records.set('shape:a-string', 'I am not a record')
      records.set('shape:a-number', 12)
      records.set('shape:null', null)
      records.set('', rawRecord([['id', ''], ['typeName', 'shape']]))
      records.set('k'.repeat(10_000), rawRecord([['id', 'long'], ['typeName', 'shape']]))
      records.set('shape:plain-object', { id: 'shape:plain-object', typeName: 'shape', props: { color: 'red' } })
    },
  },
  {
    name: 'a poisoned schema and a record pretending to be the document',
    outcome: 'undone',
    key: 'document:document',
    write: (doc) => {
      getMetaMap(doc).set(SCHEMA_KEY, { schemaVersion: 999, sequences: 'none' })
      getRecordsMap(doc).set('document:document', rawRecord([['id', 'document:document'], ['typeName', 'page'], ['gridSize', -1]]))
    },
  },
  {
    name: 'the records map redefined as an array and the meta map as text (root type conflict)',
    outcome: 'closed',
    write: (doc) => {
      doc.getArray('tl_records').insert(0, [{ id: 'shape:in-an-array', typeName: 'shape' }, new Y.Map()])
      doc.getText('tl_meta').insert(0, 'schema? never heard of it')
    },
  },
  {
    name: 'a 6 MiB string in a note',
    outcome: 'undone',
    key: 'shape:huge',
    write: (doc) => putRecord(getRecordsMap(doc), noteRecord('shape:huge', 0, 0, 'h'.repeat(6 * MiB))),
  },
  {
    name: 'a note of 10,000 characters (the most one may hold)',
    key: 'shape:long',
    outcome: 'relayed',
    write: (doc) => putRecord(getRecordsMap(doc), noteRecord('shape:long', 0, 0, 'word '.repeat(2000))),
  },
  {
    name: 'a value nested 2000 levels deep',
    outcome: 'closed',
    key: 'shape:deep',
    write: (doc) => getRecordsMap(doc).set('shape:deep', rawRecord([['id', 'shape:deep'], ['typeName', 'shape'], ['meta', deepValue(2000)]])),
  },
]

describe('poisoned records from a participant', () => {
  let server: FixedPortServer
  let boardId: string
  let ana: TestClient
  let bram: TestClient
  const servers: FixedPortServer[] = []
  const clients: TestClient[] = []
  let edits = 0
  const connect = () => {
    const client = connectClient(server.wsUrl, boardId)
    clients.push(client)
    return client
  }

  /** Ana moves a note; passes only if Bram sees it, i.e. honest people still sync. */
  async function honestPeopleStillSync(): Promise<void> {
    const n = edits++
    putRecord(getRecordsMap(ana.doc), noteRecord('shape:honest', n, n, `still working ${n}`))
    await waitFor(() => getRecordsMap(bram.doc).get('shape:honest')?.get('x') === n, `Bram to see Ana's edit ${n}`, 15_000)
  }

  beforeAll(async () => {
    server = await startFixedPortServer({ env: { COMPACT_AFTER_UPDATES: '1000' } })
    servers.push(server)
    boardId = (await createBoard(server.url, 'Poisoned')).id
    ana = connect()
    bram = connect()
    await Promise.all([ana.synced, bram.synced])
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    for (const s of servers) await s.kill9()
  })

  const refusedWhole = (poison: (typeof POISONS)[number]) =>
    poison.outcome === 'closed' ? 'refuses whole (invalid-update)' : poison.outcome === 'undone' ? 'undoes' : 'relays (it is valid)'

  for (const poison of POISONS) {
    it(`${refusedWhole(poison)}: ${poison.name}, without harm to the server or to honest people`, async () => {
      const before = { records: recordsJson(ana.doc), schema: JSON.stringify(getMetaMap(ana.doc).get(SCHEMA_KEY)) }
      // Every record an honest client ever holds with another value than before while the poison is sent.
      const records = getRecordsMap(bram.doc)
      const was = new Map(Array.from(records.keys(), (key) => [key, canonicalJson(records.get(key))]))
      const seen = new Set<string>()
      const watch = (event: Y.YMapEvent<Y.Map<unknown>>) =>
        event.keysChanged.forEach((key) => {
          const now = records.has(key) ? canonicalJson(records.get(key)) : undefined
          if (now !== was.get(key)) seen.add(key)
        })
      getRecordsMap(bram.doc).observe(watch)
      const poisoner = connect()
      await poisoner.synced
      poison.write(poisoner.doc)
      if (poison.outcome === 'closed') {
        expect(await poisoner.closed).toEqual({ code: Close.invalidUpdate.code, reason: Close.invalidUpdate.reason })
      } else if (poison.outcome === 'undone') {
        // The server's repair comes back to the poisoner too: its copy converges on the board without the poison.
        await waitFor(() => recordsJson(poisoner.doc) === before.records, "the poisoner's copy to lose the poison", 15_000)
      } else {
        await waitFor(() => getRecordsMap(ana.doc).has(poison.key!) && getRecordsMap(bram.doc).has(poison.key!), 'the valid note to reach honest clients', 15_000)
      }
      expect(server.proc.exitCode).toBeNull()
      expect((await health(server.url)).ok).toBe(true)
      await honestPeopleStillSync()
      getRecordsMap(bram.doc).unobserve(watch)
      if (poison.outcome !== 'relayed') {
        if (poison.key) expect(seen.has(poison.key), `an honest client received ${poison.key}`).toBe(false)
        expect(JSON.stringify(getMetaMap(bram.doc).get(SCHEMA_KEY))).toBe(before.schema)
      }
      poisoner.destroy()
    })
  }

  it('still loads the poisoned board after kill -9 and after SIGTERM, identical for everyone', async () => {
    await honestPeopleStillSync()
    let before = recordsJson(ana.doc)
    expect(recordsJson(bram.doc)).toBe(before)
    let seen = Y.encodeStateVector(bram.doc)
    ana.destroy()
    bram.destroy()
    for (const restart of ['kill -9', 'SIGTERM'] as const) {
      if (restart === 'kill -9') await server.kill9()
      else expect(await server.stop(), `exit code on SIGTERM\n${server.stderr().slice(-3000)}`).toBe(0)
      server = await startFixedPortServer({ dataDir: server.dataDir, port: server.port, env: { COMPACT_AFTER_UPDATES: '1000' } })
      servers.push(server)
      const reader = connect()
      const outcome = await Promise.race([reader.synced.then(() => 'synced'), reader.closed.then((e) => `closed ${e.code} ${e.reason}`)])
      expect(outcome, `the board loads after ${restart}`).toBe('synced')
      expect(missingFrom(Y.encodeStateVector(reader.doc), seen), `edits lost after ${restart}`).toEqual([])
      expect(recordsJson(reader.doc), `board after ${restart}`).toBe(before)
      // And it still takes edits from honest people.
      const other = connect()
      await other.synced
      putRecord(getRecordsMap(reader.doc), noteRecord('shape:after', restart === 'kill -9' ? 1 : 2, 1, restart))
      await waitFor(() => getRecordsMap(other.doc).get('shape:after')?.get('x') === (restart === 'kill -9' ? 1 : 2), `an edit after ${restart} to be relayed`)
      // What the next restart must bring back.
      before = recordsJson(other.doc)
      seen = Y.encodeStateVector(other.doc)
      reader.destroy()
      other.destroy()
    }
  })
})
