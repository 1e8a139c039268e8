/**
 * User story (issue 6): a Dutch-speaking participant writes a note; the
 * interpreter, seeing the original, adds a Spanish translation; the
 * Spanish-speaking participant reads it in Spanish (marked as a translation,
 * the original one click away) while its author still reads Dutch. The
 * interpreter keeps a glossary everyone can open. No text leaves the server.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, startServer, type CreatedBoard } from '../server/test-utils/startServer'
import { addNote, eventually, noteTexts } from './support/board'
import { launchBrowser, type Person } from './support/browser'
import { arrive, leave, withEditor, type Server } from './support/people'

const shownText = (page: Page, id: string) => page.locator(`.tl-shape[data-shape-id="${id}"]`).innerText()

describe('bilingual notes with an interpreter', () => {
  let server: Server
  let browser: Browser
  let board: CreatedBoard
  let griet: Person
  let carmen: Person
  let iris: Person
  let noteId: string

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    board = await createBoard(server.url, 'Diálogo bilingüe', 'es')
    ;[griet, carmen, iris] = await arrive(browser, server, board, [
      { name: 'Griet', language: 'nl', role: 'participant' },
      { name: 'Carmen', language: 'es', role: 'participant' },
      { name: 'Iris (tolk)', language: 'es', role: 'interpreter' },
    ])
  })

  afterAll(async () => {
    await leave(browser, server, [griet, carmen, iris])
  })

  it('shows a Dutch note in Spanish to the Spanish participant once the interpreter translated it, in Dutch to its author', async () => {
    await addNote(griet.page, 500, 350, 'Meer bomen op het plein')
    await eventually(() => noteTexts(iris.page), (texts) => texts.includes('Meer bomen op het plein'))
    noteId = await withEditor<string>(iris.page, `const n = editor.getCurrentPageShapes().find((s) => s.type === 'note'); editor.select(n.id); return n.id`)
    // The interpreter sees the original and its language.
    const panel = iris.page.getByTestId('translation-panel')
    await panel.waitFor()
    expect(await panel.getByTestId('translation-original').textContent()).toBe('Meer bomen op het plein')
    expect(await panel.getByTestId('translation-original-language').inputValue()).toBe('nl')
    await panel.getByTestId('translation-es').fill('Más árboles en la plaza')

    await eventually(() => shownText(carmen.page, noteId), (text) => text.includes('Más árboles en la plaza'))
    const marker = carmen.page.locator(`[data-testid="translation-marker"][data-shape-id="${noteId}"]`)
    expect(await marker.getAttribute('data-showing')).toBe('translation')
    expect(await marker.textContent()).toContain('NL→ES')
    // Its author reads what she wrote.
    expect(await shownText(griet.page, noteId)).toContain('Meer bomen op het plein')
    expect(await griet.page.locator('[data-testid="translation-marker"]').count()).toBe(0)
    // The original is one click away.
    await marker.click()
    await eventually(() => shownText(carmen.page, noteId), (text) => text.includes('Meer bomen op het plein'))
    expect(await marker.getAttribute('data-showing')).toBe('original')
  })

  it('keeps a glossary the interpreter edits and everyone can open', async () => {
    await iris.page.getByTestId('glossary-toggle').click()
    await iris.page.getByTestId('glossary-add').click()
    const row = iris.page.getByTestId('glossary-entry').first()
    await row.getByTestId('glossary-en').fill('co-production')
    await row.getByTestId('glossary-nl').fill('coproductie')
    await row.getByTestId('glossary-es').fill('coproducción')
    await carmen.page.getByTestId('glossary-toggle').click()
    const entry = carmen.page.getByTestId('glossary-entry').first()
    await eventually(() => entry.textContent(), (text) => (text ?? '').includes('coproducción'))
    expect(await entry.textContent()).toContain('coproductie')
    expect(await carmen.page.getByTestId('glossary-add').count()).toBe(0)
  })

  it('made no request to any host but its own', () => {
    for (const person of [griet, carmen, iris]) expect(person.foreignRequests).toEqual([])
  })
})
