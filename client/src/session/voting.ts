/** Client side of dot voting: this browser's voter secret, what a selection offers as items, the selected frame. */
import { useValue, type Editor, type TLShape } from 'tldraw'
import { browserSecret } from '../user/identity'

/** This browser's secret voter id for a board (only its hash is stored on the server). */
export function voterSecret(boardId: string): string {
  return browserSecret(`ww.voter.${boardId}`)
}

/**
 * What a vote on the selection is about: with one frame selected, every note
 * on it (inside it, or lying over it as template notes do); otherwise the
 * selected shapes themselves, frames excluded.
 */
export function voteItemsForSelection(editor: Editor): string[] {
  const selected = editor.getSelectedShapes()
  if (selected.length === 1 && selected[0].type === 'frame') {
    const frame = editor.getShapePageBounds(selected[0])
    if (!frame) return []
    return editor
      .getCurrentPageShapes()
      .filter((shape: TLShape) => shape.type === 'note')
      .filter((shape) => {
        const bounds = editor.getShapePageBounds(shape)
        return bounds !== undefined && frame.containsPoint(bounds.center)
      })
      .map((shape) => shape.id)
  }
  return selected.filter((shape) => shape.type !== 'frame').map((shape) => shape.id)
}

/** The id of the one selected frame, or null (live). */
export function useSelectedFrameId(editor: Editor | null): string | null {
  return useValue(
    'selected frame',
    () => {
      const selected = editor?.getSelectedShapes() ?? []
      return selected.length === 1 && selected[0].type === 'frame' ? selected[0].id : null
    },
    [editor],
  )
}
