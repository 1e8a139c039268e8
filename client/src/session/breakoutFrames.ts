/** Copies a step's frame once per breakout group, in a row right of it, named after the group. */
import type { Editor, TLFrameShape, TLShapeId } from 'tldraw'

const GAP = 120

export function copyFrameForGroups(editor: Editor, frameId: string, groupNames: string[]): string[] {
  const frame = editor.getShape(frameId as TLShapeId) as TLFrameShape | undefined
  const bounds = editor.getShapePageBounds(frameId as TLShapeId)
  if (!frame || frame.type !== 'frame' || !bounds) return []
  const content = editor.getContentFromCurrentPage([frame.id])
  if (!content) return []
  const ids: string[] = []
  editor.run(
    () => {
      groupNames.forEach((name, i) => {
        const x = bounds.maxX + GAP + i * (bounds.w + GAP)
        editor.putContentOntoCurrentPage(content, { point: { x: x + bounds.w / 2, y: bounds.midY }, select: true })
        const copy = editor.getSelectedShapes().find((shape) => shape.type === 'frame') as TLFrameShape | undefined
        if (!copy) return
        editor.updateShape({ id: copy.id, type: 'frame', x, y: bounds.minY, props: { name: `${frame.props.name} · ${name}` } })
        ids.push(copy.id)
      })
      editor.selectNone()
    },
    { ignoreShapeLock: true },
  )
  return ids
}

/** Brings this person's view to a frame. */
export function showFrame(editor: Editor, frameId: string): void {
  const bounds = editor.getShapePageBounds(frameId as TLShapeId)
  if (!bounds) return
  editor.stopFollowingUser()
  editor.zoomToBounds(bounds, { inset: 40, animation: { duration: 320 } })
}

/** Brings this person's view to all the groups' frames side by side (the plenary harvest). */
export function showFrames(editor: Editor, frameIds: string[]): void {
  const all = frameIds.flatMap((id) => editor.getShapePageBounds(id as TLShapeId) ?? [])
  if (all.length === 0) return
  const minX = Math.min(...all.map((b) => b.minX))
  const minY = Math.min(...all.map((b) => b.minY))
  const maxX = Math.max(...all.map((b) => b.maxX))
  const maxY = Math.max(...all.map((b) => b.maxY))
  editor.stopFollowingUser()
  editor.zoomToBounds({ x: minX, y: minY, w: maxX - minX, h: maxY - minY }, { inset: 40, animation: { duration: 320 } })
}
