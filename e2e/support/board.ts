/** Board-page helpers for end-to-end tests: drive the real UI, read through the editor hook. */
import type { Page } from 'playwright-core'

/** Waits until the board page has mounted the editor and is synced with the server. */
export async function waitForBoard(page: Page): Promise<void> {
  await page.waitForFunction(() => Boolean((window as unknown as { __editor?: unknown }).__editor), null, {
    timeout: 30_000,
  })
  await page.waitForSelector('[data-testid="connection-status"][data-status="online"]', { timeout: 30_000 })
}

/** Places a sticky note with the note tool at (x, y) and types `text` into it, as a person would. */
export async function addNote(page: Page, x: number, y: number, text: string): Promise<void> {
  await page.mouse.click(x, y) // focus the canvas
  await page.keyboard.press('Escape')
  await page.keyboard.press('n')
  await page.mouse.click(x, y)
  // Typing before the editor has focused the new note scrambles the first characters.
  await page.waitForFunction(() => (document.activeElement as HTMLElement | null)?.isContentEditable === true)
  await page.keyboard.type(text, { delay: 10 })
  await page.keyboard.press('Escape')
}

/** Plain texts of every note on the current page, read through the editor. */
export function noteTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Shape = { type: string; id: string }
    const editor = (window as unknown as {
      __editor: { getCurrentPageShapes(): Shape[]; getShapeUtil(s: Shape): { getText?(s: Shape): string | undefined } }
    }).__editor
    return editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'note')
      .map((shape) => editor.getShapeUtil(shape).getText?.(shape) ?? '')
  })
}

/** Polls `read` until `accept` holds or the timeout passes; returns the last value read. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    value = await read()
  }
  return value
}

/** Moves this page's camera through the editor (as panning would). */
export async function setCamera(person: { page: Page }, camera: { x: number; y: number; z: number }): Promise<void> {
  await person.page.evaluate((c) => {
    ;(window as unknown as { __editor: { setCamera(c: unknown): unknown } }).__editor.setCamera(c)
  }, camera)
}

/** The page-space centre of what this page currently shows. */
export function viewportCenter(person: { page: Page }): Promise<{ x: number; y: number }> {
  return person.page.evaluate(() => {
    const editor = (window as unknown as { __editor: { getViewportPageBounds(): { center: { x: number; y: number } } } })
      .__editor
    const { x, y } = editor.getViewportPageBounds().center
    return { x, y }
  })
}
