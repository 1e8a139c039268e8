/**
 * User story: a facilitator in Tarija, with the app in Spanish, creates a board
 * from the Stakeholder Analysis template on the home page. The board opens with
 * the template's Spanish headings, and a participant who drags a locked frame
 * does not move it (while an example note can still be moved).
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import es from '../client/src/i18n/locales/es.json'
import { startServer } from '../server/test-utils/startServer'
import stakeholdersEs from '../templates/stakeholder-analysis/texts.es.json'
import { addNote, eventually, waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>
type ShapeInfo = { id: string; type: string; x: number; y: number; isLocked: boolean; text: string; meta: Record<string, unknown> }

/** Every shape on the page with its plain text (frames: their name), read through the editor. */
function shapes(person: Person): Promise<ShapeInfo[]> {
  return person.page.evaluate(() => {
    type Shape = { id: string; type: string; x: number; y: number; isLocked: boolean; props: { name?: string }; meta: Record<string, unknown> }
    const editor = (window as unknown as {
      __editor: { getCurrentPageShapes(): Shape[]; getShapeUtil(s: Shape): { getText?(s: Shape): string | undefined } }
    }).__editor
    return editor.getCurrentPageShapes().map((shape) => ({
      id: shape.id,
      type: shape.type,
      x: shape.x,
      y: shape.y,
      isLocked: shape.isLocked,
      meta: shape.meta,
      text: shape.type === 'frame' ? (shape.props.name ?? '') : (editor.getShapeUtil(shape).getText?.(shape) ?? ''),
    }))
  })
}

/** Screen point (browser page coordinates, as the mouse uses) of a shape's centre, after showing the shape. */
function screenCenter(person: Person, id: string): Promise<{ x: number; y: number }> {
  return person.page.evaluate((shapeId) => {
    type Box = { x: number; y: number; w: number; h: number; center: { x: number; y: number } }
    const editor = (window as unknown as {
      __editor: {
        getShapePageBounds(id: string): Box
        zoomToBounds(b: Box, opts: unknown): void
        pageToScreen(p: { x: number; y: number }): { x: number; y: number }
      }
    }).__editor
    const bounds = editor.getShapePageBounds(shapeId)
    editor.zoomToBounds(bounds, { inset: 120, immediate: true })
    return editor.pageToScreen(bounds.center)
  }, id)
}

/** Screen point on a frame's name label, just above its top-left corner: where people grab a frame to move it. */
function frameLabelPoint(person: Person, id: string): Promise<{ x: number; y: number }> {
  return person.page.evaluate((shapeId) => {
    type Box = { x: number; y: number; w: number; h: number; center: { x: number; y: number } }
    const editor = (window as unknown as {
      __editor: {
        getShapePageBounds(id: string): Box
        zoomToBounds(b: Box, opts: unknown): void
        pageToScreen(p: { x: number; y: number }): { x: number; y: number }
      }
    }).__editor
    const bounds = editor.getShapePageBounds(shapeId)
    editor.zoomToBounds(bounds, { inset: 120, immediate: true })
    const corner = editor.pageToScreen({ x: bounds.x, y: bounds.y })
    return { x: corner.x + 12, y: corner.y - 10 }
  }, id)
}

async function drag(person: Person, from: { x: number; y: number }, by: { x: number; y: number }): Promise<void> {
  const { mouse } = person.page
  await mouse.move(from.x, from.y)
  await mouse.down()
  for (let step = 1; step <= 10; step++) await mouse.move(from.x + (by.x * step) / 10, from.y + (by.y * step) / 10)
  await mouse.up()
}

describe('starting a board from a template', () => {
  let server: Server
  let browser: Browser
  let facilitator: Person

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    facilitator = await openPerson(browser, server.url, { name: 'Rosa', language: 'es' })
  })

  afterAll(async () => {
    if (facilitator?.errors.length) console.log('browser errors:', facilitator.errors.slice(0, 10))
    await browser?.close()
    await server?.stop()
  })

  it('creates a Stakeholder Analysis board in Spanish from the home page, with its Spanish headings', async () => {
    const { page } = facilitator
    await page.goto(server.url)
    const option = page.locator('[data-testid="template-option"][data-template-id="stakeholder-analysis"]')
    await option.waitFor()
    // The picker speaks the UI language: name, purpose, time and group size.
    const optionText = await option.textContent()
    for (const text of [stakeholdersEs.name, stakeholdersEs.purpose, stakeholdersEs.timeNeeded, stakeholdersEs.groupSize]) expect(optionText).toContain(text)
    expect(await page.getByTestId('create-template').textContent()).toContain(es.home.templateBlank)

    await page.getByTestId('create-title').fill('Actores del agua, Tarija')
    await page.getByTestId('create-language').selectOption('es')
    await option.click()
    await page.getByTestId('create-submit').click()
    await page.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/)
    await waitForBoard(page)

    const onBoard = await shapes(facilitator)
    const frames = onBoard.filter((s) => s.type === 'frame')
    expect(frames.map((f) => f.text).sort()).toEqual([stakeholdersEs['grid.heading'], stakeholdersEs['participation.heading']].sort())
    const texts = onBoard.map((s) => s.text).join('\n')
    for (const key of ['grid.intro', 'participation.coDecide.label', 'participation.coDecide.prompt', 'card.goal'] as const) {
      expect(texts).toContain(stakeholdersEs[key])
    }
    expect(frames.every((f) => f.isLocked)).toBe(true)
  })

  it('does not move a locked frame when someone drags it, while an example note still moves', async () => {
    const before = await shapes(facilitator)
    const frame = before.find((s) => s.type === 'frame' && s.meta.templateFrame === 'grid')!
    const note = before.find((s) => s.type === 'note')!

    // Grabbed inside (on its background) and by its name label, where an unlocked frame is moved.
    await drag(facilitator, await screenCenter(facilitator, frame.id), { x: 220, y: 160 })
    await facilitator.page.keyboard.press('Escape')
    await drag(facilitator, await frameLabelPoint(facilitator, frame.id), { x: 220, y: 160 })
    await facilitator.page.keyboard.press('Escape')
    await drag(facilitator, await screenCenter(facilitator, note.id), { x: -120, y: -90 })
    await facilitator.page.waitForTimeout(300)

    const after = await shapes(facilitator)
    const byId = new Map(after.map((s) => [s.id, s]))
    // The drag gesture itself works: the unlocked note moved...
    expect(byId.get(note.id)!.x).not.toBe(note.x)
    // ...but the frame and everything locked stayed exactly where it was.
    expect({ x: byId.get(frame.id)!.x, y: byId.get(frame.id)!.y }).toEqual({ x: frame.x, y: frame.y })
    for (const shape of before.filter((s) => s.isLocked)) expect({ id: shape.id, x: byId.get(shape.id)!.x, y: byId.get(shape.id)!.y }).toEqual({ id: shape.id, x: shape.x, y: shape.y })
  })

  it("keeps a participant's own note on a locked frame movable", async () => {
    const before = await shapes(facilitator)
    const area = before.find((s) => s.text.startsWith(stakeholdersEs['grid.watch.label']))!
    const at = await screenCenter(facilitator, area.id)
    await addNote(facilitator.page, at.x, at.y, 'Radio comunitaria')
    // Found by id, not by text: on a busy machine the first typed characters can land late.
    const known = new Set(before.map((s) => s.id))
    const added = await eventually(
      async () => (await shapes(facilitator)).filter((s) => s.type === 'note' && !known.has(s.id)),
      (notes) => notes.length === 1,
    )
    expect(added).toHaveLength(1)
    const mine = added[0]
    expect(mine.isLocked).toBe(false)

    await drag(facilitator, await screenCenter(facilitator, mine.id), { x: 100, y: 80 })
    await facilitator.page.waitForTimeout(300)
    const moved = (await shapes(facilitator)).find((s) => s.id === mine.id)!
    expect({ x: moved.x, y: moved.y }).not.toEqual({ x: mine.x, y: mine.y })
  })

  it('made no request to any host but its own', () => {
    expect(facilitator.foreignRequests).toEqual([])
  })
})
