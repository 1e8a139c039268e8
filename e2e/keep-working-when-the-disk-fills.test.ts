/**
 * Operator story, seen from the browser: the server's disk fills up in the
 * middle of a workshop. Participants keep working and seeing each other, the
 * board tells them their work is not being saved right now, the notice goes
 * away when storage is back, and everything written meanwhile is stored.
 *
 * The real server and real SQLite run in this process with document writes
 * made to fail on demand, since a full disk cannot be arranged portably here.
 */
import fs from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, yMapToRecord } from '../shared/documentLayout'
import { openSqliteStorage } from '../server/src/storage/SqliteStorage'
import { startBreakableServer, type BreakableServer } from '../server/test-utils/breakableStorage'
import { boardLink, createBoard } from '../server/test-utils/startServer'
import { addNote, eventually, noteTexts, waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

describe('the disk fills up during a workshop', () => {
  let server: BreakableServer
  let url: string
  let browser: Browser
  let ana: Person
  let bram: Person
  let boardId: string

  beforeAll(async () => {
    server = await startBreakableServer()
    url = server.url
    const board = await createBoard(url, 'Disco lleno', 'es')
    boardId = board.id
    browser = await launchBrowser()
    ana = await openPerson(browser, url, { name: 'Ana', language: 'es' })
    bram = await openPerson(browser, url, { name: 'Bram', language: 'nl' })
    await Promise.all([ana.page.goto(boardLink(url, board)), bram.page.goto(boardLink(url, board))])
    await Promise.all([waitForBoard(ana.page), waitForBoard(bram.page)])
  })

  afterAll(async () => {
    await browser?.close()
    await server?.shutdown()
    fs.rmSync(server.dataDir, { recursive: true, force: true })
  })

  it('keeps people working, warns them, and stores it all once the disk is back', async () => {
    expect(await ana.page.getByTestId('storage-warning').count()).toBe(0)
    server.storage.broken = true
    await addNote(ana.page, 400, 300, 'Escrito con el disco lleno')

    // Bram still sees Ana's work, and both are told it is not saved right now.
    const seen = await eventually(() => noteTexts(bram.page), (texts) => texts.includes('Escrito con el disco lleno'))
    expect(seen).toContain('Escrito con el disco lleno')
    await ana.page.getByTestId('storage-warning').waitFor({ timeout: 10_000 })
    await bram.page.getByTestId('storage-warning').waitFor({ timeout: 10_000 })

    server.storage.broken = false
    await ana.page.getByTestId('storage-warning').waitFor({ state: 'detached', timeout: 30_000 })
    await bram.page.getByTestId('storage-warning').waitFor({ state: 'detached', timeout: 30_000 })

    // What was written while the disk was full is on disk now: read the database directly.
    await browser.close()
    await server.shutdown()
    const reopened = openSqliteStorage(server.dataDir, { synchronous: 'NORMAL' })
    try {
      const loaded = await reopened.loadDocument(boardId)
      if (!loaded) throw new Error('board is missing from storage')
      const doc = new Y.Doc()
      if (loaded.snapshot) Y.applyUpdate(doc, loaded.snapshot)
      for (const update of loaded.updates) Y.applyUpdate(doc, update)
      const texts = Array.from(getRecordsMap(doc).values())
        .map((record) => JSON.stringify(yMapToRecord(record)))
        .filter((json) => json.includes('"note"'))
      expect(texts.some((json) => json.includes('Escrito con el disco lleno'))).toBe(true)
    } finally {
      await reopened.close()
    }
  })
})
