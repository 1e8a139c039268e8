/**
 * Valid board records for tests: the server refuses records its schema does
 * not accept (server/src/access/documentRules.ts), so tests that need content
 * on a board write real tldraw notes.
 */
import type * as Y from 'yjs'
import { getRecordsMap, putRecord } from '../../shared/documentLayout'
import { noteRecord } from '../test/faults/helpers/boardState'

export { noteRecord }

/** Puts a valid note with `text` on the board's page, in one transaction of `doc`. */
export function addNote(doc: Y.Doc, id: string, text = 'note', x = 0, y = 0): void {
  doc.transact(() => putRecord(getRecordsMap(doc), noteRecord(id, x, y, text)))
}
