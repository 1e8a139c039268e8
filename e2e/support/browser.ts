/**
 * Debian's Chromium driven by playwright-core, with the flags this closed
 * network needs, and a guard that records every request leaving the origin.
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Launches headless Chromium (CHROMIUM_PATH overrides /usr/bin/chromium). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  })
}

/** A browser context for one person, with every request outside `origin` recorded. */
export interface Person {
  context: BrowserContext
  page: Page
  /** URLs this person's pages requested from any other origin. */
  foreignRequests: string[]
  /** Console errors and page errors, for diagnosing failures. */
  errors: string[]
}

/** Opens a fresh context (own storage, own IndexedDB) whose browser remembers `name` and `language`. */
export async function openPerson(
  browser: Browser,
  origin: string,
  opts: { name?: string; language?: 'en' | 'nl' | 'es'; organisation?: string } = {},
): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  const foreignRequests: string[] = []
  const errors: string[] = []
  const seed = { name: opts.name ?? null, language: opts.language ?? 'en', organisation: opts.organisation ?? null }
  await context.addInitScript((s: { name: string | null; language: string; organisation: string | null }) => {
    if (s.name && !localStorage.getItem('ww.userName')) localStorage.setItem('ww.userName', s.name)
    if (s.organisation && !localStorage.getItem('ww.userOrganisation')) localStorage.setItem('ww.userOrganisation', s.organisation)
    if (!localStorage.getItem('ww.language')) localStorage.setItem('ww.language', s.language)
  }, seed)
  context.on('request', (request) => {
    const url = request.url()
    if (url.startsWith('data:') || url.startsWith('blob:')) return
    if (new URL(url).origin !== origin) foreignRequests.push(url)
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  return { context, page, foreignRequests, errors }
}
