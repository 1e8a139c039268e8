/**
 * Bounds how many new Yjs client ids ("writers") enter a document. Yjs keeps
 * every client id that ever wrote for the document's whole life, and every
 * transaction copies the state vector (one entry per client id): a board
 * with hundreds of thousands of made-up ids takes seconds per edit and stalls
 * the whole server. An honest browser writes under one id per page load (two
 * with the radar's anonymous scores), so a few per update and per connection
 * is plenty, and a busy board gains a few hundred an hour.
 */
import * as Y from 'yjs'

type Decoded = ReturnType<typeof Y.decodeUpdate>

/** New client ids one update may bring (an offline browser reloaded a few times brings one per load). */
export const MAX_NEW_WRITERS_PER_UPDATE = 8
/** New client ids one connection may bring over its life. */
export const MAX_NEW_WRITERS_PER_CONNECTION = 32
/** New client ids a board takes per hour (200 people reloading 25 times each). */
export const MAX_NEW_WRITERS_PER_HOUR = 5000

const HOUR_MS = 60 * 60 * 1000

/** The client ids of `decoded` that `doc` has never seen. */
export function newWriters(doc: Y.Doc, decoded: Decoded): Set<number> {
  const fresh = new Set<number>()
  for (const struct of decoded.structs) {
    const client = struct.id.client
    if (!fresh.has(client) && Y.getState(doc.store, client) === 0) fresh.add(client)
  }
  return fresh
}

/** One room's count of new writers: per connection and per hour. */
export class NewWriterBudget {
  private readonly perConnection = new WeakMap<object, number>()
  private hourStart = -Infinity
  private thisHour = 0

  /** Why `count` new writers from `connection` are refused at `now`, or undefined when they fit (then they are counted). */
  take(connection: object, count: number, now: number): string | undefined {
    if (count === 0) return undefined
    if (count > MAX_NEW_WRITERS_PER_UPDATE) return `${count} new client ids in one update (at most ${MAX_NEW_WRITERS_PER_UPDATE})`
    const used = this.perConnection.get(connection) ?? 0
    if (used + count > MAX_NEW_WRITERS_PER_CONNECTION) return `more than ${MAX_NEW_WRITERS_PER_CONNECTION} new client ids from one connection`
    if (now - this.hourStart >= HOUR_MS) {
      this.hourStart = now
      this.thisHour = 0
    }
    if (this.thisHour + count > MAX_NEW_WRITERS_PER_HOUR) return `more than ${MAX_NEW_WRITERS_PER_HOUR} new client ids on this board within an hour`
    this.perConnection.set(connection, used + count)
    this.thisHour += count
    return undefined
  }
}
