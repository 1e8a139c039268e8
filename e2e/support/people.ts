/**
 * Set-up shared by the multi-person stories: a server, a browser, and people
 * who each open a board through the link of their role.
 */
import type { Browser, Page } from 'playwright-core'
import type { Role } from '../../shared/access'
import { boardLink, startServer, type CreatedBoard } from '../../server/test-utils/startServer'
import { waitForBoard } from './board'
import { openPerson, type Person } from './browser'

export type Server = Awaited<ReturnType<typeof startServer>>

export interface Arrival {
  name: string
  language: 'en' | 'nl' | 'es'
  role: Role
  organisation?: string
}

/** Opens a browser context per person, each on `board` through their role's link, and waits until all are synced. */
export async function arrive(browser: Browser, server: Server, board: CreatedBoard, people: Arrival[]): Promise<Person[]> {
  const persons: Person[] = []
  for (const { name, language, organisation, role } of people) {
    const person = await openPerson(browser, server.url, { name, language, organisation })
    await person.page.goto(boardLink(server.url, board, role))
    persons.push(person)
  }
  await Promise.all(persons.map((person) => waitForBoard(person.page)))
  return persons
}

/** Prints what went wrong in the pages (for a failing run), then closes the browser and stops the server. */
export async function leave(browser: Browser | undefined, server: Server | undefined, persons: (Person | undefined)[]): Promise<void> {
  for (const person of persons) if (person?.errors.length) console.log('browser errors:', person.errors.slice(0, 10))
  await browser?.close()
  await server?.stop()
}

/** Runs `body` (a function body with `editor` and `arg` in scope) in the page, through the editor test hook. */
export function withEditor<T>(page: Page, body: string, arg?: unknown): Promise<T> {
  return page.evaluate(
    ({ body, arg }) => new Function('editor', 'arg', body)((window as unknown as { __editor: unknown }).__editor, arg),
    { body, arg },
  ) as Promise<T>
}
