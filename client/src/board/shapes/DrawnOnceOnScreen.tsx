/**
 * Defers drawing a shape's content until it first comes on screen. tldraw
 * keeps every shape of the page mounted and hides the off-screen ones; a
 * sticky note's text costs ~0.3 ms to draw (rich text to HTML), so on a
 * 5,000-note board drawing all of them held up the first frame by over a
 * second although only the few dozen on screen can be seen.
 */
import { useEffect, useState, type ReactNode } from 'react'
import { atom, react, useEditor, useValue, type Atom, type Editor, type TLShapeId } from 'tldraw'

/** Per editor: a flag for each mounted shape not yet on screen, and the one reactor that flips them. */
const waiting = new WeakMap<Editor, Map<TLShapeId, Atom<boolean>>>()

function waitingFor(editor: Editor): Map<TLShapeId, Atom<boolean>> {
  let flags = waiting.get(editor)
  if (!flags) {
    const pending = new Map<TLShapeId, Atom<boolean>>()
    flags = pending
    waiting.set(editor, pending)
    // One reactor for all shapes rather than one subscription per shape: while panning a
    // 5,000-note board, 5,000 computeds re-evaluating every frame would cost more than this loop.
    const stop = react('shapes coming on screen', () => {
      const culled = editor.getCulledShapes()
      for (const [id, flag] of pending) {
        if (culled.has(id)) continue
        flag.set(true)
        pending.delete(id)
      }
    })
    editor.disposables.add(stop)
  }
  return flags
}

/** Whether shape `id` has been on screen (not culled) since this component mounted; stays true once it was. */
function useHasBeenOnScreen(editor: Editor, id: TLShapeId): boolean {
  const [flag] = useState(() => {
    const onScreen = atom('has been on screen', !editor.getCulledShapes().has(id))
    if (!onScreen.get()) waitingFor(editor).set(id, onScreen)
    return onScreen
  })
  // A shape deleted (or a page left) before it came on screen stops waiting.
  useEffect(
    () => () => {
      const flags = waiting.get(editor)
      if (flags?.get(id) === flag) flags.delete(id)
    },
    [editor, id, flag],
  )
  return useValue(flag)
}

/** Renders `children` from the first time shape `id` is on screen (or selected, or edited) on. */
export function DrawnOnceOnScreen({ id, children }: { id: TLShapeId; children: ReactNode }) {
  const editor = useEditor()
  return useHasBeenOnScreen(editor, id) ? children : null
}
