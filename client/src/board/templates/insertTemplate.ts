/**
 * Puts a template on the current page of a live board: beside what is there
 * (shared/templatePlacement.ts), in the chosen language, as ONE undoable step
 * for the person inserting it. The records go through the store like any
 * edit, so the binding syncs them to everyone; other people's undo history
 * never holds them (remote changes are not recorded).
 */
import type { Editor, TLShapeId, TLShapePartial } from 'tldraw'
import type { Language } from '../../../../shared/languages'
import { placeBeside, templateBounds, unionOf, type Box } from '../../../../shared/templatePlacement'
import { instantiateTemplate, type LoadedTemplate } from '../../../../shared/templates'

/** What an insertion placed: every shape id, the top-level ones, its nonce and page, and the page box it covers. */
export interface InsertedTemplate {
  ids: TLShapeId[]
  topLevelIds: TLShapeId[]
  nonce: string
  pageId: string
  bounds: Box
}

/** A short random string for the shape ids, so the same template can be inserted twice. */
function nonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6))
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('')
}

/**
 * Instantiates `template` in `language` to the right of the current page's
 * content, above it in z-order, and returns what it placed. Does nothing on a
 * read-only board (returns undefined).
 */
export function insertTemplate(editor: Editor, template: LoadedTemplate, language: Language): InsertedTemplate | undefined {
  if (editor.getIsReadonly()) return undefined
  const pageId = editor.getCurrentPageId()
  const existing = [...editor.getCurrentPageShapeIds()].flatMap((id) => {
    const bounds = editor.getShapePageBounds(id)
    return bounds ? [{ x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h }] : []
  })
  const origin = placeBeside(existing, templateBounds(template.definition))
  const topLevel = editor.getSortedChildIdsForParent(pageId)
  const top = topLevel.length ? editor.getShape(topLevel[topLevel.length - 1]!)?.index : undefined
  const insertion = nonce()
  const records = instantiateTemplate(template.definition, template.texts[language], language, origin, {
    pageId,
    indexAbove: top ?? null,
    nonce: insertion,
  })
  // The records are full shape records; createShapes takes them as partials (without typeName).
  const shapes = records.map(({ typeName: _typeName, ...shape }) => shape as unknown as TLShapePartial)
  editor.markHistoryStoppingPoint('insert template')
  editor.run(() => {
    editor.createShapes(shapes)
  })
  const ids = shapes.map((shape) => shape.id)
  const topLevelIds = ids.filter((id) => editor.getShape(id)?.parentId === pageId)
  const placed = topLevelIds.flatMap((id) => {
    const bounds = editor.getShapePageBounds(id)
    return bounds ? [{ x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h }] : []
  })
  const bounds = templateBounds(template.definition)
  return { ids, topLevelIds, nonce: insertion, pageId, bounds: unionOf(placed) ?? { ...bounds, x: origin.x + bounds.x, y: origin.y + bounds.y } }
}

/** Moves the camera to show an inserted template whole (never zooming in past 100 %); tldraw skips the animation for reduced motion. */
export function showInserted(editor: Editor, inserted: InsertedTemplate): void {
  editor.zoomToBounds(inserted.bounds, { inset: 48, targetZoom: 1, animation: { duration: 320 } })
}
