/**
 * User story: a core group works on a board made from the Focus Sharpener. The
 * facilitator (app in Spanish, board in English) opens the template panel,
 * picks the Stakeholder Analysis from the gallery, chooses Dutch for its
 * texts and adds it. It lands beside the Focus Sharpener without covering
 * anything, the camera goes there, a participant sees it appear, and one
 * undo takes it away again for everyone. The gallery (home page and panel)
 * shows each template's miniature, purpose, time and group size in Spanish.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PREVIEW_PALETTE } from '../shared/templatePreview'
import type { TemplateSummary } from '../shared/templates'
import esUi from '../client/src/i18n/locales/es.json'
import { boardLink, createBoard, startServer, type CreatedBoard } from '../server/test-utils/startServer'
import stakeholdersNl from '../templates/stakeholder-analysis/texts.nl.json'
import focusEn from '../templates/focus-sharpener/texts.en.json'
import { addNote, eventually, waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>
type Box = { x: number; y: number; w: number; h: number }
type Placed = { id: string; type: string; parentId: string; template: unknown; name: string; bounds: Box }

/** Every shape on the current page with its page bounds, the template it came from and (frames) its name. */
function placed(person: Person): Promise<Placed[]> {
  return person.page.evaluate(() => {
    type Shape = { id: string; type: string; parentId: string; props: { name?: string }; meta: { template?: unknown } }
    const editor = (window as unknown as {
      __editor: { getCurrentPageShapes(): Shape[]; getShapePageBounds(id: string): { x: number; y: number; w: number; h: number } }
    }).__editor
    return editor.getCurrentPageShapes().map((shape) => {
      const b = editor.getShapePageBounds(shape.id)
      return {
        id: shape.id,
        type: shape.type,
        parentId: shape.parentId,
        template: shape.meta.template,
        name: shape.props.name ?? '',
        bounds: { x: b.x, y: b.y, w: b.w, h: b.h },
      }
    })
  })
}

function viewport(person: Person): Promise<Box> {
  return person.page.evaluate(() => {
    const b = (window as unknown as { __editor: { getViewportPageBounds(): Box } }).__editor.getViewportPageBounds()
    return { x: b.x, y: b.y, w: b.w, h: b.h }
  })
}

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
const contains = (outer: Box, inner: Box) =>
  inner.x >= outer.x - 1 && inner.y >= outer.y - 1 && inner.x + inner.w <= outer.x + outer.w + 1 && inner.y + inner.h <= outer.y + outer.h + 1
function union(boxes: Box[]): Box {
  const x = Math.min(...boxes.map((b) => b.x))
  const y = Math.min(...boxes.map((b) => b.y))
  return { x, y, w: Math.max(...boxes.map((b) => b.x + b.w)) - x, h: Math.max(...boxes.map((b) => b.y + b.h)) - y }
}

describe('adding a template to a board from the template panel', () => {
  let server: Server
  let browser: Browser
  let rosa: Person
  let wim: Person
  let board: CreatedBoard
  let before: Placed[]
  let templates: TemplateSummary[]

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    board = await createBoard(server.url, 'Water dialogue Tarija–Leuven', 'en', 'focus-sharpener')
    templates = (await (await fetch(`${server.url}/api/templates`)).json()) as TemplateSummary[]
    rosa = await openPerson(browser, server.url, { name: 'Rosa (Tarija)', language: 'es' })
    wim = await openPerson(browser, server.url, { name: 'Wim (Leuven)', language: 'nl' })
    // Rosa facilitates; Wim joins with the participants' link.
    await Promise.all([rosa.page.goto(boardLink(server.url, board, 'facilitator')), wim.page.goto(boardLink(server.url, board, 'participant'))])
    await Promise.all([waitForBoard(rosa.page), waitForBoard(wim.page)])
  })

  afterAll(async () => {
    for (const person of [rosa, wim]) if (person?.errors.length) console.log('browser errors:', person.errors.slice(0, 10))
    await browser?.close()
    await server?.stop()
  })

  it('opens on a board made from the Focus Sharpener, where Rosa adds a note of her own', async () => {
    const seeded = await placed(rosa)
    expect(seeded.filter((s) => s.type === 'frame').map((f) => f.name)).toContain(focusEn['topic.heading'])
    expect(seeded.every((s) => s.template === 'focus-sharpener')).toBe(true)
    // Her own edit comes before the insertion: undoing the insertion must leave it alone.
    await addNote(rosa.page, 640, 420, 'Agua limpia')
    before = await eventually(() => placed(rosa), (shapes) => shapes.length === seeded.length + 1)
    expect(before.filter((s) => s.type === 'note' && s.template === undefined)).toHaveLength(1)
  })

  it('shows the gallery in Spanish with a miniature per template, and the board language preselected', async () => {
    const { page } = rosa
    await page.getByTestId('open-template-panel').click()
    const panel = page.getByTestId('template-panel')
    await panel.waitFor({ state: 'visible' })
    const options = panel.locator('[data-testid="template-option"]')
    await options.first().waitFor()
    expect(await options.count()).toBe(templates.length)
    for (const template of templates) {
      const option = panel.locator(`[data-testid="template-option"][data-template-id="${template.id}"]`)
      const text = (await option.textContent()) ?? ''
      for (const value of Object.values(template.texts.es)) expect(text).toContain(value)
      const preview = option.getByTestId('template-preview')
      expect(Number(await preview.getAttribute('data-boxes'))).toBe(template.preview.boxes.length)
      expect(await preview.locator('[data-kind="frame"]').count()).toBe(template.preview.boxes.filter((b) => b.kind === 'frame').length)
    }
    expect(await panel.getByRole('heading').first().textContent()).toBe(esUi.templatePanel.title)
    // The texts go in the board's language unless the person chooses another.
    expect(await page.getByTestId('panel-language').inputValue()).toBe(board.language)
  })

  it('is a keyboard radio group: focus starts on the chosen template, arrow keys move the choice', async () => {
    const panel = rosa.page.getByTestId('template-panel')
    const radios = panel.getByRole('radio')
    expect(await radios.first().isChecked()).toBe(true)
    const focusedId = () => rosa.page.evaluate(() => document.activeElement?.closest('[data-template-id]')?.getAttribute('data-template-id'))
    expect(await eventually(focusedId, (id) => id === templates[0]!.id)).toBe(templates[0]!.id)
    await rosa.page.keyboard.press('ArrowDown')
    expect(await radios.nth(1).isChecked()).toBe(true)
    expect(await focusedId()).toBe(templates[1]!.id)
    // Its accessible name says what it is: name, purpose, time and group size.
    const name = await radios.nth(1).evaluate((el) => (el as HTMLInputElement).labels?.[0]?.textContent ?? '')
    expect(name).toContain(templates[1]!.texts.es.purpose)
  })

  it('adds the Stakeholder Analysis in Dutch beside the Focus Sharpener, overlapping nothing, and shows it', async () => {
    const { page } = rosa
    const panel = page.getByTestId('template-panel')
    await panel.locator('[data-testid="template-option"][data-template-id="stakeholder-analysis"]').click()
    await page.getByTestId('panel-language').selectOption('nl')
    await page.getByTestId('panel-insert').click()
    await panel.waitFor({ state: 'hidden' })

    const after = await eventually(
      () => placed(rosa),
      (shapes) => shapes.filter((s) => s.template === 'stakeholder-analysis' && s.type === 'frame').length === 2,
    )
    const added = after.filter((s) => s.template === 'stakeholder-analysis')
    const frames = added.filter((s) => s.type === 'frame')
    expect(frames.map((f) => f.name).sort()).toEqual([stakeholdersNl['grid.heading'], stakeholdersNl['participation.heading']].sort())
    // Nothing that was there moved or disappeared, and nothing new lies over it.
    expect(after.filter((s) => s.template !== 'stakeholder-analysis')).toEqual(before)
    const topLevel = added.filter((s) => s.parentId === 'page:page')
    for (const shape of topLevel) for (const old of before) expect(overlap(shape.bounds, old.bounds), `${shape.id} over ${old.id}`).toBe(false)
    // Beside it: to the right of the existing content.
    expect(union(topLevel.map((s) => s.bounds)).x).toBeGreaterThan(union(before.map((s) => s.bounds)).x + union(before.map((s) => s.bounds)).w)

    // The camera went to it: all of the new template is in view.
    const view = await eventually(() => viewport(rosa), (v) => contains(v, union(topLevel.map((s) => s.bounds))), 5_000)
    expect(contains(view, union(topLevel.map((s) => s.bounds)))).toBe(true)
    await page.getByTestId('toast').filter({ hasText: 'Análisis de actores' }).waitFor()
  })

  it('appears for the other person too', async () => {
    const mine = (await placed(rosa)).filter((s) => s.template === 'stakeholder-analysis')
    const theirs = await eventually(
      () => placed(wim),
      (shapes) => shapes.filter((s) => s.template === 'stakeholder-analysis').length === mine.length,
    )
    expect(theirs.filter((s) => s.template === 'stakeholder-analysis')).toEqual(mine)
    expect(theirs.filter((s) => s.type === 'frame' && s.template === 'stakeholder-analysis').map((f) => f.name).sort()).toEqual(
      [stakeholdersNl['grid.heading'], stakeholdersNl['participation.heading']].sort(),
    )
    // It is not in Wim's undo history: his Ctrl+Z (which his focused editor receives) does not take away what Rosa added.
    const focused = await wim.page.evaluate(() => {
      const editor = (window as unknown as { __editor: { focus(): void; getInstanceState(): { isFocused: boolean } } }).__editor
      editor.focus()
      return editor.getInstanceState().isFocused
    })
    expect(focused).toBe(true)
    await wim.page.keyboard.press('ControlOrMeta+z')
    await wim.page.waitForTimeout(500)
    expect((await placed(wim)).filter((s) => s.template === 'stakeholder-analysis')).toHaveLength(mine.length)
    expect((await placed(rosa)).filter((s) => s.template === 'stakeholder-analysis')).toHaveLength(mine.length)
  })

  it('is one undo step for the person who added it, and the undo reaches everyone', async () => {
    await rosa.page.keyboard.press('ControlOrMeta+z')
    const rosaAfter = await eventually(() => placed(rosa), (shapes) => !shapes.some((s) => s.template === 'stakeholder-analysis'))
    expect(rosaAfter.filter((s) => s.template === 'stakeholder-analysis')).toEqual([])
    // One step: the board is exactly as it was before (Rosa's own note included), not half-undone.
    expect(rosaAfter).toEqual(before)
    const wimAfter = await eventually(() => placed(wim), (shapes) => !shapes.some((s) => s.template === 'stakeholder-analysis'))
    expect(wimAfter.map((s) => s.id).sort()).toEqual(before.map((s) => s.id).sort())
  })

  it('keeps two templates added at the same moment apart, the same way on both screens', async () => {
    /** Adds a template through the panel, in the board's language. */
    const add = async (person: Person, id: string) => {
      await person.page.getByTestId('open-template-panel').click()
      const panel = person.page.getByTestId('template-panel')
      await panel.locator(`[data-testid="template-option"][data-template-id="${id}"]`).click()
      await person.page.getByTestId('panel-insert').click()
      await panel.waitFor({ state: 'hidden' })
    }
    const groups = async (person: Person) => {
      const shapes = (await placed(person)).filter((s) => s.parentId === 'page:page')
      const of = (template: string) => shapes.filter((s) => s.template === template).map((s) => s.bounds)
      return { rosa: of('ambition-setter'), wim: of('process-designer'), before: shapes.filter((s) => before.some((b) => b.id === s.id)).map((s) => s.bounds) }
    }
    // Wim's connection drops for a moment; meanwhile each adds a template beside what they can see.
    await wim.page.evaluate(() => (window as unknown as { __board: { provider: { disconnect(): void } } }).__board.provider.disconnect())
    await wim.page.locator('[data-testid="connection-status"]:not([data-status="online"])').waitFor()
    await add(wim, 'process-designer')
    await add(rosa, 'ambition-setter')
    const [rosaSees, wimSees] = [await groups(rosa), await groups(wim)]
    // Both chose the same spot: right of the Focus Sharpener and Rosa's note.
    expect(union(wimSees.wim).x).toBe(union(rosaSees.rosa).x)

    await wim.page.evaluate(() => (window as unknown as { __board: { provider: { connect(): void } } }).__board.provider.connect())
    const settled = (g: Awaited<ReturnType<typeof groups>>) =>
      g.rosa.length > 0 && g.wim.length > 0 && !overlap(union(g.rosa), union(g.wim)) && !g.before.some((b) => overlap(b, union(g.rosa)) || overlap(b, union(g.wim)))
    const onRosa = await eventually(() => groups(rosa), settled)
    const onWim = await eventually(() => groups(wim), (g) => settled(g) && JSON.stringify(g) === JSON.stringify(onRosa))
    expect(settled(onRosa)).toBe(true)
    // One of the two moved, and both screens show the same board.
    expect(onWim).toEqual(onRosa)
  })

  it('made no request to any host but its own', () => {
    expect(rosa.foreignRequests).toEqual([])
    expect(wim.foreignRequests).toEqual([])
  })
})

describe('the template gallery on the home page', () => {
  let server: Server
  let browser: Browser
  let lucia: Person

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    lucia = await openPerson(browser, server.url, { name: 'Lucía', language: 'es' })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('shows a miniature, the purpose, time and group size of every template in Spanish, also on a phone', async () => {
    const templates = (await (await fetch(`${server.url}/api/templates`)).json()) as TemplateSummary[]
    const { page } = lucia
    await page.setViewportSize({ width: 360, height: 740 })
    await page.goto(server.url)
    const gallery = page.getByTestId('create-template')
    await gallery.locator('[data-testid="template-option"]').nth(templates.length).waitFor() // blank + every template
    for (const template of templates) {
      const option = gallery.locator(`[data-testid="template-option"][data-template-id="${template.id}"]`)
      const text = (await option.textContent()) ?? ''
      for (const value of [template.texts.es.name, template.texts.es.purpose, template.texts.es.timeNeeded, template.texts.es.groupSize]) {
        expect(text).toContain(value)
      }
      const preview = option.getByTestId('template-preview')
      expect(await preview.locator('rect, ellipse').count()).toBe(template.preview.boxes.length)
      // Drawn in the template's own colours: each frame outlined, each area filled, as tldraw paints them.
      const frames = template.preview.boxes.filter((b) => b.kind === 'frame')
      expect(await preview.locator('[data-kind="frame"]').evaluateAll((els) => els.map((el) => el.getAttribute('stroke')))).toEqual(
        frames.map((f) => PREVIEW_PALETTE[f.color].solid),
      )
      const areas = template.preview.boxes.filter((b) => b.kind === 'area')
      expect(await preview.locator('[data-kind="area"]').evaluateAll((els) => els.map((el) => el.getAttribute('fill')))).toEqual(
        areas.map((a) => PREVIEW_PALETTE[a.color].semi),
      )
      const size = await preview.boundingBox()
      expect(size!.width).toBeGreaterThan(150)
    }
    // One column on a narrow screen: nothing sticks out sideways.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
    expect(await gallery.locator('legend').textContent()).toBe(esUi.home.createTemplateLabel)
  })

  it('opens the template panel on a phone too (button not hidden under the header, gallery in one column); viewers get no button', async () => {
    const { page } = lucia
    const board = await createBoard(server.url, 'Diálogo digital, sesión 2', 'es')
    await page.goto(boardLink(server.url, board, 'participant'))
    await waitForBoard(page)
    // Playwright refuses to click a button another element covers.
    await page.getByTestId('open-template-panel').click({ timeout: 5_000 })
    const options = page.getByTestId('template-panel').locator('[data-testid="template-option"]')
    await options.nth(1).waitFor()
    const [first, second] = [await options.nth(0).boundingBox(), await options.nth(1).boundingBox()]
    expect(second!.x).toBe(first!.x)
    expect(second!.y).toBeGreaterThan(first!.y)
    expect(first!.x + first!.width).toBeLessThanOrEqual(360)

    // Someone with the viewers' link can look, not add: no template button.
    await page.goto(boardLink(server.url, board, 'viewer'))
    await page.reload() // a new fragment alone does not reload the page
    await waitForBoard(page)
    await page.getByTestId('read-only').waitFor()
    expect(await page.getByTestId('open-template-panel').count()).toBe(0)
  })
})
