/**
 * User story (issue 6): the core group prepared a two-step agenda with
 * instructions in Spanish and Dutch; during the session the facilitator
 * advances it. Each step takes everyone to its frame and starts its timer;
 * a Spanish-speaking and a Dutch-speaking participant each read the
 * instructions in their own language, with the times in their own zone.
 *
 * Second story: two facilitators of the core group prepare the agenda at the
 * same time, one of them offline; when she reconnects, both see both edits
 * and every step (the agenda merges step by step, shared/agenda.ts).
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, startServer, type CreatedBoard } from '../server/test-utils/startServer'
import { eventually, viewportCenter } from './support/board'
import { launchBrowser, type Person } from './support/browser'
import { arrive, leave, withEditor, type Server } from './support/people'

describe('an agenda run step by step', () => {
  let server: Server
  let browser: Browser
  let board: CreatedBoard
  let facilitator: Person
  let carmen: Person
  let griet: Person

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    board = await createBoard(server.url, 'Diálogo 3', 'es')
    ;[facilitator, carmen, griet] = await arrive(browser, server, board, [
      { name: 'Fien', language: 'en', role: 'facilitator' },
      { name: 'Carmen', language: 'es', role: 'participant' },
      { name: 'Griet', language: 'nl', role: 'participant' },
    ])
  })

  afterAll(async () => {
    await leave(browser, server, [facilitator, carmen, griet])
  })

  it('is prepared by the facilitator and read by everyone in their own language', async () => {
    const { page } = facilitator
    await withEditor(
      page,
      `editor.createShape({ id: 'shape:welcome', type: 'frame', x: 0, y: 0, props: { w: 600, h: 400, name: 'Welcome' } });
       editor.createShape({ id: 'shape:work', type: 'frame', x: 3000, y: 0, props: { w: 600, h: 400, name: 'Work' } });
       editor.select('shape:welcome')`,
    )
    await page.getByTestId('agenda-toggle').click()
    await page.getByTestId('agenda-add').click()
    let step = page.getByTestId('agenda-item').nth(0)
    await step.getByTestId('agenda-title').fill('Bienvenida')
    await step.getByTestId('agenda-minutes').fill('10')
    await step.getByTestId('agenda-instructions-es').fill('Preséntate en una nota.')
    await step.getByTestId('agenda-instructions-nl').fill('Stel jezelf voor op een notitie.')
    await withEditor(page, `editor.select('shape:work')`)
    await page.getByTestId('agenda-add').click()
    step = page.getByTestId('agenda-item').nth(1)
    await step.getByTestId('agenda-title').fill('Trabajo')
    await step.getByTestId('agenda-minutes').fill('25')
    await step.getByTestId('agenda-instructions-es').fill('Escriban ideas para el parque.')

    // Participants see the agenda (read only).
    await carmen.page.getByTestId('agenda-toggle').click()
    await eventually(() => carmen.page.getByTestId('agenda-item').count(), (n) => n === 2)
    expect(await carmen.page.getByTestId('agenda-add').count()).toBe(0)
  })

  it('takes everyone to each step, starts its timer, in each person\'s language', async () => {
    await facilitator.page.getByTestId('agenda-begin').click()
    for (const person of [carmen, griet]) {
      await person.page.getByTestId('agenda-step').waitFor()
      const center = await eventually(() => viewportCenter(person), (c) => c.x > 0 && c.x < 600)
      expect(center.y).toBeGreaterThan(0)
      const timer = person.page.getByTestId('session-timer')
      expect(Number(await eventually(() => timer.getAttribute('data-remaining-seconds'), (s) => Number(s) > 590))).toBeLessThanOrEqual(600)
    }
    expect(await carmen.page.getByTestId('agenda-instructions').textContent()).toBe('Preséntate en una nota.')
    expect(await griet.page.getByTestId('agenda-instructions').textContent()).toBe('Stel jezelf voor op een notitie.')
    // Times in each person's own clock: the step's start, formatted as a time.
    expect(await carmen.page.getByTestId('agenda-time').first().textContent()).toMatch(/\d{2}:\d{2}.\d{2}:\d{2}/)

    await facilitator.page.getByTestId('agenda-next').click()
    const center = await eventually(() => viewportCenter(carmen), (c) => c.x > 3000 && c.x < 3600)
    expect(center.x).toBeGreaterThan(3000)
    // Griet reads the Spanish text, marked as such, since nobody wrote it in Dutch.
    const text = await eventually(() => griet.page.getByTestId('agenda-instructions').textContent(), (t) => (t ?? '').includes('parque'))
    expect(text).toContain('Escriban ideas para el parque.')
    expect(await griet.page.getByTestId('agenda-instructions').getAttribute('lang')).toBe('es')
  })
})

/** The step titles this person's agenda panel shows, in order. */
function stepTitles(person: Person): Promise<string[]> {
  return person.page.locator('[data-testid="agenda-item"] .agenda-step__title').allTextContents()
}

describe('an agenda two facilitators prepare at once, one of them offline', () => {
  let server: Server
  let browser: Browser
  let board: CreatedBoard
  let fien: Person
  let tomas: Person

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    board = await createBoard(server.url, 'Diálogo 4', 'es')
    ;[fien, tomas] = await arrive(browser, server, board, [
      { name: 'Fien', language: 'en', role: 'facilitator' },
      { name: 'Tomás', language: 'es', role: 'facilitator' },
    ])
  })

  afterAll(async () => {
    await leave(browser, server, [fien, tomas])
  })

  it("keeps both facilitators' edits and every step once the offline one reconnects", async () => {
    await fien.page.getByTestId('agenda-toggle').click()
    await tomas.page.getByTestId('agenda-toggle').click()
    for (const [i, title] of ['Welcome', 'Groups'].entries()) {
      await fien.page.getByTestId('agenda-add').click()
      await fien.page.getByTestId('agenda-item').nth(i).getByTestId('agenda-title').fill(title)
    }
    expect(await eventually(() => stepTitles(tomas), (t) => t.join() === 'Welcome,Groups')).toEqual(['Welcome', 'Groups'])

    // Tomás loses the connection and keeps preparing: renames the second step, adds a third.
    await tomas.context.setOffline(true)
    await tomas.page.waitForSelector('[data-testid="connection-status"]:not([data-status="online"])', { timeout: 15_000 })
    const groups = tomas.page.getByTestId('agenda-item').nth(1)
    await groups.locator('summary').click()
    await groups.getByTestId('agenda-title').fill('Grupos mixtos')
    await tomas.page.getByTestId('agenda-add').click()
    await tomas.page.getByTestId('agenda-item').nth(2).getByTestId('agenda-title').fill('Cierre')
    // Meanwhile Fien, online, renames the first step.
    const welcome = fien.page.getByTestId('agenda-item').nth(0)
    await welcome.locator('summary').click()
    await welcome.getByTestId('agenda-title').fill('Bienvenida')
    await fien.page.waitForTimeout(1000)
    // Tomás really was offline: neither has the other's edit yet.
    expect(await stepTitles(tomas)).toEqual(['Welcome', 'Grupos mixtos', 'Cierre'])
    expect(await stepTitles(fien)).toEqual(['Bienvenida', 'Groups'])

    await tomas.context.setOffline(false)
    await tomas.page.waitForSelector('[data-testid="connection-status"][data-status="online"]', { timeout: 30_000 })
    const expected = ['Bienvenida', 'Grupos mixtos', 'Cierre']
    for (const person of [fien, tomas]) {
      expect(await eventually(() => stepTitles(person), (t) => t.join() === expected.join(), 20_000)).toEqual(expected)
    }
  })
})
