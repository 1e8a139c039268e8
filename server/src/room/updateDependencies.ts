/**
 * Does an incoming update build only on what the document already has?
 * Yjs keeps an update whose dependencies are missing as "pending" and
 * integrates it later, when some other client's change supplies them: the
 * content would then appear under that other client's change, past the checks
 * made on its real author. The room drops such an update instead. An honest
 * client sends one only while it reconnects (an edit made before it has
 * answered our sync step 1), and its answer carries that edit again.
 */
import * as Y from 'yjs'

type Decoded = ReturnType<typeof Y.decodeUpdate>

/** Describes the first reference of `decoded` to content `doc` lacks; undefined when there is none. */
export function unknownReference(doc: Y.Doc, decoded: Decoded): string | undefined {
  // Per client, the clock range the update itself brings.
  const brings = new Map<number, { start: number; end: number }>()
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) return `a gap at ${struct.id.client}:${struct.id.clock}`
    const { client, clock } = struct.id
    const range = brings.get(client)
    if (!range) brings.set(client, { start: clock, end: clock + struct.length })
    else {
      range.start = Math.min(range.start, clock)
      range.end = Math.max(range.end, clock + struct.length)
    }
  }
  // Known clocks of a client: everything below the document's state, extended by the update's own range.
  const knownUpTo = new Map<number, number>()
  const upTo = (client: number): number => {
    let end = knownUpTo.get(client)
    if (end === undefined) {
      end = Y.getState(doc.store, client)
      const range = brings.get(client)
      if (range && range.start <= end) end = Math.max(end, range.end)
      knownUpTo.set(client, end)
    }
    return end
  }
  for (const [client, range] of brings) {
    const state = Y.getState(doc.store, client)
    if (range.start > state) return `content of ${client} from ${range.start} while the board has it up to ${state}`
  }
  const known = (id: Y.ID | null): boolean => id === null || id.clock < upTo(id.client)
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue
    const parent = struct.parent instanceof Y.ID ? struct.parent : null
    for (const ref of [struct.origin, struct.rightOrigin, parent]) {
      if (!known(ref)) return `a reference to ${ref!.client}:${ref!.clock}`
      // A client's content can only build on what it made before. Yjs integrates a client's structs
      // in clock order and looks such a reference up before it exists, throwing half-way through.
      if (ref && ref.client === struct.id.client && ref.clock >= struct.id.clock) {
        return `a reference from ${struct.id.client}:${struct.id.clock} to its own later content ${ref.client}:${ref.clock}`
      }
    }
  }
  for (const [client, deletes] of decoded.ds.clients) {
    for (const { clock, len } of deletes) {
      if (clock + len > upTo(client)) return `a deletion of ${client}:${clock}+${len}`
    }
  }
  return undefined
}
