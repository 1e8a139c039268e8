/**
 * User story: a facilitator shares a board with a participant and a viewer
 * through the role links. The participant adds a note; the viewer watches but
 * cannot add one, even by trying the tools; when the facilitator replaces the
 * participant link, the participant is cut off with a clear message.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, startServer, type CreatedBoard } from '../server/test-utils/startServer'
import { addNote, eventually, noteTexts } from './support/board'
import { launchBrowser, type Person } from './support/browser'
import { arrive, leave, type Server } from './support/people'

describe('a board shared by role links', () => {
  let server: Server
  let browser: Browser
  let board: CreatedBoard
  let facilitator: Person
  let participant: Person
  let viewer: Person

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    board = await createBoard(server.url, 'Dialogue roles', 'en')
    ;[facilitator, participant, viewer] = await arrive(browser, server, board, [
      { name: 'Fien (facilitator)', language: 'en', role: 'facilitator' },
      { name: 'Pablo', language: 'es', role: 'participant' },
      { name: 'Vera', language: 'nl', role: 'viewer' },
    ])
  })

  afterAll(async () => {
    await leave(browser, server, [facilitator, participant, viewer])
  })

  it("shows the participant's note to everyone, the viewer included", async () => {
    await addNote(participant.page, 400, 300, 'Una idea de Tarija')
    for (const person of [facilitator, viewer]) {
      expect(await eventually(() => noteTexts(person.page), (texts) => texts.includes('Una idea de Tarija'))).toContain('Una idea de Tarija')
    }
  })

  it('lets the viewer watch but not add a note', async () => {
    await viewer.page.getByTestId('read-only').waitFor()
    expect(await viewer.page.evaluate(() => window.__editor!.getIsReadonly())).toBe(true)
    // Try anyway: the note tool's shortcut, then a click on the canvas.
    const before = await noteTexts(viewer.page)
    await viewer.page.mouse.click(700, 400)
    await viewer.page.keyboard.press('n')
    await viewer.page.mouse.click(700, 400)
    await viewer.page.keyboard.type('sneaky')
    await viewer.page.waitForTimeout(500)
    expect(await noteTexts(viewer.page)).toEqual(before)
    expect(await noteTexts(facilitator.page)).not.toContain('sneaky')
    // The viewer is offered only the viewer link to share.
    await viewer.page.getByTestId('share').click()
    expect(await viewer.page.getByTestId('share-link').evaluateAll((items) => items.map((item) => item.getAttribute('data-role')))).toEqual(['viewer'])
    expect(await viewer.page.getByTestId('share-replace').count()).toBe(0)
    await viewer.page.getByTestId('share-close').click()
  })

  it('cuts the participant off when the facilitator replaces their link', async () => {
    const { page } = facilitator
    await page.getByTestId('share').click()
    const row = page.locator('[data-testid="share-link"][data-role="participant"]')
    const oldUrl = await row.getByTestId('share-url').inputValue()
    await row.getByTestId('share-replace').click()
    await row.getByTestId('share-replace-confirm').click()
    await eventually(() => row.getByTestId('share-url').inputValue(), (url) => url !== oldUrl)
    await page.getByTestId('share-close').click()

    const closed = participant.page.getByTestId('board-closed')
    await closed.waitFor({ timeout: 15_000 })
    expect(await closed.getAttribute('data-reason')).toBe('linkRevoked')
    // Opening the old link again (a reload: the address is that link) says the same.
    expect(participant.page.url()).toBe(oldUrl)
    await participant.page.reload()
    await participant.page.getByTestId('link-refused').waitFor({ timeout: 15_000 })
    // The viewer's link still works.
    expect(await viewer.page.getByTestId('board-closed').count()).toBe(0)
  })

  it('made no request to any host but its own', () => {
    for (const person of [facilitator, participant, viewer]) expect(person.foreignRequests).toEqual([])
  })
})
