/**
 * User story: two people on two continents open the same board; what one
 * writes, the other sees with its text, and sees who is writing it; the board
 * survives a reload; one loses the connection, keeps working, and their work
 * arrives when they are back. Nothing is fetched from any host but ours.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getRecordsMap, putRecord } from '../shared/documentLayout'
import { MessageType } from '../shared/protocol'
import { boardLink, connectClient, createBoard, startServer } from '../server/test-utils/startServer'
import { addNote, eventually, noteTexts, setCamera, viewportCenter, waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>

describe('two people collaborate on one board', () => {
  let server: Server
  let browser: Browser
  let ana: Person
  let bram: Person
  let boardUrl: string

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    const board = await createBoard(server.url, 'Diálogo digital 1', 'es')
    boardUrl = boardLink(server.url, board)
    ana = await openPerson(browser, server.url, { name: 'Ana (Cochabamba)', language: 'es' })
    bram = await openPerson(browser, server.url, { name: 'Bram (Leuven)', language: 'nl' })
    await Promise.all([ana.page.goto(boardUrl), bram.page.goto(boardUrl)])
    await Promise.all([waitForBoard(ana.page), waitForBoard(bram.page)])
  })

  afterAll(async () => {
    for (const person of [ana, bram]) {
      if (person?.errors.length) console.log('browser errors:', person.errors.slice(0, 10))
    }
    await browser?.close()
    await server?.stop()
  })

  it('shows a note typed by one person, with its text, to the other', async () => {
    await addNote(ana.page, 400, 300, 'Participación es co-decidir')
    const seen = await eventually(() => noteTexts(bram.page), (texts) => texts.includes('Participación es co-decidir'))
    expect(seen).toContain('Participación es co-decidir')
    const rendered = bram.page.locator('.tl-shape', { hasText: 'Participación es co-decidir' })
    await rendered.waitFor({ state: 'visible', timeout: 10_000 })
  })

  it("shows the first person's cursor with their name to the second", async () => {
    const nametag = bram.page.locator('.tl-nametag', { hasText: 'Ana (Cochabamba)' })
    // Cursors of idle collaborators fade; keep Ana's mouse moving while Bram looks.
    const deadline = Date.now() + 15_000
    let visible = false
    for (let step = 0; !visible && Date.now() < deadline; step++) {
      await ana.page.mouse.move(600 + (step % 10) * 7, 450 + (step % 5) * 5)
      visible = await nametag.isVisible()
      if (!visible) await bram.page.waitForTimeout(100)
    }
    expect(visible).toBe(true)
    await bram.page.locator('[data-testid="person"][data-name="Ana (Cochabamba)"]').waitFor({ timeout: 10_000 })
  })

  it("lets the second person follow the first person's view", async () => {
    const follow = bram.page.locator('[data-testid="person"][data-name="Ana (Cochabamba)"] [data-testid="follow"]')
    await follow.click()
    await setCamera(ana, { x: -2400, y: -1600, z: 1 })
    const target = await viewportCenter(ana)
    const distance = (c: { x: number; y: number }) => Math.hypot(c.x - target.x, c.y - target.y)
    const followed = await eventually(() => viewportCenter(bram), (c) => distance(c) < 50)
    expect(distance(followed)).toBeLessThan(50)

    // Unfollowing stops it: Ana moves again, Bram stays where he was.
    await follow.click()
    const bramBefore = await viewportCenter(bram)
    await setCamera(ana, { x: 0, y: 0, z: 1 })
    await bram.page.waitForTimeout(500)
    const bramAfter = await viewportCenter(bram)
    expect(Math.hypot(bramAfter.x - bramBefore.x, bramAfter.y - bramBefore.y)).toBeLessThan(1)
    await setCamera(bram, { x: 0, y: 0, z: 1 })
  })

  it('keeps the board after a reload', async () => {
    await bram.page.reload()
    await waitForBoard(bram.page)
    expect(await noteTexts(bram.page)).toContain('Participación es co-decidir')
  })

  it('keeps work done offline and delivers it on reconnect', async () => {
    await ana.context.setOffline(true)
    await ana.page.waitForSelector('[data-testid="connection-status"]:not([data-status="online"])', { timeout: 15_000 })
    await addNote(ana.page, 700, 300, 'Escrito sin conexión')
    await ana.page.waitForSelector('[data-testid="connection-status"]:not([data-pending="0"])', { timeout: 10_000 })
    // While Ana is offline, Bram must not have it: this proves the edit really waited.
    await bram.page.waitForTimeout(1000)
    expect(await noteTexts(bram.page)).not.toContain('Escrito sin conexión')

    await ana.context.setOffline(false)
    await ana.page.waitForSelector('[data-testid="connection-status"][data-status="online"][data-pending="0"]', {
      timeout: 30_000,
    })
    const seen = await eventually(() => noteTexts(bram.page), (texts) => texts.includes('Escrito sin conexión'), 20_000)
    expect(seen).toContain('Escrito sin conexión')
  })

  it('keeps offline work across a reload while still offline', async () => {
    await ana.context.setOffline(true)
    await ana.page.waitForSelector('[data-testid="connection-status"]:not([data-status="online"])', { timeout: 15_000 })
    await addNote(ana.page, 500, 550, 'Guardado en el navegador')
    await ana.page.reload()
    await ana.page.waitForFunction(() => Boolean((window as unknown as { __editor?: unknown }).__editor), null, {
      timeout: 30_000,
    })
    expect(await noteTexts(ana.page)).toContain('Guardado en el navegador')

    await ana.context.setOffline(false)
    const seen = await eventually(() => noteTexts(bram.page), (texts) => texts.includes('Guardado en el navegador'), 30_000)
    expect(seen).toContain('Guardado en el navegador')
  })

  it('undoes only your own changes', async () => {
    await addNote(ana.page, 300, 600, 'Deshacer esto')
    await addNote(bram.page, 900, 600, 'Dit blijft staan')
    await eventually(() => noteTexts(ana.page), (texts) => texts.includes('Dit blijft staan'))
    // Creating and typing a note are separate history steps; undo until Ana's own note is gone.
    for (let i = 0; i < 6 && (await noteTexts(ana.page)).includes('Deshacer esto'); i++) {
      await ana.page.keyboard.press('Control+z')
      await ana.page.waitForTimeout(150)
    }
    expect(await noteTexts(ana.page)).not.toContain('Deshacer esto')
    expect(await noteTexts(ana.page)).toContain('Dit blijft staan')
    const bramSees = await eventually(() => noteTexts(bram.page), (texts) => !texts.includes('Deshacer esto'))
    expect(bramSees).not.toContain('Deshacer esto')
    expect(bramSees).toContain('Dit blijft staan')
  })

  it('skips an invalid record sent by a misbehaving client and keeps everyone working', async () => {
    const boardId = new URL(boardUrl).pathname.split('/').pop() as string
    const rogue = await connectClient(server.wsUrl, boardId)
    await rogue.synced
    const records = getRecordsMap(rogue.doc)
    rogue.doc.transact(() => {
      putRecord(records, { id: 'shape:poison', typeName: 'shape', type: 'note', props: { color: 42 } })
      putRecord(records, { id: 'shape:orphan', typeName: 'shape', type: 'pizza', x: 'left', parentId: 'page:nowhere' })
    })
    // The honest people keep editing and keep seeing each other.
    await addNote(bram.page, 600, 150, 'Sigue funcionando')
    const seen = await eventually(() => noteTexts(ana.page), (texts) => texts.includes('Sigue funcionando'))
    expect(seen).toContain('Sigue funcionando')
    const ids = await ana.page.evaluate(() =>
      (window as unknown as { __editor: { getCurrentPageShapes(): { id: string }[] } }).__editor
        .getCurrentPageShapes()
        .map((shape) => shape.id),
    )
    expect(ids).not.toContain('shape:poison')
    expect(ids).not.toContain('shape:orphan')
    rogue.destroy()
  })

  it('uploads only its own presence while the others move their cursors', async () => {
    // A third person on a weak uplink: what she receives of the others' cursors must not go back up.
    const carmen = await openPerson(browser, server.url, { name: 'Carmen (Quetzaltenango)', language: 'es' })
    const presenceFrames = { sent: 0, received: 0 }
    const isPresence = (payload: string | Buffer) => typeof payload !== 'string' && payload[0] === MessageType.Awareness
    carmen.page.on('websocket', (socket) => {
      if (!socket.url().includes(boardId)) return
      socket.on('framesent', ({ payload }) => void (isPresence(payload) && presenceFrames.sent++))
      socket.on('framereceived', ({ payload }) => void (isPresence(payload) && presenceFrames.received++))
    })
    const boardId = new URL(boardUrl).pathname.split('/').pop() as string
    await carmen.page.goto(boardUrl)
    await waitForBoard(carmen.page)
    const movers = Array.from({ length: 3 }, () => connectClient(server.wsUrl, boardId))
    await Promise.all(movers.map((mover) => mover.synced))
    const sentBefore = presenceFrames.sent
    for (let tick = 0; tick < 40; tick++) {
      movers.forEach((mover, i) => mover.provider.awareness.setLocalStateField('cursor', { x: tick * 10, y: i * 100 }))
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    await carmen.page.waitForTimeout(300)
    movers.forEach((mover) => mover.destroy())
    // She received the others' moves (the stock provider would have sent each of them back) ...
    expect(presenceFrames.received).toBeGreaterThan(40)
    // ... and sent at most her own few updates (she did not move).
    expect(presenceFrames.sent - sentBefore).toBeLessThan(5)
    expect(carmen.errors).toEqual([])
    await carmen.context.close()
  })

  it('made no request to any host but its own', () => {
    expect(ana.foreignRequests).toEqual([])
    expect(bram.foreignRequests).toEqual([])
  })
})
