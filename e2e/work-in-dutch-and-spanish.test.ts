/**
 * User story: a participant in Cochabamba uses the app in Spanish, a colleague
 * in Leuven in Dutch. The picker switches every string of ours and tldraw's own
 * toolbar, and the choice is remembered by the browser.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import es from '../client/src/i18n/locales/es.json'
import nl from '../client/src/i18n/locales/nl.json'
import { boardLink, createBoard, startServer, type CreatedBoard } from '../server/test-utils/startServer'
import { waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>

// tldraw's own words for its select tool, from @tldraw/assets/translations.
const TLDRAW_SELECT = { nl: 'Selecteer', es: 'Seleccionar' } as const

describe('the app in Dutch and Spanish', () => {
  let server: Server
  let browser: Browser
  let person: Person
  let boardId: string
  let board: CreatedBoard

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    board = await createBoard(server.url, 'Diálogo', 'es')
    boardId = board.id
    person = await openPerson(browser, server.url, { name: 'Rosa', language: 'en' })
  })

  afterAll(async () => {
    if (person?.errors.length) console.log('browser errors:', person.errors.slice(0, 10))
    await browser?.close()
    await server?.stop()
  })

  for (const [language, strings] of [
    ['nl', nl],
    ['es', es],
  ] as const) {
    it(`switches the home page and the board, tldraw included, to ${language}`, async () => {
      const { page } = person
      await page.goto(server.url)
      await page.getByTestId('language-picker').first().selectOption(language)
      await page.getByRole('heading', { name: strings.home.title, exact: true }).waitFor({ timeout: 5_000 })
      expect(await page.getByTestId('create-submit').textContent()).toContain(strings.home.createSubmit)
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(language)

      await page.reload()
      await page.getByRole('heading', { name: strings.home.title, exact: true }).waitFor({ timeout: 5_000 })

      await page.goto(boardLink(server.url, board))
      await waitForBoard(page)
      const selectTool = page.locator('[data-testid="tools.select"]')
      await selectTool.waitFor()
      await expect
        .poll(async () => `${await selectTool.getAttribute('title')} ${await selectTool.getAttribute('aria-label')}`)
        .toContain(TLDRAW_SELECT[language])
    })
  }

  it('made no request to any host but its own', () => {
    expect(person.foreignRequests).toEqual([])
  })
})
