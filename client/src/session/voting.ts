/** Client side of dot voting: this browser's voter secret, and what a selection offers as items. */
import type { Editor, TLShape } from 'tldraw'

/** This browser's secret voter id for a board (only its hash is stored on the server). */
export function voterSecret(boardId: string): string {
  const storageKey = `ww.voter.${boardId}`
  try {
    const existing = localStorage.getItem(storageKey)
    if (existing && /^[A-Za-z0-9_-]{22,64}$/.test(existing)) return existing
  } catch {
    // fall through: a secret for this page only
  }
  const bytes = crypto.getRandomValues(new Uint8Array(18))
  const secret = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  try {
    localStorage.setItem(storageKey, secret)
  } catch {
    // not remembered
  }
  return secret
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
