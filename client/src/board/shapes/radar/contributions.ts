/**
 * Writes a respondent's own radar keys (their scores, their name) straight
 * into the board document, under a Yjs client id used for nothing else.
 *
 * Why not through the tldraw store like every other edit: Yjs records which
 * client id wrote each value, and the same client id keys this browser's
 * awareness entry, which carries the person's name (cursors, people list).
 * Any participant could read both from their copy of the document and see who
 * gave which score. A separate, random client id per page load breaks that
 * link; it is never reused across loads or tabs, so two writers never share
 * one (which Yjs does not allow).
 *
 * The change then reaches the store the way a peer's does (the binding sees a
 * foreign origin), so it is also out of tldraw's undo history.
 */
import * as Y from 'yjs'
import { getRecordsMap, jsonEqual } from '../../../../../shared/documentLayout'

/** Writes this browser's own radar keys. */
export interface ContributionWriter {
  /** Sets (undefined: removes) meta keys of the radar `shapeId`; false when the radar is not in the document. */
  write(shapeId: string, meta: Record<string, unknown>): boolean
  /** The Yjs client id the contributions are written under. */
  readonly clientId: number
}

function randomClientId(doc: Y.Doc): number {
  for (;;) {
    const id = crypto.getRandomValues(new Uint32Array(1))[0]
    if (id !== doc.clientID && !doc.store.clients.has(id)) return id
  }
}

/** A writer for `doc` with a fresh client id of its own. */
export function createContributionWriter(doc: Y.Doc): ContributionWriter {
  const clientId = randomClientId(doc)
  const origin = { radar: 'contribution' }
  return {
    clientId,
    write(shapeId, meta) {
      const record = getRecordsMap(doc).get(shapeId)
      const metaMap = record instanceof Y.Map ? record.get('meta') : undefined
      if (!(metaMap instanceof Y.Map)) return false
      doc.transact(() => {
        // Only the items made here carry the other id: restored before the transaction's
        // observers run, so whatever they write (the binding flushing other local edits) does not.
        const own = doc.clientID
        doc.clientID = clientId
        try {
          for (const [key, value] of Object.entries(meta)) {
            if (value === undefined) metaMap.delete(key)
            else if (!jsonEqual(metaMap.get(key), value)) metaMap.set(key, value)
          }
        } finally {
          doc.clientID = own
        }
      }, origin)
      return true
    },
  }
}
