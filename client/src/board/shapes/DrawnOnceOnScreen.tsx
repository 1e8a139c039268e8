/**
 * Defers drawing a shape's content until it first comes on screen. tldraw
 * keeps every shape of the page mounted and hides the off-screen ones; a
 * sticky note's text costs ~0.3 ms to draw (rich text to HTML), so on a
 * 5,000-note board drawing all of them held up the first frame by over a
 * second although only the few dozen on screen can be seen.
 */
import { useRef, type ReactNode } from 'react'
import { useEditor, useValue, type Editor, type TLShapeId } from 'tldraw'

/**
 * Whether the shape has been on screen (not culled) since it mounted. Once true it stays
 * true and stops watching the viewport, so panning back and forth re-renders nothing.
 */
function useHasBeenOnScreen(editor: Editor, id: TLShapeId): boolean {
  const seen = useRef(false)
  const onScreen = useValue('has been on screen', () => seen.current || !editor.getCulledShapes().has(id), [editor, id])
  if (onScreen) seen.current = true
  return onScreen
}

/** Renders `children` from the first time shape `id` is on screen (or selected, or edited) on. */
export function DrawnOnceOnScreen({ id, children }: { id: TLShapeId; children: ReactNode }) {
  const editor = useEditor()
  return useHasBeenOnScreen(editor, id) ? children : null
}
