/**
 * Facilitator locks in the editor. A facilitator locks shapes (and everything
 * inside a locked frame) for participants: tldraw's `isLocked` plus our mark
 * `meta.facilitatorLock`. In a participant's editor, changes to marked shapes
 * are refused before they happen, so nothing flickers back; the server
 * enforces the same rule for clients that skip this (boardWriteGuard.ts).
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import { FACILITATOR_LOCK } from '../../../shared/documentLayout'

export function isFacilitatorLocked(shape: TLShape): boolean {
  return shape.meta?.[FACILITATOR_LOCK] === true
}

/** The shapes and all their descendants. */
function withDescendants(editor: Editor, ids: TLShapeId[]): TLShape[] {
  const all = new Set<TLShapeId>()
  const visit = (id: TLShapeId) => {
    if (all.has(id)) return
    all.add(id)
    for (const child of editor.getSortedChildIdsForParent(id)) visit(child)
  }
  ids.forEach(visit)
  return Array.from(all).flatMap((id) => editor.getShape(id) ?? [])
}

/** Locks (or unlocks) `ids` and everything inside them for participants. */
export function setFacilitatorLock(editor: Editor, ids: TLShapeId[], locked: boolean): number {
  const shapes = withDescendants(editor, ids)
  editor.run(
    () => {
      editor.updateShapes(
        shapes.map((shape) => {
          // updateShapes merges meta, so unlocking writes false rather than leaving the key out.
          return { id: shape.id, type: shape.type, isLocked: locked, meta: { ...shape.meta, [FACILITATOR_LOCK]: locked } }
        }),
      )
    },
    { ignoreShapeLock: true },
  )
  return shapes.length
}

/** In a non-facilitator's editor: refuse any change to, deletion of, or copy of the mark. */
export function guardFacilitatorLocks(editor: Editor): () => void {
  const offChange = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) =>
    source === 'user' && isFacilitatorLocked(prev) ? prev : next,
  )
  const offDelete = editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) =>
    source === 'user' && isFacilitatorLocked(shape) ? false : undefined,
  )
  // A pasted copy of a locked shape is the participant's own, unlocked.
  const offCreate = editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) => {
    if (source !== 'user' || !isFacilitatorLocked(shape)) return shape
    const meta = { ...shape.meta }
    delete meta[FACILITATOR_LOCK]
    return { ...shape, isLocked: false, meta }
  })
  return () => {
    offChange()
    offDelete()
    offCreate()
  }
}
