/**
 * User story: a facilitator opens the home page, creates a board for the next
 * dialogue, finds it in the list, renames it, and deletes an old one after
 * confirming. A visitor with a stale link gets a clear "not found" page.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../client/src/i18n/locales/en.json'
import { createBoard, startServer } from '../server/test-utils/startServer'
import { waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>

describe('managing boards from the home page', () => {
  let server: Server
  let browser: Browser
  let facilitator: Person

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    facilitator = await openPerson(browser, server.url, { name: 'Lien', language: 'en' })
  })

  afterAll(async () => {
    if (facilitator?.errors.length) console.log('browser errors:', facilitator.errors.slice(0, 10))
    await browser?.close()
    await server?.stop()
  })

  it('creates a board in a chosen language and opens it', async () => {
    const { page } = facilitator
    await page.goto(server.url)
    await page.getByTestId('create-title').fill('Dialogue Ghent – Cochabamba, session 2')
    await page.getByTestId('create-language').selectOption('es')
    await page.getByTestId('create-submit').click()
    await page.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/)
    await waitForBoard(page)
    await expect(page.getByTestId('board-title').textContent()).resolves.toContain('Dialogue Ghent – Cochabamba, session 2')

    const boardId = new URL(page.url()).pathname.split('/').pop()
    const meta = await (await fetch(`${server.url}/api/boards/${boardId}`)).json()
    expect(meta).toMatchObject({ title: 'Dialogue Ghent – Cochabamba, session 2', language: 'es' })
  })

  it('refuses an empty title with a message, creating nothing', async () => {
    const { page } = facilitator
    await page.goto(server.url)
    const before = await page.getByTestId('board-item').count()
    await page.getByTestId('create-title').fill('   ')
    await page.getByTestId('create-submit').click()
    await page.getByTestId('create-error').waitFor({ timeout: 5_000 })
    expect((await page.getByTestId('create-error').textContent())?.trim().length).toBeGreaterThan(0)
    expect(await page.getByTestId('board-item').count()).toBe(before)
  })

  it('lists boards, renames one and deletes one after confirming', async () => {
    const old = await createBoard(server.url, 'Old rehearsal board', 'nl')
    const { page } = facilitator
    await page.goto(server.url)
    const row = page.locator(`[data-testid="board-item"][data-board-id="${old.id}"]`)
    await row.waitFor()
    expect(await row.textContent()).toContain('Old rehearsal board')

    await row.getByTestId('board-rename').click()
    await row.getByTestId('rename-input').fill('Rehearsal, 8 June')
    await row.getByTestId('rename-save').click()
    await expect.poll(async () => (await (await fetch(`${server.url}/api/boards/${old.id}`)).json()).title).toBe(
      'Rehearsal, 8 June',
    )
    await page.reload()
    expect(await page.locator(`[data-testid="board-item"][data-board-id="${old.id}"]`).textContent()).toContain(
      'Rehearsal, 8 June',
    )

    await page.locator(`[data-testid="board-item"][data-board-id="${old.id}"]`).getByTestId('board-delete').click()
    await page.getByTestId('confirm-delete').waitFor()
    await page.getByRole('button', { name: en.home.deleteConfirm }).click()
    await page.locator(`[data-testid="board-item"][data-board-id="${old.id}"]`).waitFor({ state: 'detached' })
    expect((await fetch(`${server.url}/api/boards/${old.id}`)).status).toBe(404)
  })

  it('shows a clear page for a board that does not exist', async () => {
    const { page } = facilitator
    await page.goto(`${server.url}/b/AAAAAAAAAAAAAAAAAAAAAA`)
    await page.getByTestId('not-found').waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('not-found').textContent()).toContain(en.notFound.title)
  })

  it('made no request to any host but its own', () => {
    expect(facilitator.foreignRequests).toEqual([])
  })
})
