/**
 * Two people who add a template at the same moment (or one of them offline)
 * each place theirs beside the content they can see, so both can land on the
 * same spot. When someone else's inserted template arrives over one of ours,
 * exactly one of the two moves: the insertion with the larger nonce goes to the
 * right of everything else on the page. Both browsers apply the same rule to
 * the same two nonces, so they agree without talking. The move is not in the
 * undo history: undoing the insertion still removes the whole template.
 */
import type { Editor, TLRecord, TLShape, TLShapeId } from 'tldraw'
import { boxesOverlap, placeBeside, unionOf, type Box } from '../../../../shared/templatePlacement'

/** One of this browser's insertions: its nonce and the shapes on the page it placed. */
export interface OwnInsertion {
  nonce: string
  pageId: string
  /** Top-level shapes (frames, card, example notes, widgets); children move with their frame. */
  topLevelIds: TLShapeId[]
}

/** The insertion nonce of a shape instantiated from a template (`shape:<template>-<nonce>-<key>`), if it is one. */
export function insertionNonce(shape: { id: string; meta: Record<string, unknown> }): string | undefined {
  const template = shape.meta.template
  if (typeof template !== 'string') return undefined
  const prefix = `shape:${template}-`
  return shape.id.startsWith(prefix) ? shape.id.slice(prefix.length).split('-')[0] : undefined
}

function boxOf(editor: Editor, id: TLShapeId): Box | undefined {
  const bounds = editor.getShapePageBounds(id)
  return bounds ? { x: bounds.x, y: bounds.y, w: bounds.w, h: bounds.h } : undefined
}

function isShape(record: TLRecord): record is TLShape {
  return record.typeName === 'shape'
}

/** Watches remote additions for the editor's lifetime; returns `track` for new insertions and `dispose`. */
export function keepInsertionsApart(editor: Editor): { track(insertion: OwnInsertion): void; dispose(): void } {
  const own: OwnInsertion[] = []

  const settle = (arrived: Map<string, string>) => {
    for (const insertion of own) {
      const present = insertion.topLevelIds.filter((id) => editor.getShape(id))
      if (present.length === 0) continue // undone or deleted
      const mine = unionOf(present.flatMap((id) => boxOf(editor, id) ?? []))
      if (!mine) continue
      const ownIds = new Set<string>(present)
      const others = editor.getSortedChildIdsForParent(insertion.pageId as TLShape['parentId']).filter((id) => !ownIds.has(id))
      // Only a template that arrived now, over ours, with the smaller nonce makes ours give way.
      const clash = others.some((id) => {
        const nonce = arrived.get(id)
        if (nonce === undefined || nonce === insertion.nonce || nonce > insertion.nonce) return false
        const box = boxOf(editor, id)
        return box !== undefined && boxesOverlap(box, mine)
      })
      if (!clash) continue
      const target = placeBeside(others.flatMap((id) => boxOf(editor, id) ?? []), { x: 0, y: 0, w: mine.w, h: mine.h })
      const dx = target.x - mine.x
      const dy = target.y - mine.y
      editor.run(
        () => {
          editor.updateShapes(
            present.map((id) => {
              const shape = editor.getShape(id)!
              return { id, type: shape.type, x: shape.x + dx, y: shape.y + dy }
            }),
          )
        },
        { history: 'ignore', ignoreShapeLock: true },
      )
    }
  }

  const stop = editor.store.listen(
    ({ changes }) => {
      if (own.length === 0) return
      const arrived = new Map<string, string>()
      for (const record of Object.values(changes.added)) {
        if (!isShape(record) || !record.parentId.startsWith('page:')) continue
        const nonce = insertionNonce(record)
        if (nonce !== undefined) arrived.set(record.id, nonce)
      }
      // Not from inside the store's listener: the move is a change of its own.
      if (arrived.size > 0) queueMicrotask(() => settle(arrived))
    },
    { source: 'remote', scope: 'document' },
  )

  return {
    track: (insertion) => {
      own.push(insertion)
    },
    dispose: stop,
  }
}
