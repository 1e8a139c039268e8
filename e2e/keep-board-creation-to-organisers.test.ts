/**
 * User story: the IT person of a Flemish municipality runs the whiteboard on
 * the internet with BOARD_CREATION_CODE and gives the code to the organisers.
 * An organiser in Ghent (Dutch) sees the "Organisatorcode" field on the home
 * page, mistypes the code and is told so without losing the form, then creates
 * the board with the right code; next time the browser has the code ready. A
 * participant in Cochabamba opens the share link and never meets any code.
 * Someone guessing codes from another network is told to wait.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../client/src/i18n/locales/en.json'
import es from '../client/src/i18n/locales/es.json'
import nl from '../client/src/i18n/locales/nl.json'
import { bearer, startServer } from '../server/test-utils/startServer'
import { FAILURE_LIMIT } from '../server/src/access/creationCode'
import { waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>

const CODE = 'Gent-Cochabamba-2026'
const TITLE = 'Buurtdialoog Gent – Cochabamba'

describe('keeping board creation to organisers', () => {
  let server: Server
  let browser: Browser
  let organiser: Person
  let participant: Person
  let participantLink: string

  beforeAll(async () => {
    server = await startServer({ env: { BOARD_CREATION_CODE: CODE } })
    browser = await launchBrowser()
    organiser = await openPerson(browser, server.url, { name: 'Lien', language: 'nl' })
    participant = await openPerson(browser, server.url, { name: 'Rosa', language: 'es' })
  })

  afterAll(async () => {
    for (const person of [organiser, participant]) if (person?.errors.length) console.log('browser errors:', person.errors.slice(0, 10))
    await browser?.close()
    await server?.stop()
  })

  it('asks the organiser for the code, says so when it is wrong and keeps what was typed', async () => {
    const { page } = organiser
    await page.goto(server.url)
    const code = page.getByTestId('create-code')
    await code.waitFor({ timeout: 15_000 })
    expect(await code.getAttribute('type')).toBe('password')
    expect(await page.getByLabel(nl.home.creationCodeLabel).count()).toBe(1)
    expect(await page.locator('.creation-code').textContent()).toContain(nl.home.creationCodeHint)

    await page.getByTestId('create-title').fill(TITLE)
    await page.getByTestId('create-language').selectOption('es')
    await code.fill('Gent-Cochabamba-2025')
    await page.getByTestId('create-submit').click()
    await page.getByTestId('create-error').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('create-error').textContent()).toBe(nl.errors['creation-code-wrong'])
    // Nothing lost, nothing created, and the cursor is where the fix goes.
    expect(await page.getByTestId('create-title').inputValue()).toBe(TITLE)
    expect(await page.getByTestId('create-language').inputValue()).toBe('es')
    expect(await code.inputValue()).toBe('Gent-Cochabamba-2025')
    expect(await code.getAttribute('aria-invalid')).toBe('true')
    expect(await code.evaluate((input) => input === document.activeElement)).toBe(true)
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await page.getByTestId('board-item').count()).toBe(0)
  })

  it('creates and opens the board with the right code', async () => {
    const { page } = organiser
    await page.getByTestId('create-code').fill(CODE)
    await page.getByTestId('create-submit').click()
    await page.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/, { timeout: 15_000 })
    await waitForBoard(page)
    await expect(page.getByTestId('board-title').textContent()).resolves.toContain(TITLE)

    await page.getByTestId('share').click()
    await page.getByTestId('share-dialog').waitFor()
    participantLink = await page.locator('[data-testid="share-link"][data-role="participant"] [data-testid="share-url"]').inputValue()
    await page.getByTestId('share-close').click()
    expect(participantLink).toMatch(/\/b\/[A-Za-z0-9_-]{22}#key=/)
  })

  it('has the code ready the next time, after a reload', async () => {
    const { page } = organiser
    await page.goto(server.url)
    await page.reload()
    await page.getByTestId('create-code').waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('create-code').inputValue()).toBe(CODE)
    expect(await page.getByTestId('board-item').count()).toBe(1)
    // And it is enough: a second board needs no typing of the code.
    await page.getByTestId('create-title').fill('Tweede sessie')
    await page.getByTestId('create-submit').click()
    await page.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/, { timeout: 15_000 })
    await waitForBoard(page)
  })

  it('lets a participant with the share link in without ever asking for a code', async () => {
    const { page } = participant
    const creationRequests: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/boards') creationRequests.push(request.url())
    })
    await page.goto(participantLink)
    await waitForBoard(page)
    const boardId = new URL(participantLink).pathname.split('/').pop()!
    const key = new URL(participantLink).hash.replace('#key=', '')
    expect(((await (await fetch(`${server.url}/api/boards/${boardId}`, { headers: bearer(key) })).json()) as { role: string }).role).toBe('participant')
    // On the board she was invited to there is no organiser code field, in any language.
    const text = await page.locator('body').textContent()
    for (const label of [en.home.creationCodeLabel, nl.home.creationCodeLabel, es.home.creationCodeLabel]) expect(text).not.toContain(label)
    expect(await page.getByTestId('create-code').count()).toBe(0)
    expect(await page.locator('input[type="password"]').count()).toBe(0)
    expect(creationRequests).toEqual([])
  })

  it('tells someone guessing codes from another network to wait, in their language', async () => {
    // A context whose requests come through the local reverse proxy from another address.
    const context = await browser.newContext({ extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.23' } })
    await context.addInitScript(() => localStorage.setItem('ww.language', 'es'))
    const page = await context.newPage()
    try {
      await page.goto(server.url)
      await page.getByTestId('create-code').waitFor({ timeout: 15_000 })
      await page.getByTestId('create-title').fill('Intento')
      /** Submits the form with `code` and returns the status of the creation request it made. */
      const attempt = async (code: string) => {
        await page.getByTestId('create-code').fill(code)
        const [response] = await Promise.all([
          page.waitForResponse((r) => new URL(r.url()).pathname === '/api/boards' && r.request().method() === 'POST'),
          page.getByTestId('create-submit').click(),
        ])
        return response.status()
      }
      for (let i = 1; i <= FAILURE_LIMIT; i++) expect(await attempt(`adivinanza-${i}`)).toBe(403)
      await expect.poll(() => page.getByTestId('create-error').textContent()).toBe(es.errors['creation-code-wrong'])
      // Now even the right code is refused from here, with its own message.
      expect(await attempt(CODE)).toBe(429)
      await expect.poll(() => page.getByTestId('create-error').textContent()).toBe(es.errors['too-many-attempts'])
      expect(new URL(page.url()).pathname).toBe('/')
    } finally {
      await context.close()
    }
    // The organiser's own network is not affected.
    const again = await fetch(`${server.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-board-creation-code': CODE },
      body: JSON.stringify({ title: 'Sessie 3', language: 'nl' }),
    })
    expect(again.status).toBe(201)
  })

  it('made no request to any host but its own', () => {
    expect(organiser.foreignRequests).toEqual([])
    expect(participant.foreignRequests).toEqual([])
  })
})
