import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { BoardMeta } from '../../../shared/api'
import { isBoardKey } from '../../../shared/access'
import { newBoardKeys } from '../access/boardAccess'
import { DATABASE_FILE, openSqliteStorage } from './SqliteStorage'
import type { Storage } from './Storage'

const opened: Storage[] = []
function open(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'storage-'))): { storage: Storage; dir: string } {
  const storage = openSqliteStorage(dir, { synchronous: 'NORMAL' })
  opened.push(storage)
  return { storage, dir }
}
const board = (id: string, updatedAt = 1): BoardMeta => ({ id: id.padEnd(22, 'x'), title: id, language: 'en', createdAt: 1, updatedAt })
const update = (key: string) => {
  const doc = new Y.Doc()
  doc.getMap('m').set(key, key)
  return Y.encodeStateAsUpdate(doc)
}
const contents = (loaded: { snapshot: Uint8Array | null; updates: Uint8Array[] }) => {
  const doc = new Y.Doc()
  if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot)
  for (const u of loaded.updates) Y.applyUpdate(doc, u)
  return doc.getMap('m').toJSON()
}

afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.close()
})

describe('SqliteStorage', () => {
  it('compaction deletes only the log rows its snapshot covers', async () => {
    const { storage } = open()
    const b = board('a')
    await storage.createBoard(b, new Uint8Array([0, 0]), newBoardKeys())
    const seqs = [await storage.appendUpdate(b.id, update('one'), 2), await storage.appendUpdate(b.id, update('two'), 3)]
    const snapshotDoc = new Y.Doc()
    Y.applyUpdate(snapshotDoc, update('one'))
    Y.applyUpdate(snapshotDoc, update('two'))
    const snapshot = Y.encodeStateAsUpdate(snapshotDoc)
    // An update appended after the snapshot was taken but before it is stored.
    await storage.appendUpdate(b.id, update('three'), 4)
    await storage.compact(b.id, snapshot, seqs[1])

    const loaded = (await storage.loadDocument(b.id))!
    expect(loaded.updates).toHaveLength(1)
    expect(contents(loaded)).toEqual({ one: 'one', two: 'two', three: 'three' })
    expect(loaded.lastSeq).toBeGreaterThan(seqs[1])
    expect((await storage.getBoard(b.id))!.updatedAt).toBe(4)
  })

  it('keeps everything across reopening, and deleting a board removes its document and images', async () => {
    const { storage, dir } = open()
    const b = board('b')
    await storage.createBoard(b, update('seed'), newBoardKeys())
    await storage.appendUpdate(b.id, update('edit'), 2)
    await storage.putAsset({ id: 'img'.padEnd(22, 'x'), boardId: b.id, mimeType: 'image/png', data: new Uint8Array([1, 2, 3]), createdAt: 1 })
    await storage.close()

    const { storage: reopened } = open(dir)
    expect(contents((await reopened.loadDocument(b.id))!)).toEqual({ seed: 'seed', edit: 'edit' })
    expect((await reopened.getAsset('img'.padEnd(22, 'x')))?.data).toEqual(new Uint8Array([1, 2, 3]))
    expect(await reopened.deleteBoard(b.id)).toBe(true)
    expect(await reopened.loadDocument(b.id)).toBeUndefined()
    expect(await reopened.getAsset('img'.padEnd(22, 'x'))).toBeUndefined()
    expect(await reopened.deleteBoard(b.id)).toBe(false)
  })

  it('lists boards by last update, newest first', async () => {
    const { storage } = open()
    await storage.createBoard(board('old', 1), new Uint8Array([0, 0]), newBoardKeys())
    await storage.createBoard(board('new', 5), new Uint8Array([0, 0]), newBoardKeys())
    expect((await storage.listBoards()).map((b) => b.title)).toEqual(['new', 'old'])
    await storage.appendUpdate(board('old').id, update('x'), 9)
    expect((await storage.listBoards()).map((b) => b.title)).toEqual(['old', 'new'])
  })

  it('keeps a key per role, replaces one on rotation, and deletes them with the board', async () => {
    const { storage } = open()
    const b = board('keys')
    const keys = newBoardKeys()
    await storage.createBoard(b, new Uint8Array([0, 0]), keys)
    expect(await storage.getBoardKeys(b.id)).toEqual(keys)
    expect(await storage.setBoardKey(b.id, 'participant', 'p'.repeat(22), 5)).toBe(true)
    expect(await storage.getBoardKeys(b.id)).toEqual({ ...keys, participant: 'p'.repeat(22) })
    expect(await storage.setBoardKey(board('none').id, 'participant', 'q'.repeat(22), 5)).toBe(false)
    await storage.deleteBoard(b.id)
    expect(await storage.getBoardKeys(b.id)).toBeUndefined()
  })

  it('gives boards from before links a fresh key per role when it upgrades the database', async () => {
    const { storage, dir } = open()
    await storage.createBoard(board('old'), new Uint8Array([0, 0]), newBoardKeys())
    await storage.createBoard(board('older'), new Uint8Array([0, 0]), newBoardKeys())
    await storage.close()
    // Back to the version-1 layout: only the tables version 1 had.
    const db = new Database(path.join(dir, DATABASE_FILE))
    const v1 = new Set(['boards', 'snapshots', 'updates', 'assets', 'schema_version', 'sqlite_sequence'])
    for (const { name } of db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all()) {
      if (!v1.has(name)) db.exec(`DROP TABLE ${name}`)
    }
    // ... and the columns later versions added to them.
    db.exec('DROP INDEX assets_created_at; ALTER TABLE assets DROP COLUMN size; ALTER TABLE boards DROP COLUMN assets_checked_at')
    db.exec('UPDATE schema_version SET version = 1')
    db.close()
    const { storage: upgraded } = open(dir)
    const [a, b] = [await upgraded.getBoardKeys(board('old').id), await upgraded.getBoardKeys(board('older').id)]
    const all = [...Object.values(a!), ...Object.values(b!)]
    expect(Object.keys(a!).sort()).toEqual(['facilitator', 'interpreter', 'participant', 'viewer'])
    expect(all.every(isBoardKey)).toBe(true)
    expect(new Set(all).size).toBe(8)
  })

  it('keeps a server secret once created, across reopening, whatever later calls offer', async () => {
    const { storage, dir } = open()
    const first = await storage.serverSecret('voters', new Uint8Array([1, 2, 3]), 1)
    expect([...first]).toEqual([1, 2, 3])
    expect([...(await storage.serverSecret('voters', new Uint8Array([9]), 2))]).toEqual([1, 2, 3])
    expect([...(await storage.serverSecret('other', new Uint8Array([7]), 2))]).toEqual([7])
    await storage.close()
    const { storage: reopened } = open(dir)
    expect([...(await reopened.serverSecret('voters', new Uint8Array([4]), 3))]).toEqual([1, 2, 3])
  })

  it('stores an image only while the board stays within its quota, checked in the same transaction', async () => {
    const { storage } = open()
    const b = board('quota')
    await storage.createBoard(b, new Uint8Array([0, 0]), newBoardKeys())
    const image = (n: number, bytes: number) => ({ id: `img${n}`.padEnd(22, 'x'), boardId: b.id, mimeType: 'image/png', data: new Uint8Array(bytes), createdAt: n })
    expect(await storage.putAsset(image(1, 40), { maxCount: 3, maxBytes: 100 })).toBe('stored')
    expect(await storage.putAsset(image(2, 40), { maxCount: 3, maxBytes: 100 })).toBe('stored')
    expect(await storage.putAsset(image(3, 40), { maxCount: 3, maxBytes: 100 })).toBe('full') // 120 bytes
    expect(await storage.putAsset(image(4, 20), { maxCount: 3, maxBytes: 100 })).toBe('stored')
    expect(await storage.putAsset(image(5, 1), { maxCount: 3, maxBytes: 0 })).toBe('full') // a fourth image
    expect(await storage.putAsset(image(6, 1))).toBe('stored') // no quota
    expect(await storage.assetUsage(b.id)).toEqual({ count: 4, bytes: 101 })
    expect(await storage.getAsset(image(3, 0).id)).toBeUndefined()
  })

  it('finds boards whose images are worth checking, and deletes only the board\'s own images', async () => {
    const { storage } = open()
    const GRACE = 100
    const a = board('checkA', 10)
    const b = board('checkB', 10)
    for (const x of [a, b]) await storage.createBoard(x, new Uint8Array([0, 0]), newBoardKeys())
    const put = (boardId: string, n: number, createdAt: number) =>
      storage.putAsset({ id: `${boardId.slice(0, 6)}${n}`.padEnd(22, 'y'), boardId, mimeType: 'image/png', data: new Uint8Array(3), createdAt })
    await put(a.id, 1, 50)
    await put(a.id, 2, 180)
    await put(b.id, 1, 190)
    // At 200 only a's first image is old enough (uploaded before 200 - GRACE).
    expect(await storage.boardsWithAssetsToCheck(200 - GRACE, GRACE, 10)).toEqual([a.id])
    expect(await storage.assetIdsBefore(a.id, 200 - GRACE)).toEqual([`${a.id.slice(0, 6)}1`.padEnd(22, 'y')])
    await storage.markAssetsChecked(a.id, 200)
    // Unchanged since the check and nothing new crossed the cutoff: not again.
    expect(await storage.boardsWithAssetsToCheck(200 - GRACE, GRACE, 10)).toEqual([])
    // Later, a's second image and b's image have become old enough.
    expect((await storage.boardsWithAssetsToCheck(300 - GRACE, GRACE, 10)).sort()).toEqual([a.id, b.id].sort())
    await storage.markAssetsChecked(a.id, 300)
    await storage.markAssetsChecked(b.id, 300)
    expect(await storage.boardsWithAssetsToCheck(300 - GRACE, GRACE, 10)).toEqual([])
    // A change to the board (a reference may have gone) makes it worth a look again.
    await storage.appendUpdate(b.id, update('edit'), 310)
    expect(await storage.boardsWithAssetsToCheck(320 - GRACE, GRACE, 10)).toEqual([b.id])
    // Deleting names the board: another board's image is never touched.
    expect(await storage.deleteAssets(b.id, [`${a.id.slice(0, 6)}1`.padEnd(22, 'y'), `${b.id.slice(0, 6)}1`.padEnd(22, 'y')])).toBe(1)
    expect(await storage.assetUsage(a.id)).toEqual({ count: 2, bytes: 6 })
    expect(await storage.assetUsage(b.id)).toEqual({ count: 0, bytes: 0 })
  })

  it('gives images stored before quotas their size when it upgrades the database', async () => {
    const { storage, dir } = open()
    const b = board('sized')
    await storage.createBoard(b, new Uint8Array([0, 0]), newBoardKeys())
    await storage.putAsset({ id: 'old'.padEnd(22, 'z'), boardId: b.id, mimeType: 'image/png', data: new Uint8Array(1234), createdAt: 1 })
    await storage.close()
    const db = new Database(path.join(dir, DATABASE_FILE))
    db.exec('DROP INDEX assets_created_at; ALTER TABLE assets DROP COLUMN size; ALTER TABLE boards DROP COLUMN assets_checked_at')
    db.exec('UPDATE schema_version SET version = 6')
    db.close()
    const { storage: upgraded } = open(dir)
    expect(await upgraded.assetUsage(b.id)).toEqual({ count: 1, bytes: 1234 })
    expect(await upgraded.boardsWithAssetsToCheck(10, 5, 10)).toEqual([b.id])
  })

  it('refuses a database written by a newer server', async () => {
    const { storage, dir } = open()
    await storage.close()
    const db = new Database(path.join(dir, DATABASE_FILE))
    db.prepare('UPDATE schema_version SET version = 999').run()
    db.close()
    expect(() => openSqliteStorage(dir, { synchronous: 'NORMAL' })).toThrow(/newer than this server/)
  })
})
