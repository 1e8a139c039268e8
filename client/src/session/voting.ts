/** Client side of dot voting: this browser's voter id, what a selection offers as items, the selected frame. */
import { useValue, type Editor, type TLShape } from 'tldraw'
import type { Result } from '../../../shared/result'
import { fetchVoterId, type CallError } from '../api/http'
import { browserSecret } from '../user/identity'

/**
 * This browser's random secret for a board, kept in localStorage so a reload
 * is the same voter. Not the private-mode secret: that one names a private
 * document, and keeping the two apart keeps ballots unlinkable to it.
 */
export function voterSecret(boardId: string): string {
  return browserSecret(`ww.voter.${boardId}`)
}

const issued = new Map<string, Promise<Result<string, CallError>>>()

/**
 * This browser's voter id on a board, issued by the server for its secret
 * (asked once per page and board; a failure is asked again next time).
 * `fresh` forgets the one held, e.g. after the server refused it.
 */
export function voterId(boardId: string, key: string, fresh = false): Promise<Result<string, CallError>> {
  const held = issued.get(boardId)
  if (held && !fresh) return held
  const asked = fetchVoterId(boardId, key, voterSecret(boardId))
  issued.set(boardId, asked)
  void asked.then((result) => !result.ok && issued.get(boardId) === asked && issued.delete(boardId))
  return asked
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
