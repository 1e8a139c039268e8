/**
 * The initial content of a new board, written by the server at creation so
 * the board is complete before anyone connects (two first visitors never race
 * to seed it, and no client ever sees a document without a page).
 */
import { DocumentRecordType, PageRecordType } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import * as Y from 'yjs'
import { createBoardSchema } from '../../../shared/boardSchema'
import { seedDocument, type PlainRecord } from '../../../shared/documentLayout'
import type { Language } from '../../../shared/languages'

/** Name of the first page, in the board's language. */
export const FIRST_PAGE_NAME: Record<Language, string> = { en: 'Page 1', nl: 'Pagina 1', es: 'Página 1' }

const schema = createBoardSchema().serialize()

/** Id of the first page; template content is placed on it. */
export const FIRST_PAGE_ID = PageRecordType.createId('page')

/** The seeded document of a new board, as one Yjs update; `content` (shapes on the first page) comes from a template. */
export function seedBoardSnapshot(language: Language, content: PlainRecord[] = []): Uint8Array {
  const records: PlainRecord[] = [
    { ...DocumentRecordType.create({ id: DocumentRecordType.createId('document') }) },
    { ...PageRecordType.create({ id: FIRST_PAGE_ID, name: FIRST_PAGE_NAME[language], index: 'a1' as IndexKey }) },
    ...content,
  ]
  const doc = new Y.Doc()
  seedDocument(doc, schema, records)
  const snapshot = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return snapshot
}
