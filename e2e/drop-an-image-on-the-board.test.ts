/**
 * User story: a participant drops a photo of the paper flip-chart from their
 * municipality onto the board. Everyone sees it; it is stored on our server
 * and referenced by URL, never inlined into the board document as base64.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { boardLink, createBoard, startServer } from '../server/test-utils/startServer'
import { eventually, waitForBoard } from './support/board'
import { launchBrowser, openPerson, type Person } from './support/browser'

type Server = Awaited<ReturnType<typeof startServer>>

// A 2x2 PNG: four coloured pixels.
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=='

type ImageInfo = { src: string | null; shapes: number }

function readImages(person: Person): Promise<ImageInfo[]> {
  return person.page.evaluate(() => {
    type Rec = { id: string; type: string; props: { src?: string | null; assetId?: string } }
    const editor = (window as unknown as {
      __editor: { getCurrentPageShapes(): Rec[]; getAsset(id: string): Rec | undefined }
    }).__editor
    return editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'image')
      .map((shape) => ({ src: editor.getAsset(shape.props.assetId ?? '')?.props.src ?? null, shapes: 1 }))
  })
}

describe('an image dropped on a board', () => {
  let server: Server
  let browser: Browser
  let uploader: Person
  let viewer: Person
  let boardId: string

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    const board = await createBoard(server.url, 'Fotos', 'en')
    boardId = board.id
    uploader = await openPerson(browser, server.url, { name: 'Marisol' })
    viewer = await openPerson(browser, server.url, { name: 'Joris' })
    await Promise.all([uploader.page.goto(boardLink(server.url, board)), viewer.page.goto(boardLink(server.url, board))])
    await Promise.all([waitForBoard(uploader.page), waitForBoard(viewer.page)])
  })

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('is uploaded to the server and shown to everyone by URL', async () => {
    await uploader.page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
      const file = new File([bytes], 'flipchart.png', { type: 'image/png' })
      const editor = (window as unknown as {
        __editor: { putExternalContent(c: unknown): Promise<void> }
      }).__editor
      await editor.putExternalContent({ type: 'files', files: [file], point: { x: 300, y: 300 } })
    }, PNG_BASE64)

    const seen = await eventually(
      () => readImages(viewer),
      (images) => images.length === 1 && typeof images[0].src === 'string' && images[0].src.length > 0,
    )
    expect(seen).toHaveLength(1)
    const src = seen[0].src as string
    expect(src.startsWith('/api/assets/')).toBe(true)
    expect(src).not.toMatch(/^data:/)

    const response = await fetch(`${server.url}${src}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(PNG_BASE64, 'base64'))).toBe(true)

    const rendered = viewer.page.locator(`img[src$="${src}"], image[href$="${src}"]`)
    await rendered.first().waitFor({ state: 'attached', timeout: 10_000 })
  })

  it('refuses a file of a type the server does not accept, with a message', async () => {
    await uploader.page.evaluate(async () => {
      const file = new File([new TextEncoder().encode('not an image')], 'notes.txt', { type: 'text/plain' })
      const editor = (window as unknown as {
        __editor: { putExternalContent(c: unknown): Promise<void> }
      }).__editor
      await editor.putExternalContent({ type: 'files', files: [file], point: { x: 600, y: 300 } }).catch(() => {})
    })
    // Either tldraw or our asset store refuses it; no second image may appear anywhere.
    await viewer.page.waitForTimeout(1000)
    expect(await readImages(viewer)).toHaveLength(1)
    expect(await readImages(uploader)).toHaveLength(1)
  })
})
