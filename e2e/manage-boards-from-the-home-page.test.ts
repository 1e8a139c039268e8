/**
 * User story: a facilitator opens the home page, creates a board for the next
 * dialogue, finds it in the list, renames it, and deletes an old one after
 * confirming. A visitor with a stale link gets a clear "not found" page.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import en from '../client/src/i18n/locales/en.json'
import { bearer, boardLink, createBoard, startServer } from '../server/test-utils/startServer'
import { waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>

/** The key this browser keeps for a board (the home page's list). */
async function knownKey(page: import('playwright-core').Page, boardId: string): Promise<string> {
  const boards = await page.evaluate(() => JSON.parse(localStorage.getItem('ww.knownBoards') ?? '[]') as { id: string; key: string }[])
  return boards.find((b) => b.id === boardId)!.key
}

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
    // The creator is the facilitator; their key stays out of the address bar (it would be shared by accident).
    await page.waitForURL(/\/b\/[A-Za-z0-9_-]{22}$/)
    await waitForBoard(page)
    await expect(page.getByTestId('board-title').textContent()).resolves.toContain('Dialogue Ghent – Cochabamba, session 2')

    const boardId = new URL(page.url()).pathname.split('/').pop()!
    const key = await knownKey(page, boardId)
    const access = await (await fetch(`${server.url}/api/boards/${boardId}`, { headers: bearer(key) })).json()
    expect(access).toMatchObject({ role: 'facilitator', board: { title: 'Dialogue Ghent – Cochabamba, session 2', language: 'es' } })

    // The share dialog offers a link per role, each with a QR code.
    await page.getByTestId('share').click()
    await page.getByTestId('share-dialog').waitFor()
    expect(await page.getByTestId('share-link').evaluateAll((items) => items.map((item) => item.getAttribute('data-role')))).toEqual(['facilitator', 'interpreter', 'participant', 'viewer'])
    expect(await page.getByTestId('qr-code').count()).toBe(4)
    const participantUrl = await page.locator('[data-testid="share-link"][data-role="participant"] [data-testid="share-url"]').inputValue()
    expect(participantUrl).toBe(`${server.url}/b/${boardId}#key=${access.keys.participant}`)
    await page.getByTestId('share-close').click()
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

  it('lists the boards this browser opened (not every board), renames one and deletes one after confirming', async () => {
    const old = await createBoard(server.url, 'Old rehearsal board', 'nl')
    const someoneElses = await createBoard(server.url, "Someone else's board", 'en')
    const { page } = facilitator
    await page.goto(boardLink(server.url, old, 'facilitator'))
    await waitForBoard(page)
    await page.goto(server.url)
    const row = page.locator(`[data-testid="board-item"][data-board-id="${old.id}"]`)
    await row.waitFor()
    expect(await row.textContent()).toContain('Old rehearsal board')
    expect(await page.locator(`[data-testid="board-item"][data-board-id="${someoneElses.id}"]`).count()).toBe(0)

    await row.getByTestId('board-rename').click()
    await row.getByTestId('rename-input').fill('Rehearsal, 8 June')
    await row.getByTestId('rename-save').click()
    await expect.poll(async () => (await (await fetch(`${server.url}/api/boards/${old.id}`, { headers: bearer(old.keys.viewer) })).json()).board.title).toBe(
      'Rehearsal, 8 June',
    )
    await page.reload()
    // The list shows this browser's remembered title at once and the server's as soon as it answers.
    await expect
      .poll(() => page.locator(`[data-testid="board-item"][data-board-id="${old.id}"]`).textContent(), { timeout: 10_000 })
      .toContain('Rehearsal, 8 June')

    await page.locator(`[data-testid="board-item"][data-board-id="${old.id}"]`).getByTestId('board-delete').click()
    await page.getByTestId('confirm-delete').waitFor()
    await page.getByRole('button', { name: en.home.deleteConfirm }).click()
    await page.locator(`[data-testid="board-item"][data-board-id="${old.id}"]`).waitFor({ state: 'detached' })
    expect((await fetch(`${server.url}/api/boards/${old.id}`, { headers: bearer(old.keys.facilitator) })).status).toBe(404)
  })

  it('shows a clear page for a board that does not exist, and for an address without its link', async () => {
    const { page } = facilitator
    await page.goto(`${server.url}/b/AAAAAAAAAAAAAAAAAAAAAA#key=${'K'.repeat(22)}`)
    await page.getByTestId('not-found').waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('not-found').textContent()).toContain(en.notFound.title)
    const board = await createBoard(server.url, 'Private', 'en')
    await page.goto(`${server.url}/b/${board.id}`)
    await page.getByTestId('needs-link').waitFor({ timeout: 15_000 })
    expect(await page.getByTestId('needs-link').textContent()).toContain(en.board.needsLinkTitle)
  })

  it('made no request to any host but its own', () => {
    expect(facilitator.foreignRequests).toEqual([])
  })
})
