/**
 * User story (attack report #12, finding 9): a municipality's board cannot be
 * shown inside another site's frame (where a click could be stolen), and the
 * app keeps working under the server's Content-Security-Policy header: the
 * board loads and syncs over the websocket, notes and images work, the
 * service worker registers, and the browser reports no policy violation.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { boardLink, createBoard, startServer, type CreatedBoard } from '../server/test-utils/startServer'
import { addNote, eventually, noteTexts, waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=='

describe('a board under the security headers', () => {
  let server: Server
  let browser: Browser
  let board: CreatedBoard
  let person: Person

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    board = await createBoard(server.url, 'Veilig bord', 'nl')
    person = await openPerson(browser, server.url, { name: 'Fatima' })
    // Every Content-Security-Policy violation the page sees, whatever caused it.
    await person.context.addInitScript(() => {
      const seen: string[] = []
      ;(window as unknown as { __cspViolations: string[] }).__cspViolations = seen
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`))
    })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('loads, syncs, takes notes and images, and registers its service worker without a policy violation', async () => {
    const res = await person.page.goto(boardLink(server.url, board))
    expect(res?.headers()['content-security-policy']).toContain("frame-ancestors 'self'")
    await waitForBoard(person.page)
    await addNote(person.page, 640, 400, 'Onder het beleid')
    await eventually(() => noteTexts(person.page), (texts) => texts.includes('Onder het beleid'))
    // An image goes through a blob: URL and an upload, and is shown from our own origin.
    const src = await person.page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
      const file = new File([bytes], 'photo.png', { type: 'image/png' })
      const editor = (window as unknown as { __editor: { putExternalContent(c: unknown): Promise<void>; getAssets(): { props: { src: string | null } }[] } }).__editor
      await editor.putExternalContent({ type: 'files', files: [file], point: { x: 300, y: 300 } })
      for (let i = 0; i < 100; i++) {
        const uploaded = editor.getAssets().find((asset) => asset.props.src?.startsWith('/api/assets/'))
        if (uploaded) return uploaded.props.src
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      return null
    }, PNG_BASE64)
    expect(src).toMatch(/^\/api\/assets\//)
    const registered = await person.page.evaluate(() =>
      Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]),
    )
    expect(registered).toBe(true)
    expect(await person.page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([])
    expect(person.errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([])
    expect(person.foreignRequests).toEqual([])
  })

  it('refuses to be shown in a frame of another site, and still frames itself', async () => {
    // A page of another origin (another port on this machine, so Chromium's private-network rules
    // do not interfere) that frames the home page.
    const other = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html')
      res.end(`<!doctype html><iframe id="f" src="${server.url}/" width="800" height="600"></iframe>`)
    })
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`)
      await page.waitForTimeout(2000)
      const framed = page.frames().find((frame) => frame !== page.mainFrame())
      expect(framed).toBeDefined()
      // Blocked: the frame never gets our document (Chromium shows its error page instead).
      expect(framed!.url()).not.toBe(`${server.url}/`)
      expect(await framed!.$('#root')).toBeNull()

      // Our own page may frame itself ('self').
      const own = await context.newPage()
      await own.goto(`${server.url}/`)
      await own.evaluate((url) => {
        const frame = document.createElement('iframe')
        frame.src = url
        document.body.append(frame)
      }, `${server.url}/`)
      await eventually(
        async () => {
          const inner = own.frames().find((frame) => frame !== own.mainFrame())
          return inner ? (await inner.$('#root')) !== null : false
        },
        (loaded) => loaded,
      )
    } finally {
      await context.close()
      other.close()
    }
  })
})
