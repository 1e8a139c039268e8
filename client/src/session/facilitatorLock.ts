/**
 * Facilitator locks in the editor. A facilitator locks shapes (and everything
 * inside a locked frame) for participants: tldraw's `isLocked` plus our mark
 * `meta.facilitatorLock`. In a participant's editor, changes to marked shapes
 * are refused before they happen, so nothing flickers back; the server
 * enforces the same rule for clients that skip this (boardWriteGuard.ts).
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import type { Role } from '../../../shared/access'
import { FACILITATOR_LOCK, isFacilitatorLocked as isMarked, isStructureLocked } from '../../../shared/documentLayout'
import { lockAllowsChange } from '../../../shared/validation/locks'

export function isFacilitatorLocked(shape: TLShape): boolean {
  return isMarked(shape)
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

/**
 * In a non-facilitator's editor: refuse what the server would undo
 * (shared/validation/locks.ts): changes to a locked shape beyond translating
 * it, changes to a template's structure beyond taking part, deleting either;
 * a pasted copy loses the marks.
 */
export function guardFacilitatorLocks(editor: Editor, role: Role): () => void {
  const offChange = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) =>
    source === 'user' && !lockAllowsChange(prev as unknown as Record<string, unknown>, next as unknown as Record<string, unknown>, role) ? prev : next,
  )
  const offDelete = editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) =>
    source === 'user' && (isFacilitatorLocked(shape) || isStructureLocked(shape)) ? false : undefined,
  )
  // A copy of a locked shape or of a template's structure (a paste, a template they add) is the participant's own, unlocked.
  const offCreate = editor.sideEffects.registerBeforeCreateHandler('shape', (shape, source) => {
    if (source !== 'user' || !(isFacilitatorLocked(shape) || isStructureLocked(shape))) return shape
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
