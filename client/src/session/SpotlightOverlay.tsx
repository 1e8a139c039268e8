/** Dims the canvas around the spotlit frame for everyone; clicks pass through. */
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import type { Spotlight } from '../../../shared/session'

export function SpotlightOverlay({ editor, spotlight }: { editor: Editor; spotlight: Spotlight | undefined }) {
  const box = useValue(
    'spotlight box',
    () => {
      if (!spotlight) return null
      const bounds = editor.getShapePageBounds(spotlight.shapeId as TLShapeId)
      if (!bounds) return null
      const topLeft = editor.pageToViewport({ x: bounds.minX, y: bounds.minY })
      const bottomRight = editor.pageToViewport({ x: bounds.maxX, y: bounds.maxY })
      const { w, h } = editor.getViewportScreenBounds()
      return { x: topLeft.x, y: topLeft.y, w: bottomRight.x - topLeft.x, h: bottomRight.y - topLeft.y, vw: w, vh: h }
    },
    [editor, spotlight?.shapeId],
  )
  if (!box) return null
  const pad = 8
  const hole = `M${box.x - pad} ${box.y - pad}h${box.w + 2 * pad}v${box.h + 2 * pad}h${-(box.w + 2 * pad)}z`
  return (
    <svg className="spotlight" data-testid="spotlight" data-shape-id={spotlight?.shapeId} width={box.vw} height={box.vh} aria-hidden="true">
      <path d={`M0 0h${box.vw}v${box.vh}h${-box.vw}z${hole}`} fillRule="evenodd" fill="rgba(20, 24, 40, 0.45)" />
      <path d={hole} fill="none" stroke="#f5b700" strokeWidth={4} />
    </svg>
  )
}
