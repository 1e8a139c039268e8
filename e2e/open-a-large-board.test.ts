/**
 * User story: after a long session a board holds hundreds of notes of every
 * kind (short, long, empty, large, scaled, aligned every way). Someone who
 * opens it later gets every note, the notes far from where they look show
 * their text as soon as they go there, and they can start editing one at once. The
 * page gets there quickly because it neither measures every note's text nor
 * renders the notes off screen up front; this story guards that those
 * shortcuts change nothing a person could notice: each note has exactly the
 * shape tldraw gives it.
 *
 * Their browser has never had the board, so it fetches it compressed over
 * HTTP first; the websocket, which is not compressed, then only brings the
 * small difference (on a 1 Mbit/s line the board arrives 4-6 times sooner).
 */
import type { Browser } from 'playwright-core'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../shared/documentLayout'
import { boardLink, connectClient, createBoard, startServer, waitFor, type CreatedBoard } from '../server/test-utils/startServer'
import { eventually, noteTexts, waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'
import { leave, withEditor, type Server } from './support/people'

const NOTES = 600
const COLUMNS = 30
const SPACING = 450

describe('opening a board with hundreds of notes', () => {
  let server: Server
  let browser: Browser
  let board: CreatedBoard
  let ana: Person
  let bram: Person
  /** Size of the board as one uncompressed Yjs update. */
  let documentBytes = 0
  /** What Bram's first visit received. */
  const received = { websocketBytes: 0, documentEncoding: undefined as string | undefined, documentTransferBytes: 0 }

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    board = await createBoard(server.url, 'Long retro')
    ana = await openPerson(browser, server.url, { name: 'Ana' })
    await ana.page.goto(boardLink(server.url, board))
    await waitForBoard(ana.page)
    // Ana's editor makes the notes, so each one is sized by tldraw as if she had typed it.
    await withEditor(
      ana.page,
      `const texts = ['', 'Short', 'A somewhat longer note that wraps over a few lines of the note',
         'Antidisestablishmentarianism-Supercalifragilistic', 'Many words that keep going. '.repeat(12)]
       const pick = (list, i) => list[i % list.length]
       const shapes = []
       for (let i = 0; i < arg.notes; i++) {
         const text = pick(texts, i)
         shapes.push({
           type: 'note',
           x: (i % arg.columns) * arg.spacing,
           y: Math.floor(i / arg.columns) * arg.spacing,
           props: {
             richText: { type: 'doc', content: text ? [{ type: 'paragraph', content: [{ type: 'text', text }] }] : [{ type: 'paragraph' }] },
             size: pick(['s', 'm', 'l', 'xl'], Math.floor(i / 5)),
             font: pick(['draw', 'sans', 'serif', 'mono'], Math.floor(i / 3)),
             align: pick(['start', 'middle', 'end'], Math.floor(i / 7)),
             verticalAlign: pick(['start', 'middle', 'end'], Math.floor(i / 11)),
             scale: pick([1, 1, 2, 0.5], Math.floor(i / 13)),
           },
         })
       }
       editor.createShapes(shapes)`,
      { notes: NOTES, columns: COLUMNS, spacing: SPACING },
    )
    // Wait until the server holds them all before Bram comes.
    const checker = connectClient(server.wsUrl, board.id)
    await checker.synced
    const countNotes = () => [...getRecordsMap(checker.doc).values()].filter((r) => r instanceof Y.Map && r.get('type') === 'note').length
    await waitFor(() => countNotes() === NOTES, `${NOTES} notes on the server`, 30_000)
    documentBytes = Y.encodeStateAsUpdate(checker.doc).byteLength
    checker.destroy()
    bram = await openPerson(browser, server.url, { name: 'Bram' })
    bram.page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => {
        received.websocketBytes += typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength
      })
    })
    bram.page.on('response', async (response) => {
      if (!new URL(response.url()).pathname.endsWith('/document')) return
      received.documentEncoding = (await response.allHeaders())['content-encoding']
      received.documentTransferBytes = (await response.request().sizes()).responseBodySize
    })
    await bram.page.goto(boardLink(server.url, board))
    await waitForBoard(bram.page)
  })

  afterAll(async () => {
    await leave(browser, server, [ana, bram])
  })

  it('gives the newcomer every note, each with exactly the shape tldraw gives it', async () => {
    const texts = await eventually(() => noteTexts(bram.page), (t) => t.length === NOTES)
    expect(texts.length).toBe(NOTES)
    const result = await withEditor<{ measuredOnLoad: number; mismatches: string[]; checked: number }>(
      bram.page,
      `const notes = editor.getCurrentPageShapes().filter((s) => s.type === 'note')
       const labelOf = (g) => g.children.find((c) => c.isLabel)
       // First only look: which labels did opening the board measure?
       const measuredOnLoad = notes.filter((s) => labelOf(editor.getShapeGeometry(s)).isBuilt).length
       const util = editor.getShapeUtil('note')
       const box = (b) => [b.x, b.y, b.w, b.h].map((n) => Math.round(n * 1000) / 1000).join(',')
       const mismatches = []
       for (const s of notes) {
         const ours = editor.getShapeGeometry(s)
         const stock = util.stockGeometry(s)
         if (box(ours.bounds) !== box(stock.bounds)) mismatches.push(s.id + ' bounds ' + box(ours.bounds) + ' vs ' + box(stock.bounds))
         if (box(labelOf(ours).bounds) !== box(labelOf(stock).bounds)) mismatches.push(s.id + ' label ' + box(labelOf(ours).bounds) + ' vs ' + box(labelOf(stock).bounds))
         if (ours.getSvgPathData(true) !== stock.getSvgPathData(true)) mismatches.push(s.id + ' outline')
       }
       return { measuredOnLoad, mismatches, checked: notes.length }`,
    )
    expect(result.checked).toBe(NOTES)
    expect(result.mismatches).toEqual([])
    // Only what the pointer touched, if anything, was measured while the board opened.
    expect(result.measuredOnLoad).toBeLessThan(5)
  })

  it('sends the newcomer the board compressed over HTTP, the websocket bringing only a small part of it', async () => {
    // Chromium may offer brotli only over https; gzip is just as fine here.
    expect(['br', 'gzip']).toContain(received.documentEncoding)
    expect(received.documentTransferBytes).toBeGreaterThan(0)
    expect(received.documentTransferBytes).toBeLessThan(documentBytes / 2)
    expect(received.websocketBytes).toBeLessThan(documentBytes * 0.2)
  })

  it('carries an edit the newcomer makes right after opening to the others', async () => {
    await withEditor(
      bram.page,
      `editor.createShapes([{ type: 'note', x: -2000, y: -2000, props: { richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Bram was here' }] }] } } }])`,
    )
    const texts = await eventually(() => noteTexts(ana.page), (t) => t.includes('Bram was here'))
    expect(texts).toContain('Bram was here')
    expect(texts.length).toBe(NOTES + 1)
  })

  it('shows a far-away note with its text once the newcomer goes there, and lets them start editing it', async () => {
    const last = await withEditor<{ id: string; x: number; y: number }>(
      bram.page,
      `const notes = editor.getCurrentPageShapes().filter((s) => s.type === 'note')
       const far = notes.reduce((a, b) => (b.x + b.y > a.x + a.y ? b : a))
       return { id: far.id, x: far.x, y: far.y }`,
    )
    const label = bram.page.locator(`.tl-shape[data-shape-id="${last.id}"] .tl-rich-text`)
    // Off screen it has not been drawn at all (tldraw would only hide it).
    expect(await label.count()).toBe(0)
    // Go there at 100%, as by panning.
    await withEditor(
      bram.page,
      `const c = editor.getShapePageBounds(arg).center
       const screen = editor.getViewportScreenBounds()
       editor.setCamera({ x: screen.w / 2 - c.x, y: screen.h / 2 - c.y, z: 1 })`,
      last.id,
    )
    await label.first().waitFor({ state: 'visible', timeout: 10_000 })
    const expected = await withEditor<string>(bram.page, `return editor.getShapeUtil('note').getText(editor.getShape(arg))`, last.id)
    expect((await label.first().innerText()).replace(/\s+/g, ' ').trim()).toBe(expected.replace(/\s+/g, ' ').trim())

    // Double-clicking its text starts editing it, as on any note; its label is measured then.
    const centre = await withEditor<{ x: number; y: number }>(
      bram.page,
      `const b = editor.getShapePageBounds(arg); return editor.pageToViewport(b.center)`,
      last.id,
    )
    await bram.page.mouse.dblclick(centre.x, centre.y)
    await bram.page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.isContentEditable === true)
    const editing = await withEditor<{ editing: string | null; focusedIn: string | undefined; labelMeasured: boolean }>(
      bram.page,
      `return {
         editing: editor.getEditingShapeId(),
         focusedIn: document.activeElement.closest('.tl-shape')?.dataset.shapeId,
         labelMeasured: editor.getShapeGeometry(arg).children.find((c) => c.isLabel).isBuilt,
       }`,
      last.id,
    )
    expect(editing).toEqual({ editing: last.id, focusedIn: last.id, labelMeasured: true })
    await bram.page.keyboard.press('Escape')
  })

  it('made no request to any host but its own', () => {
    for (const person of [ana, bram]) expect(person.foreignRequests).toEqual([])
  })
})
