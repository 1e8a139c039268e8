/**
 * User story (issue 6): a facilitator splits a Flemish–Bolivian dialogue
 * into mixed breakout groups. Each group gets its own copy of the exercise
 * frame and its people are taken there; then everyone comes back to the
 * plenary, where the groups' frames sit side by side.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { boardLink, createBoard, startServer, type CreatedBoard } from '../server/test-utils/startServer'
import { eventually, viewportCenter, waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'
import { leave, withEditor } from './support/people'

type Server = Awaited<ReturnType<typeof startServer>>


describe('mixed breakout groups and the plenary', () => {
  let server: Server
  let browser: Browser
  let board: CreatedBoard
  let facilitator: Person
  const participants: { person: Person; name: string; organisation: string }[] = []

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    board = await createBoard(server.url, 'Diálogo digital 2', 'es')
    facilitator = await openPerson(browser, server.url, { name: 'Fien', language: 'nl', organisation: 'VVSG' })
    for (const [name, language, organisation] of [
      ['Griet', 'nl', 'Stad Gent'],
      ['Gust', 'nl', 'Stad Gent'],
      ['Carmen', 'es', 'Cochabamba'],
      ['Celso', 'es', 'Cochabamba'],
    ] as const) {
      participants.push({ person: await openPerson(browser, server.url, { name, language, organisation }), name, organisation })
    }
    await facilitator.page.goto(boardLink(server.url, board, 'facilitator'))
    for (const { person } of participants) await person.page.goto(boardLink(server.url, board, 'participant'))
    await Promise.all([facilitator, ...participants.map((p) => p.person)].map((person) => waitForBoard(person.page)))
  })

  afterAll(async () => {
    await leave(browser, server, [facilitator, ...participants.map((p) => p.person)])
  })

  it('proposes mixed groups, copies the frame per group and takes each person to theirs', async () => {
    const { page } = facilitator
    await withEditor(page, `editor.createShape({ id: 'shape:exercise', type: 'frame', x: 0, y: 0, props: { w: 800, h: 500, name: 'Ejercicio' } }); editor.select('shape:exercise')`)
    // Everyone's profile has arrived.
    await eventually(() => page.locator('[data-testid="person-profile"]').count(), (n) => n >= 5)
    await page.getByTestId('breakout-count').fill('2')
    await page.getByTestId('breakout-rule').selectOption('mixed')
    await page.getByTestId('breakouts-propose').click()
    await page.getByTestId('breakout-proposal').waitFor()
    await page.getByTestId('breakouts-start').click()
    await page.getByTestId('breakouts-running').waitFor()

    // Two copies, named after the groups, right of the original.
    const frames = await withEditor<{ id: string; name: string; x: number; w: number; h: number; y: number }[]>(
      page,
      `return editor.getCurrentPageShapes().filter((s) => s.type === 'frame' && s.id !== 'shape:exercise').map((s) => ({ id: s.id, name: s.props.name, x: s.x, y: s.y, w: s.props.w, h: s.props.h })).sort((a, b) => a.x - b.x)`,
    )
    expect(frames.map((f) => f.name)).toEqual(['Ejercicio · Grupo 1', 'Ejercicio · Grupo 2'].map((n) => n.replace('Grupo', 'Groep')))
    expect(frames.every((f) => f.x >= 800)).toBe(true)

    // Each group has one person from each side of the partnership; each person is at their group's frame.
    const groupOf = new Map<string, string>()
    for (const { person, name } of participants) {
      const bar = person.page.getByTestId('breakout-bar')
      await bar.waitFor()
      groupOf.set(name, (await bar.getAttribute('data-group'))!)
    }
    for (const group of new Set(groupOf.values())) {
      const organisations = participants.filter((p) => groupOf.get(p.name) === group).map((p) => p.organisation)
      expect(organisations.sort()).toEqual(['Cochabamba', 'Stad Gent'])
    }
    for (const { person, name } of participants) {
      const frame = frames[Number(groupOf.get(name)!.replace(/\D/g, '')) - 1]
      const center = await eventually(() => viewportCenter(person), (c) => c.x > frame.x && c.x < frame.x + frame.w)
      expect(center.y).toBeGreaterThan(frame.y)
      expect(center.y).toBeLessThan(frame.y + frame.h)
    }
  })

  it('gives a late joiner a group, keeping the groups balanced', async () => {
    const late = await openPerson(browser, server.url, { name: 'Teresa', language: 'es', organisation: 'Tarija' })
    participants.push({ person: late, name: 'Teresa', organisation: 'Tarija' })
    await late.page.goto(boardLink(server.url, board, 'participant'))
    await waitForBoard(late.page)
    const bar = late.page.getByTestId('breakout-bar')
    await bar.waitFor({ timeout: 15_000 })
    const sizes = await facilitator.page.getByTestId('breakout-group').evaluateAll((groups) => groups.map((g) => Number(g.getAttribute('data-members'))))
    expect(sizes.sort()).toEqual([2, 3])
  })

  it('brings everyone back to the plenary, the groups side by side', async () => {
    await facilitator.page.getByTestId('breakouts-end').click()
    for (const { person } of participants) {
      await person.page.getByTestId('breakout-bar').waitFor({ state: 'detached' })
      // Both groups' frames are in view.
      const bounds = await eventually(
        () => withEditor<{ minX: number; maxX: number }>(person.page, `const b = editor.getViewportPageBounds(); return { minX: b.minX, maxX: b.maxX }`),
        (b) => b.minX < 1000 && b.maxX > 2400,
      )
      expect(bounds.maxX - bounds.minX).toBeGreaterThan(1600)
    }
  })
})
