/**
 * User story: a facilitator in Tarija starts a Participation Radar board in
 * Spanish. She scores the radar with the mouse (clicking and dragging along
 * the axes); a colleague in Leuven, in another browser, scores it with the
 * keyboard. Both see the same median and the same number of people; each sees
 * only their own polygon highlighted. A reload keeps her scores; the export
 * draws the group's picture (not anyone's own); freezing the round shows it as
 * a ghost to both.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import es from '../client/src/i18n/locales/es.json'
import nl from '../client/src/i18n/locales/nl.json'
import { startServer } from '../server/test-utils/startServer'
import { boardLinkPath } from '../shared/access'
import { axisStats } from '../shared/radar'
import radarEs from '../templates/participation-radar/texts.es.json'
import { eventually, waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>

/** What a person's radar shows, read from the data attributes the radar exposes. */
interface RadarView {
  id: string
  respondents: number
  medians: (number | null)[]
  own: (number | null)[] | null
  ownHighlighted: boolean
  round: number
  ghostRound: number | null
  countText: string
}

function radarView(person: Person): Promise<RadarView | null> {
  return person.page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid="radar"]')
    if (!el) return null
    const own = el.querySelector('[data-radar-layer="own"]')
    return {
      id: el.dataset.shapeId ?? '',
      respondents: Number(el.dataset.respondents),
      medians: JSON.parse(el.dataset.medians ?? '[]') as (number | null)[],
      own: el.dataset.own ? (JSON.parse(el.dataset.own) as (number | null)[]) : null,
      ownHighlighted: Boolean(own),
      round: Number(el.dataset.round),
      ghostRound: el.dataset.ghostRound ? Number(el.dataset.ghostRound) : null,
      countText: el.querySelector('[data-testid="radar-respondents"]')?.textContent ?? '',
    }
  })
}

/** Brings the radar into view, large enough to aim at. */
async function showRadar(person: Person): Promise<void> {
  await person.page.evaluate(() => {
    type Box = { x: number; y: number; w: number; h: number }
    const editor = (window as unknown as {
      __editor: { getCurrentPageShapes(): { id: string; type: string }[]; getShapePageBounds(id: string): Box; zoomToBounds(b: Box, o: unknown): void }
    }).__editor
    const radar = editor.getCurrentPageShapes().find((s) => s.type === 'radar')!
    // Clear of tldraw's style panel (top right) and toolbar (bottom), as a person would pan it.
    editor.zoomToBounds(editor.getShapePageBounds(radar.id), { inset: 160, immediate: true })
  })
  await person.page.waitForTimeout(200)
}

/** Screen point of `score` on `axis`, computed from the drawn axis line (its end lies at 1.06 × the outer ring). */
function axisPoint(person: Person, axis: number, score: number): Promise<{ x: number; y: number }> {
  return person.page.evaluate(
    ({ axis, score }) => {
      const root = document.querySelector<HTMLElement>('[data-testid="radar"]')!
      const line = root.querySelector<SVGLineElement>(`[data-axis-hit="${axis}"]`)!
      const svg = line.ownerSVGElement!
      const max = Number(root.querySelector('[data-testid="radar-slider"]')!.getAttribute('aria-valuemax'))
      const f = score / max / 1.06
      const x = line.x1.baseVal.value + (line.x2.baseVal.value - line.x1.baseVal.value) * f
      const y = line.y1.baseVal.value + (line.y2.baseVal.value - line.y1.baseVal.value) * f
      const p = new DOMPoint(x, y).matrixTransform(svg.getScreenCTM()!)
      return { x: p.x, y: p.y }
    },
    { axis, score },
  )
}

describe('scoring the participation radar together', () => {
  let server: Server
  let browser: Browser
  let rosa: Person
  let bram: Person
  let boardUrl: string
  let viewerUrl: string
  // Rosa clicks four axes and drags on a fifth; Bram uses the keyboard on every axis.
  const rosaScores = [4, 2, 5, 3, 1, null, null, null]
  const bramScores = [2, 3, 4, 1, 5, 2, 3, 4]

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    rosa = await openPerson(browser, server.url, { name: 'Rosa (Tarija)', language: 'es' })
    bram = await openPerson(browser, server.url, { name: 'Bram (Leuven)', language: 'nl' })
  })

  afterAll(async () => {
    for (const person of [rosa, bram]) if (person?.errors.length) console.log('browser errors:', person.errors.slice(0, 10))
    await browser?.close()
    await server?.stop()
  })

  it('creates a Participation Radar board in Spanish from the home page', async () => {
    const { page } = rosa
    await page.goto(server.url)
    const option = page.locator('[data-testid="template-option"][data-template-id="participation-radar"]')
    await option.waitFor()
    expect(await option.textContent()).toContain(radarEs.name)
    await page.getByTestId('create-title').fill('Radar de participación Tarija – Gante')
    await page.getByTestId('create-language').selectOption('es')
    await option.click()
    await page.getByTestId('create-submit').click()
    await page.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/)
    await waitForBoard(page)
    // Rosa created it, so she facilitates; she shares the participant link with Bram.
    const boardId = new URL(page.url()).pathname.split('/').pop()!
    const keys = await page.evaluate((id) => {
      const known = JSON.parse(localStorage.getItem('ww.knownBoards') ?? '[]') as { id: string; role: string; keys: Record<string, string> }[]
      const board = known.find((b) => b.id === id)!
      return { role: board.role, participant: board.keys.participant, viewer: board.keys.viewer }
    }, boardId)
    expect(keys.role).toBe('facilitator')
    boardUrl = `${server.url}${boardLinkPath(boardId, keys.participant)}`
    viewerUrl = `${server.url}${boardLinkPath(boardId, keys.viewer)}`
    await page.locator('[data-testid="radar"]').waitFor({ state: 'attached' })
    const view = (await radarView(rosa))!
    expect(view).toMatchObject({ respondents: 0, own: Array(8).fill(null), ownHighlighted: false, round: 1 })
    const panel = await page.locator('[data-testid="radar"] .radar-panel').textContent()
    expect(panel).toContain(radarEs['radar.question'])
    expect(panel).toContain(es.radar.anonymous)
  })

  it('lets Rosa score by clicking and dragging along the axes', async () => {
    await showRadar(rosa)
    const { mouse } = rosa.page
    for (let axis = 0; axis < 4; axis++) {
      const p = await axisPoint(rosa, axis, rosaScores[axis]!)
      await mouse.click(p.x, p.y)
    }
    // Axis 4: press at 4, drag inwards to 1.
    const from = await axisPoint(rosa, 4, 4)
    const to = await axisPoint(rosa, 4, 1)
    await mouse.move(from.x, from.y)
    await mouse.down()
    for (let step = 1; step <= 8; step++) await mouse.move(from.x + ((to.x - from.x) * step) / 8, from.y + ((to.y - from.y) * step) / 8)
    await mouse.up()
    const view = await eventually(
      () => radarView(rosa),
      (v) => JSON.stringify(v?.own) === JSON.stringify(rosaScores),
    )
    expect(view!.own).toEqual(rosaScores)
    expect(view!.ownHighlighted).toBe(true)
    expect(view!.respondents).toBe(1)
    // Clicking the radar scores it; it does not select or move it (it is locked in the template).
    const selected = await rosa.page.evaluate(() => (window as unknown as { __editor: { getSelectedShapeIds(): string[] } }).__editor.getSelectedShapeIds())
    expect(selected).toEqual([])
  })

  it('lets Bram score with the keyboard in his own browser', async () => {
    await bram.page.goto(boardUrl)
    await waitForBoard(bram.page)
    await bram.page.locator('[data-testid="radar"]').waitFor({ state: 'attached' })
    await showRadar(bram)
    const sliders = bram.page.locator('[data-testid="radar"] [data-testid="radar-slider"]')
    expect(await sliders.count()).toBe(8)
    // Into the first axis's control, then on with Tab, as a keyboard user moves.
    await sliders.first().focus()
    for (let axis = 0; axis < 8; axis++) {
      if (axis > 0) await bram.page.keyboard.press('Tab')
      expect(await bram.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.axis)).toBe(String(axis))
      // From "not scored", each ArrowRight adds one; one step too far and back, as people do.
      for (let i = 0; i <= bramScores[axis]; i++) await bram.page.keyboard.press('ArrowRight')
      if (bramScores[axis] < 5) await bram.page.keyboard.press('ArrowLeft')
      else await bram.page.keyboard.press('End')
    }
    const view = await eventually(
      () => radarView(bram),
      (v) => JSON.stringify(v?.own) === JSON.stringify(bramScores),
    )
    // Bram is a participant, so his page also holds his private document (private mode). It shares
    // the board's room name; it must not pick up the board (nor the board his private notes) in the page.
    const privateRecords = await bram.page.evaluate(() => {
      const privateDoc = (window as unknown as { __privateDoc?: { doc: { getMap(name: string): { size: number } } } }).__privateDoc
      return privateDoc ? privateDoc.doc.getMap('tl_records').size : -1
    })
    expect(privateRecords).toBe(0)
    expect(view!.own).toEqual(bramScores)
    expect(await sliders.nth(2).getAttribute('aria-valuenow')).toBe('4')
    // The arrow keys scored; they did not nudge anything on the board.
    const moved = await bram.page.evaluate(() => (window as unknown as { __editor: { getSelectedShapeIds(): string[] } }).__editor.getSelectedShapeIds())
    expect(moved).toEqual([])
  })

  it('shows both people the same median and count, each with only their own polygon', async () => {
    const medians = rosaScores.map((r, axis) => axisStats([r, bramScores[axis]].filter((v): v is number => v !== null)).median)
    const agree = (v: RadarView | null) => v?.respondents === 2 && JSON.stringify(v.medians) === JSON.stringify(medians)
    const [seenByRosa, seenByBram] = await Promise.all([eventually(() => radarView(rosa), agree), eventually(() => radarView(bram), agree)])
    expect(seenByRosa!.medians).toEqual(medians)
    expect(seenByBram!.medians).toEqual(medians)
    expect(seenByRosa!.respondents).toBe(2)
    expect(seenByBram!.respondents).toBe(2)
    expect(seenByRosa!.countText).toBe('2 personas puntuaron')
    expect(seenByBram!.countText).toBe('2 personen scoorden')
    // Each sees their own scores highlighted, never the other's.
    expect(seenByRosa!.own).toEqual(rosaScores)
    expect(seenByBram!.own).toEqual(bramScores)
    // Nor can the document link a score to whoever's cursor and name are on screen: the Yjs client id
    // each score was written under is none of the ids presence (awareness) is published under.
    const link = await bram.page.evaluate((id) => {
      type Item = { id: { client: number } }
      const board = (window as unknown as {
        __board: { doc: { getMap(name: string): { get(id: string): { get(field: string): { _map: Map<string, Item> } } } }; provider: { awareness: { getStates(): Map<number, unknown> } } }
      }).__board
      const meta = board.doc.getMap('tl_records').get(id).get('meta')
      const presence = new Set(board.provider.awareness.getStates().keys())
      const scores = [...meta._map.entries()].filter(([key]) => key.startsWith('score:'))
      return { presence: presence.size, scores: scores.length, linked: scores.filter(([, item]) => presence.has(item.id.client)).length }
    }, seenByRosa!.id)
    expect(link).toEqual({ presence: 2, scores: 2, linked: 0 })
    // Anonymous: nobody's name is in the radar's record.
    const meta = await rosa.page.evaluate((id) => JSON.stringify((window as unknown as { __editor: { getShape(id: string): { meta: unknown } } }).__editor.getShape(id)!.meta), seenByRosa!.id)
    expect(meta).not.toContain('Rosa')
    expect(meta).not.toContain('Bram')
  })

  it('shows a viewer the same picture, without letting her score', async () => {
    const vera = await openPerson(browser, server.url, { name: 'Vera (viewer)', language: 'en' })
    try {
      await vera.page.goto(viewerUrl)
      await waitForBoard(vera.page)
      await vera.page.locator('[data-testid="radar"]').waitFor({ state: 'attached' })
      const expected = (await radarView(rosa))!
      const seen = await eventually(() => radarView(vera), (v) => v?.respondents === 2)
      expect(seen!.medians).toEqual(expected.medians)
      expect(seen!.countText).toBe('2 people scored')
      await showRadar(vera)
      // No axis to click, and the keyboard controls say they are not available.
      expect(await vera.page.locator('[data-testid="radar"] [data-axis-hit]').count()).toBe(0)
      const slider = vera.page.locator('[data-testid="radar"] [data-testid="radar-slider"]').first()
      expect(await slider.getAttribute('aria-disabled')).toBe('true')
      await slider.focus()
      await vera.page.keyboard.press('ArrowRight')
      await vera.page.waitForTimeout(300)
      expect((await radarView(vera))!.respondents).toBe(2)
      expect((await radarView(rosa))!.respondents).toBe(2)
      expect(vera.foreignRequests).toEqual([])
    } finally {
      await vera.context.close()
    }
  })

  it("keeps Rosa's scores, highlighted as hers, after a reload", async () => {
    await rosa.page.reload()
    await waitForBoard(rosa.page)
    await rosa.page.locator('[data-testid="radar"]').waitFor({ state: 'attached' })
    const view = await eventually(
      () => radarView(rosa),
      (v) => v?.respondents === 2 && JSON.stringify(v.own) === JSON.stringify(rosaScores),
    )
    expect(view!.own).toEqual(rosaScores)
    expect(view!.ownHighlighted).toBe(true)
  })

  it("exports the group's picture as SVG and PNG, without anyone's own polygon", async () => {
    const exported = await rosa.page.evaluate(async () => {
      type Editor = {
        getCurrentPageShapes(): { id: string; type: string }[]
        getSvgString(ids: string[]): Promise<{ svg: string } | undefined>
        toImage(ids: string[], opts: { format: 'png' }): Promise<{ blob: Blob; width: number; height: number }>
      }
      const editor = (window as unknown as { __editor: Editor }).__editor
      const id = editor.getCurrentPageShapes().find((s) => s.type === 'radar')!.id
      const svg = (await editor.getSvgString([id]))?.svg ?? ''
      const png = await editor.toImage([id], { format: 'png' })
      return { svg, pngBytes: png.blob.size, width: png.width }
    })
    expect(occurrences(exported.svg, 'data-radar-layer="median"')).toBe(1)
    expect(occurrences(exported.svg, 'data-radar-layer="spread"')).toBe(1)
    expect(occurrences(exported.svg, 'data-radar-layer="own"')).toBe(0)
    const text = exported.svg.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
    expect(text).toContain(radarEs['radar.question'])
    expect(text).toContain('2 personas puntuaron')
    // The numbers behind the picture: per axis its median and how many scored (axis 1: Rosa 4, Bram 2).
    expect(text).toContain('Eje 1: grupo 3 · 2 puntuaron')
    // The median polygon: a closed path through the eight axes.
    const median = /data-radar-layer="median"[^>]*>\s*<path d="([^"]+)"/.exec(exported.svg)?.[1] ?? ''
    expect(median.split(/[ML]/).filter((s) => s.trim()).length).toBe(8)
    expect(median.trim().endsWith('Z')).toBe(true)
    expect(exported.pngBytes).toBeGreaterThan(5_000)
    expect(exported.width).toBeGreaterThan(500)
  })

  it("does not wipe others' scores when the facilitator undoes moving the radar", async () => {
    type Editor = {
      getCurrentPageShapes(): { id: string; type: string; x: number; isLocked: boolean }[]
      toggleLock(ids: string[]): void
      nudgeShapes(ids: string[], offset: { x: number; y: number }): void
      undo(): void
    }
    const radarState = (person: Person) =>
      person.page.evaluate(() => {
        const radar = (window as unknown as { __editor: Editor }).__editor.getCurrentPageShapes().find((s) => s.type === 'radar')!
        return { id: radar.id, x: radar.x, isLocked: radar.isLocked }
      })
    const before = await radarState(rosa)
    // Rosa unlocks the radar and moves it a little (both undoable, as with Shift+L and the arrow keys)...
    await rosa.page.evaluate((id) => {
      const editor = (window as unknown as { __editor: Editor }).__editor
      editor.toggleLock([id])
      editor.nudgeShapes([id], { x: 40, y: 0 })
    }, before.id)
    expect((await radarState(rosa)).x).toBe(before.x + 40)
    // ...meanwhile Bram changes his score on the sixth axis...
    await bram.page.locator('[data-testid="radar"] [data-testid="radar-slider"]').nth(5).focus()
    await bram.page.keyboard.press('ArrowRight')
    bramScores[5] = bramScores[5] + 1
    // Rosa left that axis unscored, so the group's median there is Bram's score.
    await eventually(() => radarView(rosa), (v) => v?.medians[5] === bramScores[5])
    // ...then Rosa undoes her move and her unlock.
    await rosa.page.evaluate(() => {
      const editor = (window as unknown as { __editor: Editor }).__editor
      editor.undo()
      editor.undo()
    })
    expect(await radarState(rosa)).toEqual(before)
    // Bram's new score survived the undo, on both screens.
    await rosa.page.waitForTimeout(500)
    const [a, b] = await Promise.all([radarView(rosa), radarView(bram)])
    expect(a!.medians[5]).toBe(bramScores[5])
    expect(b!.medians[5]).toBe(bramScores[5])
    expect(b!.own).toEqual(bramScores)
    expect(a!.respondents).toBe(2)
  })

  it('shows names only while the group turns them on, and removes them from the board when it turns them off', async () => {
    const metaOf = (person: Person) =>
      person.page.evaluate(() => {
        const editor = (window as unknown as { __editor: { getCurrentPageShapes(): { type: string; meta: unknown }[] } }).__editor
        return JSON.stringify(editor.getCurrentPageShapes().find((s) => s.type === 'radar')!.meta)
      })
    await showRadar(rosa)
    await rosa.page.locator('[data-testid="radar"] [data-testid="radar-tab-settings"]').click()
    // Only the facilitator can switch names on; the participant sees why not.
    await bram.page.locator('[data-testid="radar"] [data-testid="radar-tab-settings"]').click()
    expect(await bram.page.locator('[data-testid="radar"] [data-testid="radar-show-names"]').isDisabled()).toBe(true)
    await bram.page.locator('[data-testid="radar"] [data-testid="radar-tab-score"]').click()
    await rosa.page.locator('[data-testid="radar"] [data-testid="radar-show-names"]').check()
    // Each browser adds its own name next to its own scores.
    const named = await eventually(() => metaOf(bram), (meta) => meta.includes('Rosa (Tarija)') && meta.includes('Bram (Leuven)'))
    expect(named).toContain('Bram (Leuven)')
    const table = bram.page.locator('[data-testid="radar"] [data-testid="radar-names"]')
    await eventually(async () => (await table.textContent()) ?? '', (text) => text.includes('Rosa (Tarija)') && text.includes('Bram (Leuven)'))
    expect(await table.textContent()).toContain('Rosa (Tarija)')

    await rosa.page.locator('[data-testid="radar"] [data-testid="radar-show-names"]').uncheck()
    const anonymous = (meta: string) => !meta.includes('Rosa') && !meta.includes('Bram') && !meta.includes('"name:')
    expect(anonymous(await eventually(() => metaOf(bram), anonymous))).toBe(true)
    expect(anonymous(await eventually(() => metaOf(rosa), anonymous))).toBe(true)
    expect(await table.count()).toBe(0)
  })

  it('freezes the round: both see it as a ghost outline and scoring starts afresh', async () => {
    const { page } = rosa
    await showRadar(rosa)
    await page.locator('[data-testid="radar"] [data-testid="radar-tab-rounds"]').click()
    await page.locator('[data-testid="radar"] [data-testid="radar-round-label"]').fill('Taller de inicio')
    await page.locator('[data-testid="radar"] [data-testid="radar-freeze"]').click()
    await page.locator('[data-testid="radar"] [data-testid="radar-freeze-confirm"]').click()
    const fresh = (v: RadarView | null) => v?.round === 2 && v.ghostRound === 1 && v.respondents === 0
    const [a, b] = await Promise.all([eventually(() => radarView(rosa), fresh), eventually(() => radarView(bram), fresh)])
    expect(a).toMatchObject({ round: 2, ghostRound: 1, respondents: 0, ownHighlighted: false })
    expect(b).toMatchObject({ round: 2, ghostRound: 1, respondents: 0, ownHighlighted: false })
    expect(await bram.page.locator('[data-testid="radar"] [data-radar-layer="ghost"]').count()).toBe(1)
    expect(await bram.page.locator('[data-testid="radar"] .radar-legend').textContent()).toContain('Taller de inicio')
  })

  it('closes scoring for participants while the facilitator locks the radar for them', async () => {
    await rosa.page.evaluate(() => {
      type Editor = {
        getCurrentPageShapes(): { id: string; type: string }[]
        run(fn: () => void, opts: { ignoreShapeLock: boolean }): void
        updateShapes(partials: unknown[]): void
      }
      const editor = (window as unknown as { __editor: Editor }).__editor
      const radar = editor.getCurrentPageShapes().find((s) => s.type === 'radar')!
      // What the facilitator panel's "lock for participants" does.
      editor.run(() => editor.updateShapes([{ id: radar.id, type: 'radar', isLocked: true, meta: { facilitatorLock: true } }]), { ignoreShapeLock: true })
    })
    const panel = bram.page.locator('[data-testid="radar"] .radar-panel')
    await eventually(async () => (await panel.textContent()) ?? '', (text) => text.includes(nl.radar.lockedByFacilitator))
    expect(await panel.textContent()).toContain(nl.radar.lockedByFacilitator)
    const slider = bram.page.locator('[data-testid="radar"] [data-testid="radar-slider"]').first()
    expect(await slider.getAttribute('aria-disabled')).toBe('true')
    await slider.focus()
    await bram.page.keyboard.press('ArrowRight')
    // The facilitator still scores; Bram's key press did nothing.
    await showRadar(rosa)
    await rosa.page.locator('[data-testid="radar"] [data-testid="radar-tab-score"]').click()
    await rosa.page.locator('[data-testid="radar"] [data-testid="radar-slider"]').first().focus()
    await rosa.page.keyboard.press('End')
    const both = (v: RadarView | null) => v?.respondents === 1 && v.medians[0] === 5
    const [a, b] = await Promise.all([eventually(() => radarView(rosa), both), eventually(() => radarView(bram), both)])
    expect(a!.respondents).toBe(1)
    expect(b!.respondents).toBe(1)
    expect(b!.own).toEqual(Array(8).fill(null))
  })

  it('made no request to any host but its own', () => {
    expect(rosa.foreignRequests).toEqual([])
    expect(bram.foreignRequests).toEqual([])
  })
})

/** How often `literal` occurs in `text`. */
function occurrences(text: string, literal: string): number {
  return text.split(literal).length - 1
}
