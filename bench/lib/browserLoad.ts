/**
 * Time to first interactive frame in Chromium (workload 3): a fresh browser
 * context opens a board page through its participant link, and the page
 * itself reports when the editor is mounted, holds every note of the board,
 * and has painted a frame after that (two animation frames), as
 * `performance.now()` since navigation start. Needs the built client
 * (`npm run build`) and Debian's Chromium; otherwise it says why it skipped.
 */
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_FLAGS } from '../../e2e/support/browser'

export interface BrowserLoadResult {
  samples: number[]
  /** Per load: bytes the page received over HTTP (headers and bodies as sent, i.e. compressed), the websocket not included. */
  httpBytes: number[]
  /** Per load: websocket payload bytes the page received until it was interactive (uncompressed: we do not negotiate permessage-deflate). */
  wsBytes: number[]
  skipped?: string
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** A fresh browser context at the bench's window size, with a name so the board opens without asking. */
export async function openBenchPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addInitScript(() => localStorage.setItem('ww.userName', 'Bench'))
  return { context, page: await context.newPage() }
}

/**
 * Waits in `page` (already navigating to a board) until the editor holds
 * `notes` shapes and has painted a frame after that (two animation frames);
 * resolves to that moment as `performance.now()` since navigation start.
 */
export async function interactiveAt(page: Page, notes: number): Promise<number> {
  // A string, not a function: the bench runs under tsx, whose esbuild wraps named
  // functions in a helper (__name) that does not exist in the page.
  const ms = (await page.evaluate(`new Promise((resolve, reject) => {
    const expected = ${notes}
    const deadline = performance.now() + 60000
    const check = () => {
      const editor = window.__editor
      if (editor && editor.getCurrentPageShapes().length >= expected) {
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())))
        return
      }
      if (performance.now() > deadline) reject(new Error('board did not become interactive in 60 s: ' + (editor ? editor.getCurrentPageShapes().length + ' of ' + expected + ' notes' : 'no editor; page says: ' + document.body.innerText.slice(0, 200))))
      else setTimeout(check, 5)
    }
    check()
  })`)) as number
  return ms
}

export async function browserTimeToInteractive(baseUrl: string, room: string, notes: number, reps: number): Promise<BrowserLoadResult> {
  if (!fs.existsSync(path.resolve('dist/client/index.html'))) return { samples: [], httpBytes: [], wsBytes: [], skipped: 'client not built (run npm run build)' }
  if (!fs.existsSync(CHROMIUM)) return { samples: [], httpBytes: [], wsBytes: [], skipped: `no Chromium at ${CHROMIUM}` }
  const [id, query] = room.split('?')
  const key = new URLSearchParams(query ?? '').get('key')
  if (!key) return { samples: [], httpBytes: [], wsBytes: [], skipped: 'the server gave no participant key' }
  let browser: Browser | undefined
  const samples: number[] = []
  const httpBytes: number[] = []
  const wsBytes: number[] = []
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS })
    for (let rep = 0; rep < reps; rep++) {
      const { context, page } = await openBenchPage(browser)
      // What a first visit costs a participant's connection: every HTTP response as sent (a fresh context has no cache).
      const sizes: Promise<number>[] = []
      page.on('requestfinished', (request) => {
        sizes.push(request.sizes().then((s) => s.responseHeadersSize + s.responseBodySize, () => 0))
      })
      // And over the websocket: the board itself, or (after an HTTP preload) the difference.
      let received = 0
      page.on('websocket', (socket) => {
        socket.on('framereceived', ({ payload }) => {
          received += typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength
        })
      })
      await page.goto(`${baseUrl}/b/${id}#key=${key}`)
      const ms = await interactiveAt(page, notes)
      wsBytes.push(received)
      samples.push(Math.round(ms))
      httpBytes.push((await Promise.all(sizes)).reduce((a, b) => a + b, 0))
      await context.close()
    }
    return { samples, httpBytes, wsBytes }
  } catch (error) {
    return { samples, httpBytes, wsBytes, skipped: String((error as Error).message ?? error) }
  } finally {
    await browser?.close()
  }
}
