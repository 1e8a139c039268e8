/**
 * User story: a facilitator in Brasschaat, with the app in Dutch, starts a
 * board from the SDG circle template (one core theme) in Dutch. The circle
 * shows the 17 goals in their official colours with their Dutch names; the
 * group writes its core theme in the centre although the circle is locked; the
 * board exports to SVG (and PNG) with the wheel in it. A partner in Tarija
 * sees the theme appear, with the goals named in Spanish, her own language.
 * A core group then opens
 * a ready digital-dialogue board in Spanish and finds its welcome, group and
 * harvest frames.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import nl from '../client/src/i18n/locales/nl.json'
import { SDGS } from '../shared/sdgs'
import { boardLink, createBoard, startServer } from '../server/test-utils/startServer'
import themeNl from '../templates/sdg-circle-theme/texts.nl.json'
import dialogueEs from '../templates/digital-dialogue/texts.es.json'
import dialogueTemplate from '../templates/digital-dialogue/template.json'
import { addNote, eventually, waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>
type Editor = {
  getCurrentPageShapes(): { id: string; type: string; isLocked: boolean; props: Record<string, unknown>; meta: Record<string, unknown> }[]
  getShapePageBounds(id: string): { x: number; y: number; w: number; h: number; center: { x: number; y: number } }
  zoomToBounds(bounds: unknown, opts: unknown): void
  pageToScreen(p: { x: number; y: number }): { x: number; y: number }
  getSvgString(ids: string[]): Promise<{ svg: string } | undefined>
  toImage(ids: string[], opts: unknown): Promise<{ blob: Blob }>
}

/** The SDG circle on the page, as the editor has it. */
function circle(person: Person) {
  return person.page.evaluate(() => {
    const editor = (window as unknown as { __editor: Editor }).__editor
    const shape = editor.getCurrentPageShapes().find((s) => s.type === 'sdg-circle')
    return shape ? { id: shape.id, isLocked: shape.isLocked, props: shape.props } : null
  })
}

/** Normalised hex colour (`#e5243b`) of an SVG fill attribute or computed style. */
function hex(color: string): string {
  const rgb = color.match(/rgb\((\d+),\s*(\d+),\s*(\d+)\)/)
  if (!rgb) return color.toLowerCase()
  return `#${rgb.slice(1).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`
}

describe('the SDG circle and the digital-dialogue board', () => {
  let server: Server
  let browser: Browser
  let facilitator: Person

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    facilitator = await openPerson(browser, server.url, { name: 'Els', language: 'nl' })
  })

  afterAll(async () => {
    if (facilitator?.errors.length) console.log('browser errors:', facilitator.errors.slice(0, 10))
    await browser?.close()
    await server?.stop()
  })

  it('creates an SDG circle board in Dutch whose wheel shows the 17 goals in their official colours and Dutch names', async () => {
    const { page } = facilitator
    await page.goto(server.url)
    const option = page.locator('[data-testid="template-option"][data-template-id="sdg-circle-theme"]')
    await option.waitFor()
    expect(await option.textContent()).toContain(themeNl.name)
    await page.getByTestId('create-title').fill('SDG-cirkel Brasschaat – Tarija')
    await page.getByTestId('create-language').selectOption('nl')
    await option.click()
    await page.getByTestId('create-submit').click()
    await page.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/)
    await waitForBoard(page)

    const shape = await circle(facilitator)
    expect(shape).not.toBeNull()
    expect(shape!.isLocked).toBe(true)
    expect(shape!.props).toMatchObject({ variant: 'theme', theme: themeNl['circle.theme'] })
    // A screen reader hears what it is, in Dutch, with the theme.
    const aria = await page.evaluate((id) => {
      const editor = (window as unknown as { __editor: { getShape(id: string): unknown; getShapeUtil(s: unknown): { getAriaDescriptor(s: unknown): string } } }).__editor
      const s = editor.getShape(id)
      return editor.getShapeUtil(s).getAriaDescriptor(s)
    }, shape!.id)
    expect(aria).toContain(nl.sdgCircle.variantTheme)
    expect(aria).toContain(themeNl['circle.theme'])
    await page.evaluate((id) => {
      const editor = (window as unknown as { __editor: Editor }).__editor
      editor.zoomToBounds(editor.getShapePageBounds(id), { inset: 40, immediate: true })
    }, shape!.id)

    // What is drawn on the canvas: one segment per goal with its official colour, and its Dutch name.
    const drawn = await eventually(
      () =>
        page.evaluate(() =>
          [...document.querySelectorAll('[data-sdg-circle] path[data-sdg]')].map((el) => ({
            sdg: Number(el.getAttribute('data-sdg')),
            fill: getComputedStyle(el).fill,
          })),
        ),
      (segments) => segments.length === 17,
    )
    expect(drawn.map((s) => s.sdg).sort((a, b) => a - b)).toEqual(SDGS.map((g) => g.number))
    for (const segment of drawn) expect(hex(segment.fill), `goal ${segment.sdg}`).toBe(SDGS[segment.sdg - 1].color.toLowerCase())
    const names = await page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('[data-sdg-circle] text[data-sdg-name]')].map((el) => [
          el.getAttribute('data-sdg-name'),
          [...el.querySelectorAll('tspan')].map((t) => t.textContent).join(' '),
        ]),
      ),
    )
    for (const goal of SDGS) expect(names[String(goal.number)], `goal ${goal.number}`).toBe(goal.name.nl)
    const bands = await page.evaluate(() =>
      [...document.querySelectorAll('[data-sdg-circle] [data-role="band"]')].map((el) => [...el.querySelectorAll('tspan')].map((t) => t.textContent).join(' ')),
    )
    expect(bands).toEqual([`+ ${nl.sdgCircle.positive}`, `− ${nl.sdgCircle.negative}`])
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/sdg-circle-theme.png` })
  })

  it('lets the group write its core theme in the centre of the locked circle', async () => {
    const { page } = facilitator
    const shape = (await circle(facilitator))!
    const shapeCount = () => page.evaluate(() => (window as unknown as { __editor: Editor }).__editor.getCurrentPageShapes().length)
    const before = await shapeCount()
    const centre = await page.evaluate((id) => {
      const editor = (window as unknown as { __editor: Editor }).__editor
      return editor.pageToScreen(editor.getShapePageBounds(id).center)
    }, shape.id)
    // While the camera moves, tldraw lays a hit-test blocker over the canvas; click once it rests, as a person would.
    await page.waitForFunction(() => (window as unknown as { __editor: { getCameraState(): string } }).__editor.getCameraState() === 'idle')
    await page.mouse.dblclick(centre.x, centre.y)
    const input = page.getByTestId('sdg-theme-input')
    await input.waitFor({ timeout: 5_000 })
    await input.fill('Regenwater opvangen in Tarija en Brasschaat')
    await page.keyboard.press('Enter')
    await input.waitFor({ state: 'detached' })

    const after = await eventually(
      () => circle(facilitator),
      (s) => s?.props.theme === 'Regenwater opvangen in Tarija en Brasschaat',
    )
    expect(after!.props.theme).toBe('Regenwater opvangen in Tarija en Brasschaat')
    // Still locked, still where it was; the double-click made no stray text shape.
    expect(after!.isLocked).toBe(true)
    expect(await shapeCount()).toBe(before)
    expect(await page.locator('[data-sdg-circle] [data-role="theme"]').textContent()).toContain('Regenwater')
  })

  it('lets a keyboard user reach the theme and write it with Enter', async () => {
    const { page } = facilitator
    await page.getByTestId('sdg-theme-target').focus()
    await page.keyboard.press('Enter')
    const input = page.getByTestId('sdg-theme-input')
    await input.waitFor({ timeout: 5_000 })
    expect(await input.inputValue()).toBe('Regenwater opvangen in Tarija en Brasschaat')
    // Escape leaves the theme as it was.
    await page.keyboard.press('Escape')
    await input.waitFor({ state: 'detached' })
    expect((await circle(facilitator))!.props.theme).toBe('Regenwater opvangen in Tarija en Brasschaat')
  })

  it("takes participants' notes on its rings, while a drag on the wheel does not move it", async () => {
    const { page } = facilitator
    const before = (await circle(facilitator))!
    const shapeIds = async () =>
      new Set(await page.evaluate(() => (window as unknown as { __editor: Editor }).__editor.getCurrentPageShapes().map((s) => s.id)))
    const known = await shapeIds()
    // The + ring of goal 6, where the group says the theme helps.
    const cell = await page.locator('[data-sdg-circle] [data-cell-key="band-positive-sdg-6"]').boundingBox()
    const at = { x: cell!.x + cell!.width / 2, y: cell!.y + cell!.height / 2 }
    await addNote(page, at.x, at.y, 'Minder droogte')
    const added = await eventually(
      async () => (await page.evaluate(() => (window as unknown as { __editor: Editor }).__editor.getCurrentPageShapes())).filter((s) => !known.has(s.id)),
      (shapes) => shapes.length === 1,
    )
    expect(added.map((s) => [s.type, s.isLocked])).toEqual([['note', false]])

    const position = () =>
      page.evaluate((id) => {
        const editor = (window as unknown as { __editor: Editor & { getShape(id: string): { x: number; y: number } } }).__editor
        const { x, y } = editor.getShape(id)
        return { x, y }
      }, before.id)
    const start = await position()
    const goal = await page.locator('[data-sdg-circle] [data-sdg="9"]').boundingBox()
    const from = { x: goal!.x + goal!.width / 2, y: goal!.y + goal!.height / 2 }
    await page.mouse.move(from.x, from.y)
    await page.mouse.down()
    for (let step = 1; step <= 10; step++) await page.mouse.move(from.x + step * 20, from.y + step * 12)
    await page.mouse.up()
    await page.keyboard.press('Escape')
    // The same gesture on the note moves it: the drag itself works.
    const note = await page.evaluate((id) => (window as unknown as { __editor: Editor }).__editor.getShapePageBounds(id), added[0].id)
    expect(await position()).toEqual(start)
    const noteAt = await page.evaluate((id) => {
      const editor = (window as unknown as { __editor: Editor }).__editor
      return editor.pageToScreen(editor.getShapePageBounds(id).center)
    }, added[0].id)
    await page.mouse.move(noteAt.x, noteAt.y)
    await page.mouse.down()
    for (let step = 1; step <= 10; step++) await page.mouse.move(noteAt.x + step * 8, noteAt.y + step * 6)
    await page.mouse.up()
    const moved = await eventually(
      () => page.evaluate((id) => (window as unknown as { __editor: Editor }).__editor.getShapePageBounds(id), added[0].id),
      (bounds) => bounds.x !== note.x,
    )
    expect(moved.x).not.toBe(note.x)
    expect(await position()).toEqual(start)
  })

  it('shows the theme live to a partner in Tarija, with the goal names in her own language', async () => {
    // The facilitator shares the participant link, as in the session's invitation.
    const { page } = facilitator
    await page.getByTestId('share').click()
    const boardUrl = await page.locator('[data-testid="share-link"][data-role="participant"]').getByTestId('share-url').inputValue()
    await page.getByTestId('share-close').click()
    const partner = await openPerson(browser, server.url, { name: 'Rosa', language: 'es' })
    try {
      await partner.page.goto(boardUrl)
      await waitForBoard(partner.page)
      const seen = await eventually(
        () => circle(partner),
        (s) => s?.props.theme === 'Regenwater opvangen in Tarija en Brasschaat',
      )
      expect(seen!.props.theme).toBe('Regenwater opvangen in Tarija en Brasschaat')
      await partner.page.evaluate((id) => {
        const editor = (window as unknown as { __editor: Editor }).__editor
        editor.zoomToBounds(editor.getShapePageBounds(id), { inset: 40, immediate: true })
      }, seen!.id)
      // Names follow the viewer's language (documented in SdgCircleShapeUtil): Spanish here, Dutch for Els.
      const names = await eventually(
        () => partner.page.evaluate(() => [...document.querySelectorAll('[data-sdg-circle] text[data-sdg-name="6"] tspan')].map((t) => t.textContent).join(' ')),
        (name) => name !== '',
      )
      expect(names).toBe(SDGS[5].name.es)
      expect(partner.foreignRequests).toEqual([])
    } finally {
      await partner.context.close()
    }
  })

  it('exports the board to SVG and PNG with the wheel, its official colours, Dutch names and theme', async () => {
    const { page } = facilitator
    const exported = await page.evaluate(async () => {
      const editor = (window as unknown as { __editor: Editor }).__editor
      const ids = editor.getCurrentPageShapes().map((s) => s.id)
      const svg = await editor.getSvgString(ids)
      const png = await editor.toImage(ids, { format: 'png', pixelRatio: 0.25 })
      return { svg: svg?.svg ?? '', pngBytes: png.blob.size, pngType: png.blob.type }
    })
    const svg = exported.svg
    for (const goal of SDGS) {
      expect(svg, `fill of goal ${goal.number}`).toMatch(new RegExp(`fill="${goal.color}"`, 'i'))
      // Names may be wrapped over several lines: every word is in the export.
      for (const word of goal.name.nl.split(' ')) expect(svg, `goal ${goal.number}`).toContain(word.replace('&', '&amp;'))
    }
    expect(svg).toContain('Regenwater')
    expect(svg).toContain(themeNl['circle.positive.label'])
    expect(exported.pngType).toBe('image/png')
    expect(exported.pngBytes).toBeGreaterThan(10_000)

    // The PNG of the circle alone, read back pixel by pixel: each goal's segment has its colour, the centre is white.
    const circleId = (await circle(facilitator))!.id
    const pixels = await page.evaluate(async (id) => {
      const editor = (window as unknown as { __editor: Editor & { getShape(id: string): { props: { w: number; h: number } } } }).__editor
      const { w, h } = editor.getShape(id).props
      const { blob } = await editor.toImage([id], { format: 'png', padding: 0, scale: 0.5, pixelRatio: 1 })
      const bitmap = await createImageBitmap(blob)
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height)
      const ctx = canvas.getContext('2d')!
      ctx.drawImage(bitmap, 0, 0)
      // Mirrors sdgCircleLayout: 30° gap at the top, 17 equal segments, goal ring between radius 240 and 560 of 1000.
      const at = (radius: number, degrees: number) => {
        const r = (radius / 1000) * (Math.min(w, h) / 2) * (bitmap.width / w)
        const a = (degrees * Math.PI) / 180
        const x = Math.round(bitmap.width / 2 + r * Math.sin(a))
        const y = Math.round(bitmap.height / 2 - r * Math.cos(a))
        const [red, green, blue] = ctx.getImageData(x, y, 1, 1).data
        return `#${[red, green, blue].map((n) => n.toString(16).padStart(2, '0')).join('')}`
      }
      const step = 330 / 17
      return {
        // Near the outer edge of the goal ring, clear of the number and name written on it.
        goals: Array.from({ length: 17 }, (_, i) => at(545, 15 + step * i + step * 0.15)),
        centre: at(120, 200),
      }
    }, circleId)
    SDGS.forEach((goal, i) => expect(pixels.goals[i], `goal ${goal.number} in the PNG`).toBe(goal.color.toLowerCase()))
    expect(pixels.centre).toBe('#ffffff')
  })

  it('can be resized by a facilitator who unlocks it, keeping its round shape', async () => {
    const { page } = facilitator
    const id = (await circle(facilitator))!.id
    const size = await page.evaluate((id) => {
      type Shape = { id: string; type: string; props: { w: number; h: number } }
      const editor = (window as unknown as {
        __editor: { getShape(id: string): Shape; updateShape(p: unknown): void; resizeShape(id: string, scale: { x: number; y: number }): void }
      }).__editor
      editor.updateShape({ id, type: 'sdg-circle', isLocked: false })
      editor.resizeShape(id, { x: 0.5, y: 0.5 })
      const { w, h } = editor.getShape(id).props
      editor.updateShape({ id, type: 'sdg-circle', isLocked: true })
      return { w, h }
    }, id)
    expect(size).toEqual({ w: 950, h: 950 })
  })

  it('opens a digital-dialogue board in Spanish with its welcome, group and harvest frames', async () => {
    const board = await createBoard(server.url, 'Diálogo digital 3', 'es', 'digital-dialogue')
    const { page } = facilitator
    await page.goto(boardLink(server.url, board, 'facilitator'))
    await waitForBoard(page)
    const frames = await page.evaluate(() =>
      (window as unknown as { __editor: Editor }).__editor
        .getCurrentPageShapes()
        .filter((s) => s.type === 'frame')
        .map((s) => ({ name: s.props.name as string, key: s.meta.templateFrame as string, isLocked: s.isLocked })),
    )
    const texts = dialogueEs as Record<string, string>
    const byKey = <T extends { key: string }>(list: T[]) => [...list].sort((a, b) => a.key.localeCompare(b.key))
    expect(byKey(frames).map((f) => [f.key, f.name])).toEqual(byKey(dialogueTemplate.frames).map((f) => [f.key, texts[f.heading]]))
    expect(frames.every((f) => f.isLocked)).toBe(true)
    // The frames are drawn: each one's heading is on screen once the camera shows it.
    await page.evaluate(() => {
      const editor = (window as unknown as { __editor: Editor & { zoomToFit(o: unknown): void } }).__editor
      editor.zoomToFit({ immediate: true })
    })
    for (const frame of frames) await page.locator('.tl-frame-heading', { hasText: frame.name }).first().waitFor({ timeout: 5_000 })
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: `${process.env.SCREENSHOT_DIR}/digital-dialogue.png` })
  })

  it('made no request to any host but its own', () => {
    expect(facilitator.foreignRequests).toEqual([])
  })
})
